import type { Level, ThreatRule } from "../knowledge/schema.js";
import type { Severity } from "./model.js";

export interface ExposureContext {
  /** undefined when nobody said: no adjustment either way, since the evidence is missing. */
  internetFacing: boolean | undefined;
  dataSensitivity: "public" | "internal" | "confidential" | "restricted" | undefined;
}

/** Whether the team said the risky thing itself, or the threat rests only on a control they do not have. */
export type EvidenceStrength = "stated" | "missing-control";

const LEVEL: Record<Level, number> = { low: 1, medium: 2, high: 3 };
const DATA: Record<NonNullable<ExposureContext["dataSensitivity"]>, number> = {
  public: -1,
  internal: 0,
  confidential: 1,
  restricted: 2,
};
const clamp = (n: number) => Math.max(1, Math.min(5, n));

type Scored = Pick<ThreatRule, "likelihood" | "impact" | "exposure" | "impactedGoal">;

/**
 * Likelihood and impact on 1-5 scales, in the spirit of the OWASP Risk Rating Methodology: the rule's
 * own levels (low 1, medium 2, high 3), then likelihood +1 when an internet-reachable threat meets an
 * internet-facing workload (-1 when it is internal only) and +1 when the team stated the risky
 * condition itself; impact from the data at stake for threats to confidentiality or integrity
 * (restricted +2, confidential +1, public -1).
 */
export function score(
  t: Scored,
  ctx: ExposureContext,
  strength: EvidenceStrength,
): { likelihood: number; impact: number } {
  let likelihood = LEVEL[t.likelihood];
  if (t.exposure === "external" && ctx.internetFacing !== undefined)
    likelihood += ctx.internetFacing ? 1 : -1;
  if (strength === "stated") likelihood += 1;
  let impact = LEVEL[t.impact];
  const touchesData = t.impactedGoal.includes("confidentiality") || t.impactedGoal.includes("integrity");
  if (touchesData && ctx.dataSensitivity) impact += DATA[ctx.dataSensitivity];
  return { likelihood: clamp(likelihood), impact: clamp(impact) };
}

/** Likelihood x impact (1-25): Critical from 16, High from 9, Medium from 4. */
export function severity(likelihood: number, impact: number): Severity {
  const product = likelihood * impact;
  if (product >= 16) return "critical";
  if (product >= 9) return "high";
  if (product >= 4) return "medium";
  return "low";
}

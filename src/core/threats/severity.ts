import type { Level, ThreatRule } from "../knowledge/schema.js";
import type { Severity } from "./model.js";

export interface ExposureContext {
  /** undefined when nobody said: no adjustment either way, since the evidence is missing. */
  internetFacing: boolean | undefined;
  dataSensitivity: "public" | "internal" | "confidential" | "restricted" | undefined;
}

const LEVEL: Record<Level, number> = { low: 1, medium: 2, high: 3 };
const clamp = (n: number) => Math.max(1, Math.min(3, n));

type Scored = Pick<ThreatRule, "likelihood" | "impact" | "exposure" | "impactedGoal">;

/**
 * Likelihood moves with exposure for internet-reachable threats (+1 internet-facing, -1 internal only);
 * impact moves with the data at stake (+1 confidential or restricted, -1 public) for threats to
 * confidentiality or integrity.
 */
export function score(t: Scored, ctx: ExposureContext): { likelihood: number; impact: number } {
  let likelihood = LEVEL[t.likelihood];
  if (t.exposure === "external" && ctx.internetFacing !== undefined)
    likelihood += ctx.internetFacing ? 1 : -1;
  let impact = LEVEL[t.impact];
  const touchesData = t.impactedGoal.includes("confidentiality") || t.impactedGoal.includes("integrity");
  if (touchesData && (ctx.dataSensitivity === "confidential" || ctx.dataSensitivity === "restricted"))
    impact += 1;
  if (touchesData && ctx.dataSensitivity === "public" && !t.impactedGoal.includes("availability"))
    impact -= 1;
  return { likelihood: clamp(likelihood), impact: clamp(impact) };
}

/** Likelihood x impact on a 3x3 matrix, as Threagile and most risk registers do. */
export function severity(likelihood: number, impact: number): Severity {
  const product = likelihood * impact;
  if (product >= 9) return "critical";
  if (product >= 6) return "high";
  if (product >= 3) return "medium";
  return "low";
}

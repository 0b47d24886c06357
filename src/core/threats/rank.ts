import type { ThreatRule } from "../knowledge/schema.js";
import { SEVERITIES, type Severity } from "./model.js";
import type { EvidenceStrength, ExposureContext } from "./severity.js";

interface Rankable {
  rule: ThreatRule;
  strength: EvidenceStrength;
  likelihood: number;
  impact: number;
  severity: Severity;
  used: Set<string>;
}

/**
 * Order confirmed threats the way a reviewer would fix them: severity first, then the finer risk
 * (likelihood x impact), then whether the team stated the risk itself (rather than lacking a control),
 * then what an attacker on the internet can reach, then impact, then how much
 * the team's own evidence says about it. The rule id is only the last resort for a stable order.
 */
export function rankThreats<T extends Rankable & { entry: { id: string } }>(
  list: T[],
  exposure: ExposureContext,
): T[] {
  const stated = (t: T) => (t.strength === "stated" ? 1 : 0);
  const reachable = (t: T) => (t.rule.exposure === "external" && exposure.internetFacing === true ? 1 : 0);
  return [...list].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      b.likelihood * b.impact - a.likelihood * a.impact ||
      stated(b) - stated(a) ||
      reachable(b) - reachable(a) ||
      b.impact - a.impact ||
      b.used.size - a.used.size ||
      `${a.entry.id}/${a.rule.id}`.localeCompare(`${b.entry.id}/${b.rule.id}`),
  );
}

import type { Vocabulary } from "../facts/vocabulary.js";
import type { KnowledgeEntry, Mitigation, ThreatRule, ThreatStatement } from "./schema.js";

/** The platforms a rule can hold on: its own list, within the entry's deployment models. */
export function rulePlatforms(entry: KnowledgeEntry, rule: ThreatRule, v: Vocabulary): string[] {
  const ofEntry = entry.deploymentModels.flatMap((m) => v.platformsOf(m));
  const own = rule.platforms ? new Set(v.resolve(rule.platforms)) : undefined;
  return v.platforms.filter((p) => ofEntry.includes(p) && (!own || own.has(p)));
}

export function mitigationPlatforms(entry: KnowledgeEntry, m: Mitigation, v: Vocabulary): string[] {
  const ofEntry = entry.deploymentModels.flatMap((model) => v.platformsOf(model));
  const own = m.platforms ? new Set(v.resolve(m.platforms)) : undefined;
  return v.platforms.filter((p) => ofEntry.includes(p) && (!own || own.has(p)));
}

/**
 * A rule's statement in the words of the platforms it is shown for. Platform wording applies only when
 * every one of them shares it; otherwise the base text, which is written to fit them all, is used.
 */
export function ruleStatement(
  rule: ThreatRule,
  platforms: readonly string[],
  v: Vocabulary,
): ThreatStatement {
  const out: ThreatStatement = {
    threatSource: rule.threatSource,
    prerequisites: rule.prerequisites,
    threatAction: rule.threatAction,
    threatImpact: rule.threatImpact,
    impactedAssets: rule.impactedAssets,
  };
  for (const w of rule.wording) {
    const covered = new Set(v.resolve(w.platforms));
    if (platforms.length === 0 || !platforms.every((p) => covered.has(p))) continue;
    if (w.threatSource) out.threatSource = w.threatSource;
    if (w.prerequisites) out.prerequisites = w.prerequisites;
    if (w.threatAction) out.threatAction = w.threatAction;
    if (w.threatImpact) out.threatImpact = w.threatImpact;
    if (w.impactedAssets) out.impactedAssets = w.impactedAssets;
  }
  return out;
}

export function mitigationText(m: Mitigation, platforms: readonly string[], v: Vocabulary): string {
  for (const w of m.wording) {
    const covered = new Set(v.resolve(w.platforms));
    if (platforms.length > 0 && platforms.every((p) => covered.has(p))) return w.text;
  }
  return m.text;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function threatSentence(t: ThreatStatement): string {
  return `${capitalise(t.threatSource)} ${t.prerequisites} can ${t.threatAction}, which leads to ${t.threatImpact}, negatively impacting ${t.impactedAssets.join(", ")}.`;
}

import type { Vocabulary } from "../facts/vocabulary.js";
import type { KnowledgeEntry } from "./schema.js";
import {
  mitigationPlatforms,
  mitigationText,
  rulePlatforms,
  ruleStatement,
  threatSentence,
} from "./wording.js";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Platform-specific words found in a text shown on `platform`, where they do not belong. */
export function misplacedWords(text: string, platform: string, v: Vocabulary): string[] {
  const found: string[] = [];
  for (const rule of v.raw.platformWords) {
    if (v.resolve(rule.platforms).includes(platform)) continue;
    for (const word of rule.words) {
      if (new RegExp(`(^|[^a-z0-9])${escapeRegExp(word)}`, "i").test(text)) found.push(word);
    }
  }
  return found;
}

/**
 * Every text of an entry, rendered for each platform it can reach, checked for words of other
 * platforms (a VM review must never read about function URLs).
 */
export function platformWordProblems(entry: KnowledgeEntry, v: Vocabulary): string[] {
  const problems: string[] = [];
  const check = (where: string, text: string, platforms: readonly string[]) => {
    for (const p of platforms) {
      for (const word of misplacedWords(text, p, v)) problems.push(`${where}: "${word}" would reach ${p}`);
    }
  };
  for (const rule of entry.threats) {
    const platforms = rulePlatforms(entry, rule, v);
    // The base text is shown wherever platform wordings differ, so it must fit every platform.
    check(`entry ${entry.id} threat ${rule.id}`, threatSentence(ruleStatement(rule, [], v)), platforms);
    for (const p of platforms) {
      check(
        `entry ${entry.id} threat ${rule.id} (${p} wording)`,
        threatSentence(ruleStatement(rule, [p], v)),
        [p],
      );
    }
  }
  for (const m of entry.mitigations) {
    const platforms = mitigationPlatforms(entry, m, v);
    check(`entry ${entry.id} mitigation ${m.id}`, m.text, platforms);
    for (const p of platforms)
      check(`entry ${entry.id} mitigation ${m.id} (${p} wording)`, mitigationText(m, [p], v), [p]);
  }
  return [...new Set(problems)];
}

import { asArray, asString, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";

/** The values of `data.sensitivity`, least sensitive first. */
export const CLASSIFICATION_ORDER = ["public", "internal", "confidential", "restricted"] as const;
type Classification = (typeof CLASSIFICATION_ORDER)[number];

// Tag and label names teams give a data classification, compared without case or separators
// ("DataClassification", "data-classification", "data_sensitivity").
const CLASSIFICATION_KEYS = new Set(["dataclassification", "classification", "datasensitivity"]);
const bare = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

const isClassification = (v: string): v is Classification =>
  (CLASSIFICATION_ORDER as readonly string[]).includes(v);

/**
 * `data.sensitivity` from the classification a team tags its resources with: a map of tags or labels
 * (Terraform, SAM, serverless.yml, Kubernetes) or CloudFormation's list of `Key`/`Value` pairs. Only the
 * four levels the review asks about count; another scheme's word ("pii", "tier-1") is left to the team,
 * since mapping it would guess at their policy.
 */
export function classificationFacts(f: Findings, tags: unknown, path: PathStep[]): void {
  const pairs: { key: string; value: unknown; at: PathStep[] }[] = isRecord(tags)
    ? Object.entries(tags).map(([key, value]) => ({ key, value, at: [...path, key] }))
    : asArray(tags).flatMap((t, i) =>
        isRecord(t) && typeof t.Key === "string"
          ? [{ key: t.Key, value: t.Value, at: [...path, i, "Value"] }]
          : [],
      );
  for (const { key, value, at } of pairs) {
    const level = bare(asString(value) ?? "");
    if (CLASSIFICATION_KEYS.has(bare(key)) && isClassification(level))
      f.add("data.sensitivity", level, at, `${key}: ${level}`);
  }
}

import type { FileFact } from "../core/facts/state.js";
import { CLASSIFICATION_ORDER } from "./classification.js";
import { IMAGE_REF_ORDER, type ImageRef } from "./images.js";

// Controls every function or container must have: one without it makes the fact false.
const EVERY_ONE_MUST = new Set([
  "fn.concurrency-cap",
  "fn.in-vpc",
  "fn.dead-letter",
  "logs.tracing",
  "image.healthcheck",
  // One job deploying with stored keys is enough to make the pipeline's credentials long-lived.
  "ci.short-lived-credentials",
]);

/**
 * One value per fact from everything the files showed, with the evidence that decides it: the weakest
 * image reference; the most sensitive data classification; for a control every function or container must have, any one without it; for
 * everything else ("some container runs as root"), any one that shows it.
 */
export function combineFileFacts(facts: readonly FileFact[]): FileFact[] {
  const decided = new Map<string, FileFact>();
  for (const f of facts) {
    const current = decided.get(f.fact);
    if (!current || wins(f, current)) decided.set(f.fact, f);
  }
  return [...decided.values()];
}

function wins(candidate: FileFact, current: FileFact): boolean {
  if (candidate.fact === "image.ref") {
    return (
      IMAGE_REF_ORDER.indexOf(candidate.value as ImageRef) <
      IMAGE_REF_ORDER.indexOf(current.value as ImageRef)
    );
  }
  if (candidate.fact === "data.sensitivity") {
    const rank = (v: unknown) => CLASSIFICATION_ORDER.indexOf(v as (typeof CLASSIFICATION_ORDER)[number]);
    return rank(candidate.value) > rank(current.value);
  }
  if (typeof candidate.value !== "boolean") return false;
  return EVERY_ONE_MUST.has(candidate.fact)
    ? candidate.value === false && current.value === true
    : candidate.value === true && current.value === false;
}

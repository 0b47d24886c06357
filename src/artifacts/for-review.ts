import type { FileFact } from "../core/facts/state.js";
import type { Vocabulary } from "../core/facts/vocabulary.js";
import type { KnowledgeBase } from "../core/knowledge/load.js";
import type { DeploymentModel, Question, Workload } from "../core/knowledge/schema.js";
import { initialState, questionsNoLongerAsked } from "../core/review/engine.js";
import { combineFileFacts } from "./combine.js";
import type { ScanResult } from "./scan.js";

/**
 * The facts a review starts from: one deciding line per fact, each carrying the platform when the files
 * settle it (so the platform question is answered by the files too).
 */
export function factsForReview(scan: ScanResult): FileFact[] {
  const platform = scan.platform?.platform;
  return combineFileFacts(scan.facts).map((f) => (platform ? { ...f, platform } : f));
}

/** The deployment model the files point at, when every platform they allow belongs to one. */
export function workloadOf(scan: ScanResult, vocabulary: Vocabulary): DeploymentModel | undefined {
  const candidates = scan.platform?.candidates ?? [];
  const models = new Set(candidates.map((p) => vocabulary.model(p)));
  const [only] = [...models];
  return models.size === 1 ? only : undefined;
}

/** Questions a review of this workload no longer asks because the files answer them. */
export function questionsSettledByFiles(
  kb: KnowledgeBase,
  workload: Workload,
  facts: readonly FileFact[],
): Question[] {
  return questionsNoLongerAsked(kb, initialState(workload), initialState(workload, facts));
}

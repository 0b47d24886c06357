import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { factsForReview } from "../src/artifacts/for-review.js";
import { scanPaths } from "../src/artifacts/scan.js";
import type { FileFact } from "../src/core/facts/state.js";
import type { KnowledgeBase } from "../src/core/knowledge/load.js";
import type { Workload } from "../src/core/knowledge/schema.js";
import { currentQuestion, initialState, transition } from "../src/core/review/engine.js";
import { toAnswerValue } from "../src/core/review/service.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Stories of the calibration set whose teams' files are in test/fixtures/artifacts/stories. */
export const FILE_STORIES = [
  "payments-eks",
  "order-processor-lambda",
  "legacy-crm-vm",
  "map-tiles-vm",
  "fraud-scoring-eks-vs-lambda-image",
  "status-board-fargate",
  "notifications-lambda",
] as const;

interface Story {
  id: string;
  workload: Workload;
  answers: Record<string, string | string[]>;
}

export function loadStory(id: string): Story {
  return load(readFileSync(`${ROOT}test/fixtures/calibration/${id}.yaml`, "utf8")) as Story;
}

/** Walk a review as a team would: answer each question the review asks from the story, skip the rest. */
export function questionsAsked(kb: KnowledgeBase, story: Story, fileFacts: readonly FileFact[]): string[] {
  let state = initialState(story.workload, fileFacts);
  const asked: string[] = [];
  for (let q = currentQuestion(kb, state); q; q = currentQuestion(kb, state)) {
    asked.push(q.id);
    const raw = story.answers[q.id];
    const value = raw === undefined ? { kind: "skip" as const } : toAnswerValue(raw);
    const t = transition(kb, state, {
      type: "answer",
      questionId: q.id,
      value,
      actor: "story",
      at: "2026-01-01T00:00:00Z",
    });
    if (!t.ok) throw new Error(`${story.id} ${q.id}: ${t.message}`);
    state = t.state;
  }
  return asked;
}

export async function storyFacts(id: string): Promise<FileFact[]> {
  return factsForReview(await scanPaths([`${ROOT}test/fixtures/artifacts/stories/${id}`]));
}

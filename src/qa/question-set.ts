import { readFileSync } from "node:fs";
import { load as parseYaml } from "js-yaml";
import { z } from "zod";
import { Workload } from "../core/knowledge/schema.js";
import type { Answer } from "./schema.js";

/**
 * A set of realistic questions, each with the entries a good answer must cite. It measures
 * retrieval (recall@3) for the shipped base, and an organisation can write one for its own base.
 */
export const QuestionSet = z.strictObject({
  questions: z
    .array(
      z.strictObject({
        question: z.string().trim().min(8),
        /** The workload the question is about ("undecided" when it names none or compares several). */
        workload: Workload,
        expect: z.array(z.string()).min(1),
      }),
    )
    .min(1),
  /** Questions that must get "I don't know". */
  offTopic: z.array(z.string().trim().min(3)).default([]),
});
export type QuestionSet = z.infer<typeof QuestionSet>;

export function loadQuestionSet(path: string): QuestionSet {
  return QuestionSet.parse(parseYaml(readFileSync(path, "utf8")));
}

/** Share of the expected entries found among the first k citations. */
export function recallAt(k: number, expected: readonly string[], answer: Pick<Answer, "citations">): number {
  const cited = new Set(answer.citations.slice(0, k).map((c) => c.entryId));
  return expected.filter((id) => cited.has(id)).length / expected.length;
}

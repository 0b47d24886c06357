import { readFileSync } from "node:fs";
import { load as parseYaml } from "js-yaml";
import { type AskedQuestion, QuestionSet } from "../core/knowledge/schema.js";
import type { Answer } from "./schema.js";

export function loadQuestionSet(path: string): QuestionSet {
  return QuestionSet.parse(parseYaml(readFileSync(path, "utf8")));
}

/** Share of the expected entries found among the first k citations. */
export function recallAt(k: number, expected: readonly string[], answer: Pick<Answer, "citations">): number {
  const cited = new Set(answer.citations.slice(0, k).map((c) => c.entryId));
  return expected.filter((id) => cited.has(id)).length / expected.length;
}

/** How a question set fares: mean recall@3, the questions that missed, and the vague and off-topic counts. */
export interface Evaluation {
  recallAt3: number;
  questions: number;
  misses: { question: string; expect: string[]; cited: string[] }[];
  /** Vague questions answered with a clarifying question. */
  clarified: number;
  /** Off-topic questions answered "I don't know". */
  declined: number;
}

/** An answer that asks back instead of answering: no citations, not "I don't know", and a question. */
export function asksBack(a: Pick<Answer, "grounded" | "citations" | "answer">): boolean {
  return (
    !a.grounded && a.citations.length === 0 && !a.answer.startsWith("I don't know") && a.answer.includes("?")
  );
}

export async function evaluate(
  set: QuestionSet,
  ask: (question: string) => Promise<Answer>,
): Promise<Evaluation> {
  let total = 0;
  const misses: Evaluation["misses"] = [];
  for (const q of set.questions) {
    const a = await ask(q.question);
    const r = recallAt(3, q.expect, a);
    total += r;
    if (r < 1)
      misses.push({ question: q.question, expect: q.expect, cited: a.citations.map((c) => c.entryId) });
  }
  let clarified = 0;
  for (const q of set.clarify) if (asksBack(await ask(q))) clarified++;
  let declined = 0;
  for (const q of set.offTopic) {
    const a = await ask(q);
    if (!a.grounded && a.citations.length === 0 && a.answer.startsWith("I don't know")) declined++;
  }
  return {
    recallAt3: total / set.questions.length,
    questions: set.questions.length,
    misses,
    clarified,
    declined,
  };
}

/**
 * Recall@3 on questions the index did not learn from: the set is cut into `folds` parts, and each
 * part is asked of a service whose index learnt only from the other parts. It shows whether what the
 * index learns from asked questions carries over to new wordings or only remembers the old ones.
 */
export async function foldedRecall(
  set: QuestionSet,
  folds: number,
  learning: (asked: AskedQuestion[]) => (question: string) => Promise<Answer>,
): Promise<number> {
  let total = 0;
  for (let f = 0; f < folds; f++) {
    const ask = learning(set.questions.filter((_, i) => i % folds !== f));
    for (const q of set.questions.filter((_, i) => i % folds === f))
      total += recallAt(3, q.expect, await ask(q.question));
  }
  return total / set.questions.length;
}

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { loadKnowledgeBase } from "../src/core/knowledge/load.js";
import { evaluate, loadQuestionSet } from "../src/qa/question-set.js";
import { retrieve } from "../src/qa/retrieve.js";
import { QaService } from "../src/qa/service.js";
import { questionSet } from "./core.js";
import { type BenchRow, percentile } from "./report.js";

const ROUNDS = 20;
const HELD_OUT = fileURLToPath(new URL("../test/fixtures/qa-heldout.yaml", import.meta.url));
const HELD_OUT_BEFORE = fileURLToPath(new URL("../test/fixtures/qa-heldout-baseline.json", import.meta.url));

/** The held-out figure recorded once, before retrieval was tuned (bench/heldout-record.ts). */
const Recorded = z.object({
  recallAt3: z.number(),
  questions: z.number(),
  clarified: z.number(),
  declined: z.number(),
});

/**
 * Offline answers (no LLM configured) over the Q&A question set: latency of the whole path
 * (secret masking, retrieval, composing) next to retrieval alone, and recall@3.
 */
export async function benchQa(): Promise<BenchRow[]> {
  const kb = loadKnowledgeBase();
  const set = questionSet();
  const qa = new QaService({ kb });
  const questions = [...set.questions.map((q) => q.question), ...set.offTopic];
  for (const q of questions) await qa.answerQuestion(q); // warm-up: loads the secret scanner once

  const answerMs: number[] = [];
  const retrieveMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of questions) {
      const t0 = performance.now();
      await qa.answerQuestion(q);
      answerMs.push(performance.now() - t0);
      const t1 = performance.now();
      retrieve(qa.index, q);
      retrieveMs.push(performance.now() - t1);
    }
  }

  const ask = (q: string) => qa.answerQuestion(q);
  const tuning = await evaluate(set, ask);
  const heldOutSet = loadQuestionSet(HELD_OUT);
  const heldOut = await evaluate(heldOutSet, ask);
  const before = Recorded.parse(JSON.parse(readFileSync(HELD_OUT_BEFORE, "utf8")));

  const p95 = percentile(answerMs, 95);
  return [
    {
      metric: `offline answer latency p50 (${questions.length} questions x ${ROUNDS})`,
      value: percentile(answerMs, 50),
      unit: "ms",
      baseline: { label: "retrieval alone p50", value: percentile(retrieveMs, 50) },
    },
    {
      metric: "offline answer latency p95 (masking, retrieval, composing)",
      value: p95,
      unit: "ms",
      baseline: { label: "retrieval alone p95", value: percentile(retrieveMs, 95) },
      target: "< 5 ms",
      met: p95 < 5,
    },
    {
      metric: `recall@3, held-out set (${heldOut.questions} questions never tuned on), after tuning`,
      value: heldOut.recallAt3,
      unit: "",
      baseline: { label: "held-out, before tuning (recorded)", value: before.recallAt3 },
      target: ">= 0.95",
      met: heldOut.recallAt3 >= 0.95,
    },
    {
      metric: `recall@3, tuning set (${tuning.questions} questions retrieval was tuned on)`,
      value: tuning.recallAt3,
      unit: "",
      baseline: { label: "held-out, after tuning", value: heldOut.recallAt3 },
      target: ">= 0.9 (in-sample)",
      met: tuning.recallAt3 >= 0.9,
    },
    {
      metric: "vague held-out questions answered with a clarifying question",
      value: heldOut.clarified,
      unit: `of ${heldOutSet.clarify.length}`,
      baseline: { label: "before tuning (recorded)", value: before.clarified },
      target: `${heldOutSet.clarify.length}`,
      met: heldOut.clarified === heldOutSet.clarify.length,
    },
    {
      metric: `off-topic held-out questions answered "I don't know"`,
      value: heldOut.declined,
      unit: `of ${heldOutSet.offTopic.length}`,
      baseline: { label: "before tuning (recorded)", value: before.declined },
      target: `${heldOutSet.offTopic.length}`,
      met: heldOut.declined === heldOutSet.offTopic.length,
    },
    {
      metric: `off-topic tuning-set questions answered "I don't know"`,
      value: tuning.declined,
      unit: `of ${set.offTopic.length}`,
      target: `${set.offTopic.length}`,
      met: tuning.declined === set.offTopic.length,
    },
  ];
}

import { readFileSync } from "node:fs";
import { loadKnowledgeBase } from "../src/core/knowledge/load.js";
import { KnowledgeIndex } from "../src/core/knowledge/search.js";
import { evaluate, foldedRecall, loadQuestionSet } from "../src/qa/question-set.js";
import { retrieve } from "../src/qa/retrieve.js";
import type { Answer } from "../src/qa/schema.js";
import { QaService } from "../src/qa/service.js";
import {
  baselinePath,
  HELD_OUT_SETS,
  type HeldOutSetName,
  heldOutPath,
  RecordedBaseline,
} from "./heldout-sets.js";
import { type BenchRow, percentile } from "./report.js";

const ROUNDS = 20;
const FOLDS = 5;

/**
 * One held-out set measured now, next to the figure recorded once before retrieval was tuned against
 * it (bench/heldout-record.ts): recall@3, vague questions asked back, off-topic ones declined.
 */
async function heldOutRows(
  name: HeldOutSetName,
  ask: (q: string) => Promise<Answer>,
): Promise<{ rows: BenchRow[]; recallAt3: number }> {
  const { name: label, tuning } = HELD_OUT_SETS[name];
  const set = loadQuestionSet(heldOutPath(name));
  const now = await evaluate(set, ask);
  const before = RecordedBaseline.parse(JSON.parse(readFileSync(baselinePath(name), "utf8")));
  const rows: BenchRow[] = [
    {
      metric: `recall@3, ${label} (${now.questions} questions, ${tuning}), after tuning`,
      value: now.recallAt3,
      unit: "",
      baseline: { label: `before tuning (recorded on ${before.measuredOn})`, value: before.recallAt3 },
      target: ">= 0.95",
      met: now.recallAt3 >= 0.95,
    },
    {
      metric: `vague questions answered with a clarifying question, ${label}`,
      value: now.clarified,
      unit: `of ${set.clarify.length}`,
      baseline: { label: "before tuning (recorded)", value: before.clarified },
      target: `${set.clarify.length}`,
      met: now.clarified === set.clarify.length,
    },
    {
      metric: `off-topic questions answered "I don't know", ${label}`,
      value: now.declined,
      unit: `of ${set.offTopic.length}`,
      baseline: { label: "before tuning (recorded)", value: before.declined },
      target: `${set.offTopic.length}`,
      met: now.declined === set.offTopic.length,
    },
  ];
  return { rows, recallAt3: now.recallAt3 };
}

/**
 * Offline answers (no LLM configured) over the Q&A question set: latency of the whole path
 * (secret masking, retrieval, composing) next to retrieval alone, and recall@3.
 */
export async function benchQa(): Promise<BenchRow[]> {
  const kb = loadKnowledgeBase();
  const set = kb.asked;
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
  const folded = await foldedRecall(set, FOLDS, (asked) => {
    const service = new QaService({ kb, index: new KnowledgeIndex(kb.entries, { asked }) });
    return (q) => service.answerQuestion(q);
  });
  const heldOut = [];
  for (const name of Object.keys(HELD_OUT_SETS) as HeldOutSetName[])
    heldOut.push(await heldOutRows(name, ask));
  const latest = heldOut.at(-1);

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
    ...heldOut.flatMap((h) => h.rows),
    {
      metric: `recall@3, tuning set (${tuning.questions} questions retrieval was tuned on and the index learns from)`,
      value: tuning.recallAt3,
      unit: "",
      baseline: { label: "latest held-out set", value: latest?.recallAt3 ?? 0 },
      target: ">= 0.9 (in-sample)",
      met: tuning.recallAt3 >= 0.9,
    },
    {
      metric: `recall@3, tuning set in ${FOLDS} folds, each asked of an index that learnt only from the others`,
      value: folded,
      unit: "",
      baseline: { label: "whole set, learnt from", value: tuning.recallAt3 },
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

import { loadKnowledgeBase } from "../src/core/knowledge/load.js";
import { recallAt } from "../src/qa/question-set.js";
import { retrieve } from "../src/qa/retrieve.js";
import { QaService } from "../src/qa/service.js";
import { questionSet } from "./core.js";
import { type BenchRow, percentile } from "./report.js";

const ROUNDS = 20;

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

  let recall = 0;
  for (const q of set.questions) recall += recallAt(3, q.expect, await qa.answerQuestion(q.question));
  recall /= set.questions.length;
  let declined = 0;
  for (const q of set.offTopic) if (!(await qa.answerQuestion(q)).grounded) declined++;

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
      metric: `retrieval recall@3 over ${set.questions.length} questions`,
      value: recall,
      unit: "",
      target: ">= 0.9",
      met: recall >= 0.9,
    },
    {
      metric: `off-topic questions answered "I don't know"`,
      value: declined,
      unit: `of ${set.offTopic.length}`,
      target: `${set.offTopic.length}`,
      met: declined === set.offTopic.length,
    },
  ];
}

import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadKnowledgeBase } from "../src/core/knowledge/load.js";
import { evaluate, loadQuestionSet } from "../src/qa/question-set.js";
import { QaService } from "../src/qa/service.js";

/**
 * Records the held-out set's figure once, before retrieval is tuned. Run it only when the held-out
 * set is first written: measuring it again and re-recording would make it a tuning set.
 */
const out = fileURLToPath(new URL("../test/fixtures/qa-heldout-baseline.json", import.meta.url));
if (existsSync(out)) {
  process.stderr.write(`${out} exists: the held-out figure is recorded once, before tuning.\n`);
  process.exit(2);
}
const set = loadQuestionSet(fileURLToPath(new URL("../test/fixtures/qa-heldout.yaml", import.meta.url)));
const qa = new QaService({ kb: loadKnowledgeBase() });
const result = await evaluate(set, (q) => qa.answerQuestion(q));
const record = {
  label: "held-out, before tuning",
  measuredOn: process.argv[2] ?? "unknown commit",
  date: new Date().toISOString().slice(0, 10),
  ...result,
};
writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ ...record, misses: result.misses.length }, null, 2)}\n`);

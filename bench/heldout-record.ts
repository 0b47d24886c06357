import { existsSync, writeFileSync } from "node:fs";
import { loadKnowledgeBase } from "../src/core/knowledge/load.js";
import { evaluate, loadQuestionSet } from "../src/qa/question-set.js";
import { QaService } from "../src/qa/service.js";
import { baselinePath, HELD_OUT_SETS, heldOutPath, isHeldOutSet } from "./heldout-sets.js";

/**
 * Records a held-out set's figure once, before retrieval is tuned against it:
 * `npx tsx bench/heldout-record.ts <set> <commit>` (set: qa-heldout, qa-heldout-2, qa-heldout-3 or qa-heldout-4) writes
 * test/fixtures/<set>-baseline.json. Run it only when the set is first written: measuring it again and
 * re-recording would make it a tuning set, so an existing record is never overwritten. The first set's
 * original form, `npx tsx bench/heldout-record.ts <commit>`, still means qa-heldout.
 */
const [first, second] = process.argv.slice(2);
const named = first !== undefined && (isHeldOutSet(first) || first.startsWith("qa-heldout"));
const name = named ? first : "qa-heldout";
const commit = (named ? second : first) ?? "unknown commit";
if (!isHeldOutSet(name)) {
  process.stderr.write(
    `unknown held-out set "${name}": use one of ${Object.keys(HELD_OUT_SETS).join(", ")} (a file test/fixtures/<set>.yaml).\n`,
  );
  process.exit(2);
}
const out = baselinePath(name);
if (existsSync(out)) {
  process.stderr.write(`${out} exists: a held-out figure is recorded once, before tuning.\n`);
  process.exit(2);
}
const set = loadQuestionSet(heldOutPath(name));
const qa = new QaService({ kb: loadKnowledgeBase() });
const result = await evaluate(set, (q) => qa.answerQuestion(q));
const record = {
  label: HELD_OUT_SETS[name].recordLabel,
  measuredOn: commit,
  date: new Date().toISOString().slice(0, 10),
  ...result,
};
writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ ...record, misses: result.misses.length }, null, 2)}\n`);

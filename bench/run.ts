import { cpus } from "node:os";
import { benchAnswers } from "./answers.js";
import { benchColdStart, benchMarkdown, benchSearch, realKnowledgeBase } from "./core.js";
import { benchQa } from "./qa.js";
import { type BenchRow, printSection } from "./report.js";
import { benchSlack } from "./slack.js";

/** `npm run bench`: every figure next to its baseline from this same run. */
const kb = realKnowledgeBase();
process.stdout.write(
  `# Threatbot benchmarks\nnode ${process.version}, ${cpus().length} cores, knowledge base ${kb.version} (${kb.entries.length} entries)\n`,
);
const sections: [string, () => BenchRow[] | Promise<BenchRow[]>][] = [
  ["Durable answers", () => benchAnswers(kb)],
  ["Markdown report", () => benchMarkdown(kb)],
  ["Knowledge search", () => benchSearch(kb)],
  ["Design-channel Q&A", () => benchQa()],
  ["Slack (HTTP receiver, 200 concurrent requests)", () => benchSlack()],
  ["Command line", () => benchColdStart()],
];
let missed = 0;
for (const [title, run] of sections) {
  const rows = await run();
  missed += rows.filter((r) => r.met === false).length;
  printSection(title, rows);
}
process.stdout.write(`\n${missed === 0 ? "All targets met." : `${missed} target(s) not met.`}\n`);

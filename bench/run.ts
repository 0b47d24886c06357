import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { benchAnswers } from "./answers.js";
import { benchCalibration, CALIBRATION_DIR, HELDOUT_DIR } from "./calibration.js";
import { benchColdStart, benchMarkdown, benchSearch, realKnowledgeBase } from "./core.js";
import { benchQa } from "./qa.js";
import { type BenchRow, printSection } from "./report.js";
import { benchSlack } from "./slack.js";

/**
 * `npm run bench`: every figure next to its baseline from this same run. Each section runs in a
 * process of its own, so memory one section leaves behind (a 10,000-entry index, say) does not slow
 * the next one's garbage collection and skew its comparison.
 */
const kb = realKnowledgeBase();
const sections: Record<string, [string, () => BenchRow[] | Promise<BenchRow[]>]> = {
  calibration: [
    "Threat-model calibration (tuned on the first set; the held-out set was written after tuning)",
    async () => [
      ...(await benchCalibration("calibration set (in-sample)", CALIBRATION_DIR)),
      ...(existsSync(HELDOUT_DIR) ? await benchCalibration("held-out set", HELDOUT_DIR) : []),
    ],
  ],
  answers: ["Durable answers", () => benchAnswers(kb)],
  markdown: ["Markdown report", () => benchMarkdown(kb)],
  search: ["Knowledge search", () => benchSearch(kb)],
  qa: ["Design-channel Q&A", () => benchQa()],
  slack: ["Slack (HTTP receiver, 200 concurrent requests)", () => benchSlack()],
  cli: ["Command line", () => benchColdStart()],
};

const only = process.env.THREATBOT_BENCH_SECTION;
if (only) {
  const section = sections[only];
  if (!section) throw new Error(`unknown bench section ${only}`);
  process.stdout.write(JSON.stringify(await section[1]()));
} else {
  process.stdout.write(
    `# Threatbot benchmarks\nnode ${process.version}, ${cpus().length} cores, knowledge base ${kb.version} (${kb.entries.length} entries)\n`,
  );
  let missed = 0;
  for (const [key, [title]] of Object.entries(sections)) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, THREATBOT_BENCH_SECTION: key },
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
    const rows = JSON.parse(out) as BenchRow[];
    missed += rows.filter((r) => r.met === false).length;
    printSection(title, rows);
  }
  process.stdout.write(`\n${missed === 0 ? "All targets met." : `${missed} target(s) not met.`}\n`);
}

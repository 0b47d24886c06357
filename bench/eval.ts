import { existsSync } from "node:fs";
import {
  CALIBRATION_DIR,
  calibrationLine,
  HELDOUT_DIR,
  loadStories,
  runStories,
  scoreStory,
  summarise,
} from "./calibration.js";

/**
 * `npm run eval`: the calibration set through the real review path, then the held-out set written
 * after tuning. One line each; with --verbose, each story's misses, false positives and must-not hits.
 */
for (const [label, dir] of [
  ["calibration", CALIBRATION_DIR],
  ["held-out", HELDOUT_DIR],
] as const) {
  if (!existsSync(dir)) continue;
  await evaluateSet(label, dir);
}

async function evaluateSet(label: string, dir: string): Promise<void> {
  const stories = loadStories(dir);
  const runs = await runStories(stories);
  const scores = runs.map(({ story, model }) => scoreStory(story, model));
  const figures = summarise(scores, stories);
  if (process.argv.includes("--verbose")) {
    for (const s of scores) {
      process.stdout.write(
        `${s.id}: questions=${s.questions} confirmed=${s.confirmed.length} tp=${s.truePositives.length} top5-overlap=${s.top5Overlap}\n` +
          `  false positives: ${s.falsePositives.join(", ") || "none"}\n  missed: ${s.missed.join(", ") || "none"}\n` +
          `  must-not hits: ${s.mustNotHits.join(", ") || "none"}\n  top5: ${s.top5.join(", ")}\n`,
      );
    }
  }
  const line = calibrationLine(figures);
  process.stdout.write(`${label === "calibration" ? line : line.replace(/^calibration:/, `${label}:`)}\n`);
  if (figures.mustNotHits > 0)
    process.stdout.write(`${label}: must-not threats confirmed: ${figures.mustNotHits}\n`);
}

import { calibrationLine, loadStories, runStories, scoreStory, summarise } from "./calibration.js";

/**
 * `npm run eval`: the calibration set through the real review path. Prints one line; with --verbose,
 * each story's misses, false positives and must-not hits as well.
 */
const stories = loadStories();
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
process.stdout.write(`${calibrationLine(figures)}\n`);
if (figures.mustNotHits > 0) process.stdout.write(`must-not threats confirmed: ${figures.mustNotHits}\n`);

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load as parseYaml } from "js-yaml";
import { z } from "zod";
import { Workload } from "../src/core/knowledge/schema.js";
import { openThreatbot } from "../src/core/open.js";
import type { RawAnswers } from "../src/core/review/service.js";
import type { ThreatModel } from "../src/core/threats/model.js";

/** The calibration set: team stories answered as the team would, with a reviewer's expectations. */
export const CALIBRATION_DIR = fileURLToPath(new URL("../test/fixtures/calibration", import.meta.url));

export const CalibrationStory = z.strictObject({
  id: z.string(),
  workload: Workload,
  name: z.string(),
  story: z.string(),
  answers: z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
  ),
  expect: z.strictObject({
    /** Rule ids a reviewer expects as confirmed findings. */
    threats: z.array(z.string()),
    /** Rule ids that must not be confirmed findings. */
    mustNot: z.array(z.string()),
    /** The five rule ids a senior reviewer would fix first, in order. */
    top5: z.array(z.string()).max(5),
  }),
});
export type CalibrationStory = z.infer<typeof CalibrationStory>;

export function loadStories(dir = CALIBRATION_DIR): CalibrationStory[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => CalibrationStory.parse(parseYaml(readFileSync(join(dir, f), "utf8"))));
}

/** Each story through the same path as `threatbot review --answers`, on a throwaway database. */
export async function runStories(
  stories: CalibrationStory[],
): Promise<{ story: CalibrationStory; model: ThreatModel }[]> {
  const dir = mkdtempSync(join(tmpdir(), "threatbot-calibration-"));
  const bot = openThreatbot({ dbPath: join(dir, "calibration.db") });
  try {
    const out = [];
    for (const story of stories) {
      const { model } = await bot.reviews.reviewFromAnswers(
        { name: story.name, workload: story.workload, actor: "calibration", origin: "cli" },
        story.answers as RawAnswers,
      );
      out.push({ story, model });
    }
    return out;
  } finally {
    bot.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface StoryScore {
  id: string;
  confirmed: string[];
  truePositives: string[];
  falsePositives: string[];
  missed: string[];
  mustNotHits: string[];
  top5: string[];
  top5Overlap: number;
  questions: number;
  critical: number;
}

/** Confirmed open threats are the findings a reviewer signs; they are what precision is measured on. */
export function scoreStory(story: CalibrationStory, model: ThreatModel): StoryScore {
  const findings = model.threats.filter((t) => t.evidence === "confirmed" && t.status === "open");
  const confirmed = findings.map((t) => t.ruleId);
  const expected = new Set(story.expect.threats);
  const byId = new Map(model.threats.map((t) => [t.id, t]));
  const top5 = model.summary.top.flatMap((id) => byId.get(id)?.ruleId ?? []);
  return {
    id: story.id,
    confirmed,
    truePositives: confirmed.filter((r) => expected.has(r)),
    falsePositives: confirmed.filter((r) => !expected.has(r)),
    missed: story.expect.threats.filter((r) => !confirmed.includes(r)),
    mustNotHits: confirmed.filter((r) => story.expect.mustNot.includes(r)),
    top5,
    top5Overlap: top5.filter((r) => story.expect.top5.includes(r)).length,
    questions: model.summary.questionsAsked,
    critical: findings.filter((t) => t.severity === "critical").length,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export interface CalibrationFigures {
  stories: number;
  precision: number;
  recall: number;
  top5: number;
  medianQuestions: number;
  criticalShare: number;
  mustNotHits: number;
}

export function summarise(scores: StoryScore[], stories: CalibrationStory[]): CalibrationFigures {
  const sum = (f: (s: StoryScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  const confirmed = sum((s) => s.confirmed.length);
  const expected = stories.reduce((a, s) => a + s.expect.threats.length, 0);
  // The top-5 overlap is averaged over stories where the reviewer named a top 5.
  const ranked = scores.filter((s) => (stories.find((x) => x.id === s.id)?.expect.top5.length ?? 0) > 0);
  return {
    stories: scores.length,
    precision: confirmed === 0 ? 1 : sum((s) => s.truePositives.length) / confirmed,
    recall: expected === 0 ? 1 : sum((s) => s.truePositives.length) / expected,
    top5: ranked.length === 0 ? 0 : ranked.reduce((a, s) => a + s.top5Overlap, 0) / ranked.length,
    medianQuestions: median(scores.map((s) => s.questions)),
    criticalShare: confirmed === 0 ? 0 : sum((s) => s.critical) / confirmed,
    mustNotHits: sum((s) => s.mustNotHits.length),
  };
}

export function calibrationLine(f: CalibrationFigures): string {
  return `calibration: stories=${f.stories} precision=${f.precision.toFixed(2)} recall=${f.recall.toFixed(2)} top5=${f.top5.toFixed(1)} median-questions=${f.medianQuestions} critical-share=${f.criticalShare.toFixed(2)}`;
}

export const HELDOUT_DIR = fileURLToPath(new URL("../test/fixtures/calibration-heldout", import.meta.url));

/** Bench rows for one story set: each figure beside its target. */
export async function benchCalibration(
  label: string,
  dir: string,
): Promise<{ metric: string; value: number; unit: string; target?: string; met?: boolean }[]> {
  const stories = loadStories(dir);
  const runs = await runStories(stories);
  const f = summarise(
    runs.map((r) => scoreStory(r.story, r.model)),
    stories,
  );
  return [
    {
      metric: `${label}: precision of confirmed threats (${f.stories} stories)`,
      value: f.precision,
      unit: "",
      target: ">= 0.95",
      met: f.precision >= 0.95,
    },
    {
      metric: `${label}: recall of expected threats`,
      value: f.recall,
      unit: "",
      target: ">= 0.95",
      met: f.recall >= 0.95,
    },
    {
      metric: `${label}: top-5 overlap with the reviewer's top 5`,
      value: f.top5,
      unit: "of 5",
      target: ">= 3",
      met: f.top5 >= 3,
    },
    {
      metric: `${label}: median questions asked`,
      value: f.medianQuestions,
      unit: "",
      target: "<= 15",
      met: f.medianQuestions <= 15,
    },
    { metric: `${label}: Critical share of confirmed threats`, value: f.criticalShare, unit: "" },
    {
      metric: `${label}: must-not threats confirmed`,
      value: f.mustNotHits,
      unit: "",
      target: "0",
      met: f.mustNotHits === 0,
    },
  ];
}

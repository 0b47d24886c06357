import { beforeAll, describe, expect, it } from "vitest";
import {
  type CalibrationStory,
  loadStories,
  runStories,
  scoreStory,
  summarise,
} from "../../bench/calibration.js";
import { evaluate } from "../../src/core/facts/evaluate.js";
import { type KnowledgeBase, loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { misplacedWords } from "../../src/core/knowledge/platform-lint.js";
import { WORKLOADS } from "../../src/core/knowledge/workloads.js";
import { initialState } from "../../src/core/review/engine.js";
import { walkReview } from "../../src/core/review/walk.js";
import type { ThreatModel } from "../../src/core/threats/model.js";
import { tempBot } from "../support/core.js";

let kb: KnowledgeBase;
let runs: { story: CalibrationStory; model: ThreatModel }[];

beforeAll(async () => {
  kb = loadKnowledgeBase();
  runs = await runStories(loadStories());
});

describe("calibration set", () => {
  it("holds at least three stories for each workload", () => {
    for (const w of WORKLOADS)
      expect(runs.filter((r) => r.story.workload === w).length).toBeGreaterThanOrEqual(3);
  });

  it("confirms a threat only where its own condition holds on what the team said", () => {
    for (const { story, model } of runs) {
      const review = runsState(story, model);
      for (const t of model.threats.filter((x) => x.evidence === "confirmed")) {
        const rule = kb.rule(t.ruleId);
        expect(rule, `${story.id}: ${t.ruleId}`).toBeDefined();
        const when = rule?.rule.when;
        if (!when) continue;
        const holdsSomewhere = t.platforms.some(
          (p) => evaluate(when, review.facts, p, kb.vocabulary).truth === true,
        );
        expect(holdsSomewhere, `${story.id}: ${t.ruleId} confirmed without its condition`).toBe(true);
        expect(t.because.length, `${story.id}: ${t.ruleId} names no evidence`).toBeGreaterThan(0);
      }
    }
  });

  it("never confirms a threat the reviewer ruled out", () => {
    for (const { story, model } of runs) {
      expect(scoreStory(story, model).mustNotHits, story.id).toEqual([]);
    }
  });

  it("keeps platform words on their platforms in every generated model", () => {
    for (const { story, model } of runs) {
      for (const t of model.threats) {
        for (const p of t.platforms) {
          expect(misplacedWords(t.statement, p, kb.vocabulary), `${story.id} ${t.ruleId} on ${p}`).toEqual(
            [],
          );
        }
      }
      for (const m of model.mitigations) {
        for (const p of m.platforms)
          expect(misplacedWords(m.text, p, kb.vocabulary), `${story.id} ${m.mitigationId} on ${p}`).toEqual(
            [],
          );
      }
    }
  });

  it("gives different teams different top fives, ranked by what was said, never by id", () => {
    const tops = runs
      .filter((r) => r.model.summary.top.length === 5)
      .map((r) => r.model.summary.top.map(ruleOf(r.model)).join(","));
    expect(tops.length).toBeGreaterThanOrEqual(8);
    expect(new Set(tops).size).toBe(tops.length);
  });

  it("meets the quality it had when it was last measured (see npm run eval for the figures)", () => {
    const stories = runs.map((r) => r.story);
    const f = summarise(
      runs.map((r) => scoreStory(r.story, r.model)),
      stories,
    );
    expect(f.recall).toBeGreaterThanOrEqual(0.95);
    expect(f.precision).toBeGreaterThanOrEqual(0.85);
    expect(f.top5).toBeGreaterThanOrEqual(3);
    // 15 before the data-protection and operations questions covered the remaining concerns; the target
    // of 15 is reported, unmet, by npm run bench.
    expect(f.medianQuestions).toBeLessThanOrEqual(17);
  });
});

describe("a review where every question is skipped", () => {
  it("has no confirmed threat and no Critical, for every workload", async () => {
    const bot = tempBot();
    try {
      for (const workload of WORKLOADS) {
        const { model } = await bot.reviews.reviewFromAnswers(
          { name: `skipped ${workload}`, workload, actor: "t", origin: "cli" },
          {},
        );
        expect(model.summary.confirmed, workload).toBe(0);
        expect(model.summary.bySeverity.critical, workload).toBe(0);
        expect(model.summary.top, workload).toEqual([]);
        expect(model.openQuestions.length, workload).toBeGreaterThan(3);
      }
    } finally {
      bot.cleanup();
    }
  });
});

const ruleOf = (model: ThreatModel) => (id: string) => model.threats.find((t) => t.id === id)?.ruleId ?? id;

/** The facts a story's answers establish, walked again from the stored answers. */
function runsState(story: CalibrationStory, model: ThreatModel) {
  const state = {
    ...initialState(story.workload),
    answers: [...model.context, ...model.answers].map((a) => {
      const q = kb.question(a.questionId);
      const raw = story.answers[a.questionId];
      const values = Array.isArray(raw) ? raw.map(String) : [String(raw)];
      const value =
        q?.kind === "multi"
          ? { kind: "multi" as const, values }
          : q?.kind === "text"
            ? { kind: "text" as const, text: a.answer }
            : { kind: "choice" as const, value: values[0] as string };
      return { questionId: a.questionId, value, actor: a.answeredBy, at: a.answeredAt };
    }),
  };
  return walkReview(kb, state);
}

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { loadQuestionSet } from "../../src/qa/question-set.js";

const kb = loadKnowledgeBase();
const heldOut = loadQuestionSet(fileURLToPath(new URL("../fixtures/qa-heldout.yaml", import.meta.url)));
const tuning = loadQuestionSet(fileURLToPath(new URL("../fixtures/qa-questions.yaml", import.meta.url)));
const recorded = JSON.parse(
  readFileSync(fileURLToPath(new URL("../fixtures/qa-heldout-baseline.json", import.meta.url)), "utf8"),
) as { label: string; recallAt3: number; questions: number };

describe("the held-out question set", () => {
  it("holds at least 60 questions over every workload, plus vague and off-topic ones, naming real entries", () => {
    expect(heldOut.questions.length).toBeGreaterThanOrEqual(60);
    for (const w of ["vm", "container", "serverless", "undecided"] as const)
      expect(heldOut.questions.filter((q) => q.workload === w).length, w).toBeGreaterThanOrEqual(8);
    expect(heldOut.clarify.length).toBeGreaterThanOrEqual(3);
    expect(heldOut.offTopic.length).toBeGreaterThanOrEqual(5);
    for (const q of heldOut.questions) for (const id of q.expect) expect(kb.entry(id), id).toBeDefined();
  });

  it("shares no question with the tuning set", () => {
    const norm = (s: string) =>
      s
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, " ")
        .trim();
    const tuned = new Set(
      [...tuning.questions.map((q) => q.question), ...tuning.clarify, ...tuning.offTopic].map(norm),
    );
    const shared = [...heldOut.questions.map((q) => q.question), ...heldOut.clarify, ...heldOut.offTopic]
      .map(norm)
      .filter((q) => tuned.has(q));
    expect(shared).toEqual([]);
  });

  it("has its before-tuning figure recorded for the same number of questions", () => {
    expect(recorded.label).toBe("held-out, before tuning");
    expect(recorded.questions).toBe(heldOut.questions.length);
  });
});

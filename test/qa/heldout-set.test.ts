import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  baselinePath,
  HELD_OUT_SETS,
  type HeldOutSetName,
  heldOutPath,
  RecordedBaseline,
} from "../../bench/heldout-sets.js";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { QuestionSet } from "../../src/core/knowledge/schema.js";
import { loadQuestionSet } from "../../src/qa/question-set.js";

const kb = loadKnowledgeBase();
const tuning = kb.asked;
const names = Object.keys(HELD_OUT_SETS) as HeldOutSetName[];
const sets = Object.fromEntries(names.map((n) => [n, loadQuestionSet(heldOutPath(n))])) as Record<
  HeldOutSetName,
  QuestionSet
>;

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
const allQuestions = (set: QuestionSet) =>
  [...set.questions.map((q) => q.question), ...set.clarify, ...set.offTopic].map(norm);

describe.each(names)("the held-out question set %s", (name) => {
  const heldOut = sets[name];

  it("holds at least 60 questions over every workload, plus vague and off-topic ones, naming real entries", () => {
    expect(heldOut.questions.length).toBeGreaterThanOrEqual(60);
    for (const w of ["vm", "container", "serverless", "undecided"] as const)
      expect(heldOut.questions.filter((q) => q.workload === w).length, w).toBeGreaterThanOrEqual(8);
    expect(heldOut.clarify.length).toBeGreaterThanOrEqual(3);
    expect(heldOut.offTopic.length).toBeGreaterThanOrEqual(5);
    for (const q of heldOut.questions) for (const id of q.expect) expect(kb.entry(id), id).toBeDefined();
  });

  it("shares no question with the tuning set or another held-out set", () => {
    const others = new Set(
      [tuning, ...names.filter((n) => n !== name).map((n) => sets[n])].flatMap(allQuestions),
    );
    expect(allQuestions(heldOut).filter((q) => others.has(q))).toEqual([]);
  });

  it("has its before-tuning figure recorded once, for the same questions", () => {
    const recorded = RecordedBaseline.parse(JSON.parse(readFileSync(baselinePath(name), "utf8")));
    expect(recorded.label).toBe(HELD_OUT_SETS[name].recordLabel);
    expect(recorded.questions).toBe(heldOut.questions.length);
  });
});

describe("the second held-out set", () => {
  it("spreads over the knowledge base, newer concerns included", () => {
    const cited = new Set(sets["qa-heldout-2"].questions.flatMap((q) => q.expect));
    expect(cited.size).toBeGreaterThanOrEqual(40);
    for (const id of [
      "tenant-isolation",
      "data-residency",
      "data-encryption-keys",
      "edge-protection",
      "backup-restore",
      "incident-response",
      "account-separation",
      "cicd-hardening",
    ])
      expect(cited, id).toContain(id);
  });
});

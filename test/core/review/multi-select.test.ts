import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { loadKnowledgeBase } from "../../../src/core/knowledge/load.js";
import type { Question } from "../../../src/core/knowledge/schema.js";
import { validateAnswer } from "../../../src/core/review/engine.js";
import type { AnswerValue } from "../../../src/core/review/events.js";
import { walkReview } from "../../../src/core/review/walk.js";

const kb = loadKnowledgeBase();
const at = "2026-01-01T00:00:00.000Z";
const question = (id: string): Question => {
  const q = kb.question(id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};
const factsAfter = (answers: Record<string, AnswerValue>) => {
  const walk = walkReview(kb, {
    workload: "serverless",
    answers: Object.entries(answers).map(([questionId, value]) => ({ questionId, value, actor: "a", at })),
    finished: false,
    fileFacts: [],
  });
  return walk.facts;
};
const value = (facts: ReturnType<typeof factsAfter>, fact: string) => facts.known.get(fact)?.value;

describe("multi-select answers", () => {
  it("sets the facts of the chosen options and the opposite for the options left out", () => {
    expect(question("common.permissions").kind).toBe("multi");
    const facts = factsAfter({
      "context.platform": { kind: "choice", value: "lambda-zip" },
      "common.permissions": { kind: "multi", values: ["resource-wildcard", "pass-role"] },
    });
    expect(value(facts, "iam.resource-wildcard")).toBe(true);
    expect(value(facts, "iam.pass-role")).toBe(true);
    expect(value(facts, "iam.shared-role")).toBe(false);
    expect(value(facts, "iam.static-keys")).toBe(false);
    expect(value(facts, "iam.action-wildcard")).toBe(false);
    // Each fact says where it came from: a left-out option is quoted as not chosen.
    expect(facts.known.get("iam.pass-role")?.source).toMatchObject({
      kind: "answer",
      questionId: "common.permissions",
    });
    expect(facts.known.get("iam.shared-role")?.source).toMatchObject({
      answer: expect.stringMatching(/^not chosen/),
    });
  });

  it("lets a chosen option win over a left-out option that sets the same fact", () => {
    // "rotated" implies a secret manager even when "manager" itself is not ticked.
    const facts = factsAfter({
      "context.platform": { kind: "choice", value: "lambda-zip" },
      "common.secrets": { kind: "multi", values: ["rotated"] },
    });
    expect(value(facts, "secrets.manager")).toBe(true);
    expect(value(facts, "secrets.rotation")).toBe(true);
    expect(value(facts, "secrets.env-plaintext")).toBe(false);
    const none = factsAfter({
      "context.platform": { kind: "choice", value: "lambda-zip" },
      "common.secrets": { kind: "multi", values: ["none"] },
    });
    expect(
      ["secrets.manager", "secrets.rotation", "secrets.env-plaintext"].map((f) => value(none, f)),
    ).toEqual([false, false, false]);
  });

  it("leaves every fact of a skipped or unsure multi-select open, not false", () => {
    const facts = factsAfter({
      "context.platform": { kind: "choice", value: "lambda-zip" },
      "common.permissions": { kind: "unsure" },
    });
    expect(facts.known.has("iam.pass-role")).toBe(false);
    expect(facts.open.get("iam.pass-role")).toEqual(["common.permissions"]);
  });

  it("refuses an exclusive option combined with others, saying which", () => {
    const q = question("common.permissions");
    expect(() => validateAnswer(q, { kind: "multi", values: ["none", "pass-role"] })).toThrow(InputError);
    expect(() => validateAnswer(q, { kind: "text", text: "6, 5" })).toThrow(
      /cannot be combined with other options of common\.permissions/,
    );
    expect(validateAnswer(q, { kind: "multi", values: ["none"] })).toEqual({
      kind: "multi",
      values: ["none"],
    });
  });

  it('accepts "1,3" typed, labels and values in lists, and stores them in the question\'s order', () => {
    const q = question("common.permissions");
    expect(validateAnswer(q, { kind: "text", text: "3,1" })).toEqual({
      kind: "multi",
      values: ["shared-role", "static-keys"],
    });
    expect(validateAnswer(q, { kind: "text", text: " 1 , 3 " })).toEqual({
      kind: "multi",
      values: ["shared-role", "static-keys"],
    });
    expect(
      validateAnswer(q, {
        kind: "multi",
        values: ["pass-role", "It uses long-lived cloud access keys", "pass-role"],
      }),
    ).toEqual({ kind: "multi", values: ["static-keys", "pass-role"] });
  });

  it("refuses unknown options in a list and lists every accepted value", () => {
    const q = question("common.permissions");
    const attempt = () => validateAnswer(q, { kind: "multi", values: ["shared-role", "root"] });
    expect(attempt).toThrow(/"root" is not an option of common\.permissions/);
    expect(attempt).toThrow(
      /1\. shared-role .*2\. resource-wildcard .*3\. static-keys .*4\. action-wildcard .*5\. pass-role .*6\. none/,
    );
    expect(() => validateAnswer(q, { kind: "text", text: "1,9" })).toThrow(/comma-separated/);
  });

  it("refuses a list for a single-choice question, and asks undecided teams for two platforms at least", () => {
    expect(() =>
      validateAnswer(question("context.internet-facing"), { kind: "multi", values: ["yes", "no"] }),
    ).toThrow(/takes one answer, not a list/);
    expect(() =>
      validateAnswer(question("context.candidates"), { kind: "multi", values: ["ecs-fargate"] }),
    ).toThrow(/at least two platforms/);
  });
});

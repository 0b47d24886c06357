import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import {
  currentQuestion,
  initialState,
  progress,
  type ReviewState,
  replay,
  transition,
  validateAnswer,
} from "../../../src/core/review/engine.js";
import type { AnswerValue, ReviewEvent } from "../../../src/core/review/events.js";
import { fixtureKb } from "../../support/core.js";

const kb = fixtureKb();
const at = "2026-01-01T00:00:00.000Z";
const answer = (questionId: string, value: AnswerValue, actor = "alice"): ReviewEvent => ({
  type: "answer",
  questionId,
  value,
  actor,
  at,
});
const choice = (value: string): AnswerValue => ({ kind: "choice", value });

function run(state: ReviewState, ...events: ReviewEvent[]): ReviewState {
  return events.reduce((s, e) => {
    const t = transition(kb, s, e);
    if (!t.ok) throw new Error(t.message);
    return t.state;
  }, state);
}

describe("review engine", () => {
  it("asks the Kubernetes question only when the team runs Kubernetes", () => {
    const base = run(
      initialState("container"),
      answer("context.internet-facing", choice("yes")),
      answer("context.data-sensitivity", choice("internal")),
      answer("context.description", { kind: "text", text: "orders API" }),
    );
    expect(currentQuestion(kb, base)?.id).toBe("container.orchestrator");
    const k8s = run(base, answer("container.orchestrator", choice("kubernetes")));
    expect(currentQuestion(kb, k8s)?.id).toBe("container.netpol");
    const ecs = run(base, answer("container.orchestrator", choice("ecs")));
    expect(currentQuestion(kb, ecs)).toBeUndefined();
  });

  it("counts progress as 'question N of M' and shrinks M when an answer closes a branch", () => {
    const s0 = initialState("container");
    // Until the platform is known, the Kubernetes question may still come.
    expect(progress(kb, s0)).toEqual({ index: 1, total: 5, answered: 0 });
    const s = run(
      s0,
      answer("context.internet-facing", choice("yes")),
      answer("context.data-sensitivity", choice("internal")),
      answer("context.description", { kind: "skip" }),
    );
    expect(progress(kb, run(s, answer("container.orchestrator", choice("kubernetes"))))).toEqual({
      index: 5,
      total: 5,
      answered: 4,
    });
    expect(progress(kb, run(s, answer("container.orchestrator", choice("ecs"))))).toEqual({
      index: 4,
      total: 4,
      answered: 4,
    });
  });

  it("goes back one answer at a time and refuses to go back past the start", () => {
    const s = run(initialState("serverless"), answer("context.internet-facing", choice("no")));
    const back = run(s, { type: "back", actor: "bob", at });
    expect(currentQuestion(kb, back)?.id).toBe("context.internet-facing");
    const t = transition(kb, back, { type: "back", actor: "bob", at });
    expect(t.ok).toBe(false);
  });

  it("refuses a second answer to the same question and names who answered", () => {
    const s = run(initialState("serverless"), answer("context.internet-facing", choice("no"), "alice"));
    const t = transition(kb, s, answer("context.internet-facing", choice("yes"), "bob"));
    expect(t).toMatchObject({ ok: false, reason: "already-answered" });
    expect(!t.ok && t.message).toContain("alice");
  });

  it("refuses answers to a question that is not the current one, and anything after finish", () => {
    const s = initialState("serverless");
    expect(transition(kb, s, answer("serverless.role", choice("no")))).toMatchObject({
      ok: false,
      reason: "not-current",
    });
    const done = run(s, { type: "finish", actor: "alice", at });
    expect(transition(kb, done, answer("context.internet-facing", choice("no")))).toMatchObject({
      ok: false,
      reason: "finished",
    });
  });

  it("accepts an option by number, value or label when typed", () => {
    const q = kb.question("context.data-sensitivity");
    if (!q) throw new Error("fixture");
    expect(validateAnswer(q, { kind: "text", text: "3" })).toEqual(choice("confidential"));
    expect(validateAnswer(q, { kind: "text", text: "Restricted" })).toEqual(choice("restricted"));
    expect(validateAnswer(q, { kind: "text", text: "unsure" })).toEqual({ kind: "unsure" });
  });

  it("rejects bad answers with a message saying what to do", () => {
    const q = kb.question("context.description");
    const c = kb.question("context.internet-facing");
    if (!q || !c) throw new Error("fixture");
    expect(() => validateAnswer(c, choice("maybe"))).toThrow(
      /"maybe" is not an option of context.internet-facing\. Choose one of: 1\. yes \(Yes\); 2\. no \(No\); or unsure, skip\./,
    );
    expect(() => validateAnswer(c, { kind: "text", text: "7" })).toThrow(
      /Reply with one of: 1\. yes \(Yes\)/,
    );
    expect(() => validateAnswer(q, { kind: "text", text: "x".repeat(201) })).toThrow(/limit is 200/);
    expect(() => validateAnswer(q, { kind: "text", text: "evil\u202ename" })).toThrow(InputError);
    expect(() => validateAnswer(q, { kind: "text", text: "bell\u0007" })).toThrow(/control/);
    expect(() => validateAnswer(q, { kind: "text", text: "   " })).toThrow(/empty/);
    expect(validateAnswer(q, { kind: "text", text: "line one\nline two" })).toEqual({
      kind: "text",
      text: "line one\nline two",
    });
  });

  it("replaying the stored log always reproduces the live state (any sequence of actions)", () => {
    const action = fc.oneof(
      fc.constant<"back">("back"),
      fc.constant<"skip">("skip"),
      fc.constant<"unsure">("unsure"),
      fc.nat(3),
    );
    fc.assert(
      fc.property(
        fc.constantFrom("vm", "container", "serverless", "undecided" as const),
        fc.array(action, { maxLength: 30 }),
        (workload, actions) => {
          let state = initialState(workload);
          const log: ReviewEvent[] = [];
          for (const a of actions) {
            const q = currentQuestion(kb, state);
            let event: ReviewEvent;
            if (a === "back") event = { type: "back", actor: "p", at };
            else if (!q) continue;
            else if (a === "skip" || a === "unsure") event = answer(q.id, { kind: a });
            else if (q.kind === "text") event = answer(q.id, { kind: "text", text: `answer ${a}` });
            else event = answer(q.id, choice(q.options[a % q.options.length]?.value ?? ""));
            const t = transition(kb, state, event);
            if (t.ok) {
              state = t.state;
              log.push(t.event);
            }
            const p = progress(kb, state);
            expect(p.answered).toBeLessThanOrEqual(p.total);
            const current = currentQuestion(kb, state);
            if (current) expect(state.answers.some((x) => x.questionId === current.id)).toBe(false);
          }
          expect(replay(workload, log)).toEqual(state);
        },
      ),
      { numRuns: 300 },
    );
  });
});

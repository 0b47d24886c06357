import { InputError } from "../errors.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { Condition, Question, Workload } from "../knowledge/schema.js";
import type { AnswerValue, RecordedAnswer, ReviewEvent } from "./events.js";

/**
 * The review as a pure state machine: the state is a fold over the event log, so resuming a
 * review after a crash is just replaying what was stored.
 */
export interface ReviewState {
  readonly workload: Workload;
  /** Answers in the order they were given; "back" removes the last one. */
  readonly answers: readonly RecordedAnswer[];
  readonly finished: boolean;
}

export interface Progress {
  /** 1-based number of the current question ("Question 4 of 15"). */
  index: number;
  total: number;
  answered: number;
}

export const MAX_TEXT_ANSWER = 4000;

export function initialState(workload: Workload): ReviewState {
  return { workload, answers: [], finished: false };
}

export function answerOf(state: ReviewState, questionId: string): RecordedAnswer | undefined {
  return state.answers.find((a) => a.questionId === questionId);
}

/** The option value (or "unsure"/"skip") given to a question, used by askWhen conditions. */
function answerToken(state: ReviewState, questionId: string): string | undefined {
  const v = answerOf(state, questionId)?.value;
  if (!v) return undefined;
  return v.kind === "choice" ? v.value : v.kind === "text" ? "text" : v.kind;
}

/** A condition on an unanswered question is false: branches open only once their trigger is answered. */
export function holds(c: Condition, state: ReviewState): boolean {
  if ("all" in c) return c.all.every((x) => holds(x, state));
  if ("any" in c) return c.any.some((x) => holds(x, state));
  const token = answerToken(state, c.question);
  if (token === undefined) return false;
  return "in" in c ? c.in.includes(token) : !c.notIn.includes(token);
}

/** Questions that apply to this review given what has been answered so far, in asking order. */
export function applicableQuestions(kb: KnowledgeBase, state: ReviewState): Question[] {
  return kb.questions.filter(
    (q) => q.appliesTo.includes(state.workload) && (!q.askWhen || holds(q.askWhen, state)),
  );
}

export function currentQuestion(kb: KnowledgeBase, state: ReviewState): Question | undefined {
  if (state.finished) return undefined;
  return applicableQuestions(kb, state).find((q) => !answerOf(state, q.id));
}

export function progress(kb: KnowledgeBase, state: ReviewState): Progress {
  const questions = applicableQuestions(kb, state);
  const answered = questions.filter((q) => answerOf(state, q.id)).length;
  return { index: Math.min(answered + 1, questions.length), total: questions.length, answered };
}

/** Answers that still count: a branch closed by a changed answer no longer contributes. */
export function effectiveAnswers(kb: KnowledgeBase, state: ReviewState): RecordedAnswer[] {
  const live = new Set(applicableQuestions(kb, state).map((q) => q.id));
  return state.answers.filter((a) => live.has(a.questionId));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Check an answer against its question; the message says what was wrong and what to send instead. */
export function validateAnswer(question: Question, value: AnswerValue): AnswerValue {
  switch (value.kind) {
    case "unsure":
    case "skip":
      return value;
    case "choice": {
      if (question.kind !== "choice") {
        throw new InputError(`Question ${question.id} takes free text, not a choice.`);
      }
      if (!question.options.some((o) => o.value === value.value)) {
        const allowed = [...question.options.map((o) => o.value), "unsure", "skip"].join(", ");
        throw new InputError(
          `"${value.value}" is not an option for ${question.id}. Choose one of: ${allowed}.`,
        );
      }
      return value;
    }
    case "text": {
      if (question.kind === "choice") {
        // A typed option number or value is accepted for choice questions (terminal, thread replies).
        const typed = value.text.trim().toLowerCase();
        const byNumber = /^\d+$/.test(typed) ? question.options[Number(typed) - 1] : undefined;
        const match =
          byNumber ?? question.options.find((o) => o.value === typed || o.label.toLowerCase() === typed);
        if (match) return { kind: "choice", value: match.value };
        if (typed === "unsure" || typed === "skip") return { kind: typed };
        const allowed = question.options.map((o, i) => `${i + 1}. ${o.label}`).join("; ");
        throw new InputError(
          `"${value.text.slice(0, 40)}" is not one of the options. Reply with: ${allowed}.`,
        );
      }
      const text = value.text.trim();
      if (text.length === 0)
        throw new InputError(`The answer to ${question.id} is empty; type an answer or skip.`);
      const limit = Math.min(question.maxLength, MAX_TEXT_ANSWER);
      if (text.length > limit) {
        throw new InputError(
          `The answer to ${question.id} is ${text.length} characters; the limit is ${limit}. Shorten it or link to a document.`,
        );
      }
      if (CONTROL_CHARS.test(text)) {
        throw new InputError(
          `The answer to ${question.id} contains control or direction-override characters; remove them and send it again.`,
        );
      }
      return { kind: "text", text };
    }
  }
}

export type Transition =
  | { ok: true; state: ReviewState; event: ReviewEvent }
  | {
      ok: false;
      reason: "finished" | "already-answered" | "not-current" | "nothing-to-undo";
      message: string;
    };

/** Decide whether an event may be appended; the caller stores it and only then acknowledges it. */
export function transition(kb: KnowledgeBase, state: ReviewState, event: ReviewEvent): Transition {
  if (state.finished)
    return { ok: false, reason: "finished", message: "This review is finished; start a new one." };
  switch (event.type) {
    case "answer": {
      const previous = answerOf(state, event.questionId);
      if (previous) {
        return {
          ok: false,
          reason: "already-answered",
          message: `Already answered by ${previous.actor}.`,
        };
      }
      const current = currentQuestion(kb, state);
      if (!current || current.id !== event.questionId) {
        return {
          ok: false,
          reason: "not-current",
          message: current
            ? `That question is not the current one; the review is at ${current.id}.`
            : "Every question is answered; finish the review.",
        };
      }
      const value = validateAnswer(current, event.value);
      const stored = { ...event, value };
      return { ok: true, event: stored, state: apply(state, stored) };
    }
    case "back":
      if (state.answers.length === 0) {
        return {
          ok: false,
          reason: "nothing-to-undo",
          message: "This is the first question; there is nothing to go back to.",
        };
      }
      return { ok: true, event, state: apply(state, event) };
    case "finish":
      return { ok: true, event, state: apply(state, event) };
  }
}

/** Apply an event that was already validated (replay of the stored log trusts it). */
export function apply(state: ReviewState, event: ReviewEvent): ReviewState {
  switch (event.type) {
    case "answer":
      return {
        ...state,
        answers: [
          ...state.answers,
          { questionId: event.questionId, value: event.value, actor: event.actor, at: event.at },
        ],
      };
    case "back":
      return { ...state, answers: state.answers.slice(0, -1) };
    case "finish":
      return { ...state, finished: true };
  }
}

/** Fold stored events onto a state: from the start, or from a state already folded up to them. */
export function replay(
  workload: Workload,
  events: readonly ReviewEvent[],
  from: ReviewState = initialState(workload),
): ReviewState {
  return events.reduce(apply, from);
}

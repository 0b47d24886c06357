import { InputError } from "../errors.js";
import type { FileFact } from "../facts/state.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { Question, QuestionOption, Workload } from "../knowledge/schema.js";
import type { AnswerValue, RecordedAnswer, ReviewEvent } from "./events.js";
import { factsFromFiles, offeredOptions, optionsSettledByFiles, walkReview } from "./walk.js";

/**
 * The review as a pure state machine: the state is a fold over the event log, so resuming a
 * review after a crash is just replaying what was stored.
 */
export interface ReviewState {
  readonly workload: Workload;
  /** Answers in the order they were given; "back" removes the last one. */
  readonly answers: readonly RecordedAnswer[];
  readonly finished: boolean;
  /** Facts read from the team's files: known from the start, so their questions are not asked. */
  readonly fileFacts: readonly FileFact[];
}

export interface Progress {
  /** 1-based number of the current question ("Question 4 of 15"). */
  index: number;
  total: number;
  answered: number;
}

export const MAX_TEXT_ANSWER = 4000;

export function initialState(workload: Workload, fileFacts: readonly FileFact[] = []): ReviewState {
  return { workload, answers: [], finished: false, fileFacts };
}

export function answerOf(state: ReviewState, questionId: string): RecordedAnswer | undefined {
  return state.answers.find((a) => a.questionId === questionId);
}

/** Questions that apply to this review given what is known so far (answers and files), in asking order. */
export function applicableQuestions(kb: KnowledgeBase, state: ReviewState): Question[] {
  return walkReview(kb, state).questions;
}

/** Questions the review was still going to ask in `before` and no longer asks in `after` (files settled them). */
export function questionsNoLongerAsked(
  kb: KnowledgeBase,
  before: ReviewState,
  after: ReviewState,
): Question[] {
  const still = new Set(applicableQuestions(kb, after).map((q) => q.id));
  return applicableQuestions(kb, before).filter((q) => !answerOf(before, q.id) && !still.has(q.id));
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
/** "value (label)" for every option, so a message can say exactly what is accepted. */
export function describeOptions(options: readonly QuestionOption[]): string {
  return options.map((o, i) => `${i + 1}. ${o.value} (${o.label})`).join("; ");
}

/** One typed option: its number, value or label. */
function matchOption(options: readonly QuestionOption[], typed: string): QuestionOption | undefined {
  const t = typed.trim().toLowerCase();
  const byNumber = /^\d+$/.test(t) ? options[Number(t) - 1] : undefined;
  return byNumber ?? options.find((o) => o.value === t || o.label.toLowerCase() === t);
}

function checkMulti(
  question: Question,
  options: readonly QuestionOption[],
  values: string[],
  settled: readonly QuestionOption[],
): AnswerValue {
  const named = [...new Set(values)];
  const unknown = named.filter(
    (v) => !options.some((o) => o.value === v) && !settled.some((o) => o.value === v),
  );
  if (unknown.length > 0) {
    throw new InputError(
      `${unknown.map((u) => `"${u.slice(0, 40)}"`).join(", ")} ${unknown.length === 1 ? "is not an option" : "are not options"} of ${question.id}. Choose any of: ${describeOptions(options)}.`,
    );
  }
  // Options the files settle may be named (an answers file written without the files); the files say them.
  const unique = named.filter((v) => options.some((o) => o.value === v));
  const exclusive = options.find((o) => o.exclusive && unique.includes(o.value));
  if (exclusive && unique.length > 1) {
    throw new InputError(`"${exclusive.label}" cannot be combined with other options of ${question.id}.`);
  }
  if (question.id === "context.candidates" && unique.length < 2) {
    throw new InputError(
      "Pick at least two platforms to compare; if the choice is made, start a review for that workload instead.",
    );
  }
  // Stored in the question's own order, so the same choice always reads the same.
  return { kind: "multi", values: options.filter((o) => unique.includes(o.value)).map((o) => o.value) };
}

/**
 * Check an answer against its question and the options it offers on this review's platforms; the
 * message says what was wrong and what to send instead.
 */
export function validateAnswer(
  question: Question,
  value: AnswerValue,
  options: readonly QuestionOption[] = question.options,
  settled: readonly QuestionOption[] = [],
): AnswerValue {
  switch (value.kind) {
    case "unsure":
    case "skip":
      return value;
    case "choice": {
      if (question.kind === "text") {
        throw new InputError(`Question ${question.id} takes free text, not a choice.`);
      }
      if (question.kind === "multi") return checkMulti(question, options, [value.value], settled);
      if (!options.some((o) => o.value === value.value)) {
        throw new InputError(
          `"${value.value.slice(0, 40)}" is not an option of ${question.id}. Choose one of: ${describeOptions(options)}; or unsure, skip.`,
        );
      }
      return value;
    }
    case "multi": {
      if (question.kind !== "multi") {
        if (value.values.length === 1 && question.kind === "choice")
          return validateAnswer(
            question,
            { kind: "choice", value: value.values[0] as string },
            options,
            settled,
          );
        throw new InputError(`Question ${question.id} takes one answer, not a list.`);
      }
      return checkMulti(
        question,
        options,
        value.values.map((v) => matchOption(options, v)?.value ?? v),
        settled,
      );
    }
    case "text": {
      if (question.kind !== "text") {
        // Typed option numbers, values or labels are accepted (terminal, thread replies, files);
        // a multi-select takes several, separated by commas.
        const typed = value.text.trim().toLowerCase();
        if (typed === "unsure" || typed === "skip") return { kind: typed };
        if (typed === "")
          throw new InputError(
            `Pick at least one option of ${question.id}${question.kind === "multi" ? ' (or "None of these")' : ""}, or answer unsure or skip.`,
          );
        const parts = question.kind === "multi" ? typed.split(/\s*,\s*/).filter(Boolean) : [typed];
        // A number means a shown option; a settled one can still be named by its value or label.
        const matches = parts.map(
          (p) => matchOption(options, p) ?? (/^\d+$/.test(p) ? undefined : matchOption(settled, p)),
        );
        if (parts.length > 0 && matches.every((m) => m !== undefined)) {
          const values = matches.map((m) => (m as QuestionOption).value);
          return question.kind === "multi"
            ? checkMulti(question, options, values, settled)
            : { kind: "choice", value: values[0] as string };
        }
        const how = question.kind === "multi" ? "one or more of (comma-separated)" : "one of";
        throw new InputError(
          `"${value.text.slice(0, 40)}" is not ${question.kind === "multi" ? "a list of options" : "one of the options"} of ${question.id}. Reply with ${how}: ${describeOptions(options)}; or unsure, skip.`,
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
      const { platforms } = walkReview(kb, state);
      const fromFiles = factsFromFiles(state);
      const value = validateAnswer(
        current,
        event.value,
        offeredOptions(kb, current, platforms, fromFiles),
        optionsSettledByFiles(kb, current, platforms, fromFiles),
      );
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
    case "files":
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
    case "files":
      return { ...state, fileFacts: event.facts };
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

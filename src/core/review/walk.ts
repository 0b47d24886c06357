import { evaluate } from "../facts/evaluate.js";
import type { FactSource, FactState, FileFact, KnownFact } from "../facts/state.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type { FactValue, Question, QuestionOption } from "../knowledge/schema.js";
import type { ReviewState } from "./engine.js";
import type { AnswerValue, RecordedAnswer } from "./events.js";

/** A question whose options pin the platform (decided reviews) or the candidates (undecided ones). */
export const pinsPlatform = (q: Question) => q.options.some((o) => o.platform);

export interface Walk {
  /** Questions this review asks, in order, given what is known so far. */
  questions: Question[];
  facts: FactState;
  /** The platforms the review may be about: the pinned one, the candidates, or all of the workload's. */
  platforms: string[];
  /** Whether someone pinned them (an answer or a file). */
  platformsKnown: boolean;
  /** Where the platform came from, when known. */
  platformSource?: FactSource;
  /** The question that pins the platform, when this review asks one. */
  platformQuestion?: string;
}

function onPlatforms(kb: KnowledgeBase, q: Question, platforms: readonly string[]): QuestionOption[] {
  return q.options.filter(
    (o) => !o.platforms || kb.vocabulary.resolve(o.platforms).some((p) => platforms.includes(p)),
  );
}

/** An option of a multi-select whose every fact the team's files already show. */
function settledOption(q: Question, o: QuestionOption, fromFiles: ReadonlySet<string>): boolean {
  const facts = Object.keys(o.sets);
  return q.kind === "multi" && facts.length > 0 && facts.every((f) => fromFiles.has(f));
}

/**
 * The options a question offers on the platforms still possible. A multi-select leaves out the options
 * the team's files settle, so it asks only what the files leave open.
 */
export function offeredOptions(
  kb: KnowledgeBase,
  q: Question,
  platforms: readonly string[],
  fromFiles: ReadonlySet<string> = new Set(),
): QuestionOption[] {
  return onPlatforms(kb, q, platforms).filter((o) => !settledOption(q, o, fromFiles));
}

/** The options of a multi-select the files settle: an answer may still name them, and they say nothing new. */
export function optionsSettledByFiles(
  kb: KnowledgeBase,
  q: Question,
  platforms: readonly string[],
  fromFiles: ReadonlySet<string>,
): QuestionOption[] {
  return onPlatforms(kb, q, platforms).filter((o) => settledOption(q, o, fromFiles));
}

/** Facts the team's files show. */
export function factsFromFiles(state: Pick<ReviewState, "fileFacts">): Set<string> {
  return new Set(state.fileFacts.map((f) => f.fact));
}

function asked(kb: KnowledgeBase, q: Question, platforms: readonly string[]): boolean {
  return !q.platforms || kb.vocabulary.resolve(q.platforms).some((p) => platforms.includes(p));
}

/** Facts an answer to a question can settle. */
export function factsOf(q: Pick<Question, "options">): string[] {
  return [...new Set(q.options.flatMap((o) => Object.keys(o.sets)))];
}

/** The facts one answer establishes; for multi-select, what is not chosen is the opposite of its option. */
export function factsFromAnswer(
  offered: readonly QuestionOption[],
  a: RecordedAnswer,
): Map<string, FactValue> {
  const out = new Map<string, FactValue>();
  const v = a.value;
  if (v.kind === "choice") {
    const o = offered.find((x) => x.value === v.value);
    for (const [f, val] of Object.entries(o?.sets ?? {})) out.set(f, val);
  } else if (v.kind === "multi") {
    const chosen = new Set(v.values);
    for (const o of offered) {
      if (chosen.has(o.value)) continue;
      for (const [f, val] of Object.entries(o.sets)) if (typeof val === "boolean") out.set(f, !val);
    }
    for (const o of offered) {
      if (!chosen.has(o.value)) continue;
      for (const [f, val] of Object.entries(o.sets)) out.set(f, val);
    }
  }
  return out;
}

/** How an answer reads back to people: the options' labels, the text, or Unsure/Skipped. Not escaped. */
export function answerLabel(q: Question | undefined, value: AnswerValue): string {
  const label = (v: string) => q?.options.find((o) => o.value === v)?.label ?? v;
  switch (value.kind) {
    case "choice":
      return label(value.value);
    case "multi":
      return value.values.map(label).join("; ");
    case "text":
      return value.text;
    case "unsure":
      return "Unsure";
    case "skip":
      return "Skipped";
  }
}

function fileSource(f: FileFact): FactSource {
  return { kind: "file", file: f.file, line: f.line, excerpt: f.excerpt };
}

/**
 * Walk the question bank in order, as the review would: each answer sets facts that decide which later
 * questions are asked. Facts from files (and from answers to an earlier question bank) are known from
 * the start; a question whose facts are all known is not asked, unless someone answered it anyway.
 */
export function walkReview(kb: KnowledgeBase, state: ReviewState): Walk {
  // States are never changed in place, so one walk per state serves every caller: a click asks
  // for the current question, its options and the progress of the same state several times.
  let byState = walks.get(kb);
  if (!byState) {
    byState = new WeakMap();
    walks.set(kb, byState);
  }
  const known = byState.get(state);
  if (known) return known;
  const walk = walkOnce(kb, state);
  byState.set(state, walk);
  return walk;
}

const walks = new WeakMap<KnowledgeBase, WeakMap<ReviewState, Walk>>();

function walkOnce(kb: KnowledgeBase, state: ReviewState): Walk {
  const v = kb.vocabulary;
  const known = new Map<string, KnownFact>();
  const open = new Map<string, string[]>();
  let platforms = v.platformsOf(state.workload);
  // A workload with a single platform needs no question to pin it.
  let platformsKnown = platforms.length === 1;
  let platformSource: FactSource | undefined;
  let platformQuestion: string | undefined;

  // A file can only narrow the platform within the review's workload.
  const filePlatforms = [...new Set(state.fileFacts.flatMap((f) => (f.platform ? [f.platform] : [])))].filter(
    (p) => platforms.includes(p),
  );
  if (state.workload !== "undecided" && filePlatforms.length === 1) {
    platforms = filePlatforms;
    platformsKnown = true;
    const from = state.fileFacts.find((f) => f.platform === filePlatforms[0]);
    if (from) platformSource = fileSource(from);
  }
  for (const f of state.fileFacts) known.set(f.fact, { value: f.value, source: fileSource(f) });
  /** An answer given to an earlier question bank still counts for the facts it stated. */
  const recordLegacy = (a: RecordedAnswer): { source: FactSource; platform?: string } | undefined => {
    // The loader keeps old values apart from a reused question's new ones, so a match is always old.
    const picked = a.value.kind === "choice" ? kb.legacy(a.questionId)?.options[a.value.value] : undefined;
    if (!picked) return undefined;
    const source: FactSource = { kind: "answer", questionId: a.questionId, answer: picked.label };
    for (const [f, value] of Object.entries(picked.sets)) if (!known.has(f)) known.set(f, { value, source });
    return { source, ...(picked.platform ? { platform: picked.platform } : {}) };
  };
  for (const a of state.answers) {
    if (kb.question(a.questionId)) continue;
    const legacy = recordLegacy(a);
    if (legacy?.platform && platforms.includes(legacy.platform) && !platformsKnown) {
      platforms = [legacy.platform];
      platformsKnown = true;
      platformSource = legacy.source;
    }
  }
  const knownBefore = new Set(known.keys());
  const fromFiles = factsFromFiles(state);

  const answers = new Map(state.answers.map((a) => [a.questionId, a]));
  const questions: Question[] = [];
  for (const q of kb.questions) {
    if (!q.appliesTo.includes(state.workload) || !asked(kb, q, platforms)) continue;
    const when = q.askWhen;
    if (when && platforms.every((p) => evaluate(when, { known, open }, p, v).truth === false)) continue;
    const a = answers.get(q.id);
    const offered = offeredOptions(kb, q, platforms, fromFiles);
    // Only the facts its options can still set on these platforms count.
    const settles = factsOf({ options: onPlatforms(kb, q, platforms) });
    if (pinsPlatform(q)) platformQuestion = q.id;
    const settledAlready = pinsPlatform(q)
      ? platformsKnown
      : settles.length > 0 && settles.every((f) => knownBefore.has(f));
    if (settledAlready && !a) continue;
    questions.push(q);
    if (!a || a.value.kind === "unsure" || a.value.kind === "skip") {
      for (const f of settles) if (!known.has(f)) open.set(f, [...(open.get(f) ?? []), q.id]);
      continue;
    }
    // An id the new bank reuses may hold an answer given to its earlier version.
    if (recordLegacy(a)) continue;
    const label = answerLabel(q, a.value);
    const source: FactSource = { kind: "answer", questionId: q.id, answer: label };
    if (pinsPlatform(q)) {
      const chosen =
        a.value.kind === "multi" ? a.value.values : a.value.kind === "choice" ? [a.value.value] : [];
      const pinned = offered.flatMap((o) => (chosen.includes(o.value) && o.platform ? [o.platform] : []));
      if (pinned.length > 0) {
        platforms = v.platforms.filter((p) => pinned.includes(p));
        platformsKnown = true;
        platformSource = source;
      }
      continue;
    }
    const chosenSets = new Set(
      offered
        .filter((o) => a.value.kind === "multi" && a.value.values.includes(o.value))
        .flatMap((o) => Object.keys(o.sets)),
    );
    for (const [f, value] of factsFromAnswer(offered, a)) {
      // A file is evidence too: where the two disagree, the file's line stays on record beside the answer.
      const prior = known.get(f);
      if (prior?.source.kind === "file" && prior.value !== value) continue;
      // A multi-select says a fact by leaving its option out: name that option.
      const leftOut = q.kind === "multi" && !chosenSets.has(f) ? offered.find((o) => f in o.sets) : undefined;
      const said = leftOut ? `not chosen: "${leftOut.label}"` : label;
      known.set(f, { value, source: { ...source, answer: said } });
    }
  }
  return {
    questions,
    facts: { known, open },
    platforms,
    platformsKnown,
    ...(platformSource ? { platformSource } : {}),
    ...(platformQuestion ? { platformQuestion } : {}),
  };
}

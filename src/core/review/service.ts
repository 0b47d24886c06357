import { z } from "zod";
import type { ReviewRecord, ReviewStore, SlackLocation } from "../../storage/review-store.js";
import { type PostedMessage, SlackStore } from "../../storage/slack-store.js";
import { InputError, NotFoundError } from "../errors.js";
import { describeSource, type FileFact, formatValue } from "../facts/state.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import { type FactValue, type Question, type QuestionOption, Workload } from "../knowledge/schema.js";
import { renderMarkdown } from "../report/markdown.js";
import { maskSecrets, secretWarning } from "../secrets/mask.js";
import { deriveThreatModel } from "../threats/derive.js";
import { Severity, ThreatModel } from "../threats/model.js";
import {
  answerOf,
  applicableQuestions,
  apply,
  currentQuestion,
  initialState,
  type Progress,
  progress,
  type ReviewState,
  replay,
  transition,
  validateAnswer,
} from "./engine.js";
import type { AnswerValue, ReviewEvent } from "./events.js";
import {
  factsFromAnswer,
  factsFromFiles,
  factsOf,
  offeredOptions,
  pinsPlatform,
  walkReview,
} from "./walk.js";

export type { ReviewRecord };

export interface ReviewView {
  review: ReviewRecord;
  state: ReviewState;
  /** The question to ask next; undefined once every question is answered or the review is finished. */
  question: Question | undefined;
  /** The options it offers on this review's platforms. */
  options: QuestionOption[];
  progress: Progress;
}

export type Outcome =
  | { status: "recorded"; view: ReviewView; warnings: string[] }
  | { status: "duplicate"; view: ReviewView }
  | { status: "rejected"; reason: string; message: string; view: ReviewView };

export interface FinishedModel {
  model: ThreatModel;
  markdown: string;
  version: number;
}

/** Who is looking: Slack callers see only their workspace, and private-channel reviews only from that channel. */
export interface Viewer {
  teamId: string;
  channelId?: string | undefined;
}

export interface StartInput {
  name: string;
  workload: string;
  actor: string;
  origin: ReviewRecord["origin"];
  slack?: SlackLocation;
  /** Answers known up front (the Slack modal asks a few context questions). */
  prefill?: Record<string, AnswerValue>;
  /** Facts read from the team's files: confirmed from the start, so their questions are not asked. */
  fileFacts?: readonly FileFact[];
  /**
   * Runs first inside the transaction that creates the review (an adapter's once-only claim, say);
   * throwing stops the start with nothing written.
   */
  guard?: () => void;
}

/** A review as lists show it. */
export type ListedReview = ReviewRecord & { bySeverity: Record<Severity, number> | undefined };

const StoredCounts = z.object({ summary: z.object({ bySeverity: z.record(Severity, z.number()) }) });

/** Raw answers from a file: option value, label or number (a list for multi-select), "unsure", "skip", or text. */
export type RawAnswers = Record<string, string | number | boolean | (string | number)[]>;

const MAX_NAME = 80;
// biome-ignore lint/suspicious/noControlCharactersInRegex: names must not carry control characters
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * The one entry point adapters use. Every change is one SQLite transaction that commits before the
 * method returns, so an adapter that acknowledges after the call never acknowledges a lost answer.
 */
export class ReviewService {
  /**
   * Folded state per review with the last event it includes. Every read still asks the database for
   * newer events, so writes from another process (the CLI beside the bot) are never missed.
   */
  private readonly folded = new Map<number, { seq: number; state: ReviewState }>();
  private static readonly FOLDED_MAX = 500;
  /** Writes waiting for the next group commit; each runs inside the shared transaction. */
  private readonly pending: {
    write: () => unknown;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }[] = [];

  /** Called inside the transaction of each recorded change (see onChange). */
  private readonly observers: ((reviewId: number) => void)[] = [];
  private readonly claims: SlackStore;

  constructor(
    readonly kb: KnowledgeBase,
    readonly store: ReviewStore,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.claims = new SlackStore(store.db, now);
  }

  /** The review's record without folding its log; undefined when there is none (callers check visibility). */
  byId(reviewId: number): ReviewRecord | undefined {
    return this.store.getReview(reviewId);
  }

  /** Whether a change was recorded under this key (a retried click, a message delivered again). */
  recorded(key: string): boolean {
    return this.store.seen(key) !== undefined;
  }

  /** The review whose Slack thread this is, if any (callers check who may see it). */
  byThread(channelId: string, threadTs: string): ReviewRecord | undefined {
    return this.store.reviewByThread(channelId, threadTs);
  }

  /** Who pressed Finish, once the review is finished. */
  finishedBy(reviewId: number): string | undefined {
    return [...this.store.events(reviewId)].reverse().find((e) => e.type === "finish")?.actor;
  }

  /**
   * Take a once-only key before work that must happen once (a review started from one trigger, a
   * question answered once); false when it was taken before. Stored, so a retry or another process sees it.
   */
  claim(key: string, about: { reviewId?: number; questionId?: string; channelId?: string } = {}): boolean {
    return this.claims.claim(key, about);
  }

  claimed(key: string): boolean {
    return this.claims.claimed(key);
  }

  /** Give a claim back when its work failed before anything was shown, so a retry can do it. */
  release(key: string): void {
    this.claims.release(key);
  }

  /** Remember the message a claimed piece of work posted. */
  claimedMessage(key: string, message: PostedMessage): void {
    this.claims.setMessage(key, message);
  }

  /**
   * Run `fn` inside the transaction of every change to a review (start, answer, back, finish), so
   * an adapter can write what the change causes (a pending Slack message) atomically with it.
   */
  onChange(fn: (reviewId: number) => void): void {
    this.observers.push(fn);
  }

  private changed(reviewId: number): void {
    for (const fn of this.observers) fn(reviewId);
  }

  async start(input: StartInput): Promise<{ view: ReviewView; warnings: string[] }> {
    const header = await this.checkedHeader(input);
    const prefill = await this.prepare(input.prefill ?? {});
    const warnings = [...header.warnings, ...prefill.warnings];

    const review = await this.groupCommit(() => {
      input.guard?.();
      const at = this.now();
      const created = this.store.createReview({
        name: header.name,
        workload: header.workload,
        origin: input.origin,
        createdBy: input.actor,
        at,
        slack: input.slack,
      });
      this.store.saveFileFacts(created.id, input.fileFacts ?? [], at);
      let state = initialState(created.workload, input.fileFacts ?? []);
      for (const [questionId, value] of Object.entries(prefill.values)) {
        const t = transition(this.kb, state, { type: "answer", questionId, value, actor: input.actor, at });
        if (!t.ok) throw new InputError(`Cannot pre-fill ${questionId}: ${t.message}`);
        this.store.append(created.id, t.event);
        state = t.state;
      }
      this.changed(created.id);
      return created;
    });
    return { view: this.view(review.id), warnings };
  }

  /** Load a review and fold its log; throws NotFoundError when it does not exist or is not visible. */
  view(reviewId: number, viewer?: Viewer): ReviewView {
    const review = this.store.getReview(reviewId);
    if (!review || (viewer && !visibleTo(review, viewer))) {
      throw new NotFoundError(`No review #${reviewId} here. Use 'list' to see the reviews you can open.`);
    }
    const cached = this.folded.get(review.id);
    const newer = this.store.eventsAfter(review.id, cached?.seq ?? 0);
    const state = replay(
      review.workload,
      newer.map((e) => e.event),
      cached?.state ?? initialState(review.workload, this.store.fileFacts(review.id)),
    );
    this.remember(review.id, newer.at(-1)?.seq ?? cached?.seq ?? 0, state);
    return this.viewOf(review, state);
  }

  private remember(reviewId: number, seq: number, state: ReviewState): void {
    this.folded.delete(reviewId);
    this.folded.set(reviewId, { seq, state });
    if (this.folded.size > ReviewService.FOLDED_MAX) {
      const oldest = this.folded.keys().next().value;
      if (oldest !== undefined) this.folded.delete(oldest);
    }
  }

  /** One write transaction; a rollback may have undone events the cache saw, so forget it then. */
  private transaction<T>(fn: () => T): T {
    try {
      return this.store.transaction(fn);
    } catch (e) {
      this.folded.clear();
      throw e;
    }
  }

  private viewOf(review: ReviewRecord, state: ReviewState): ReviewView {
    const question = currentQuestion(this.kb, state);
    const options = question
      ? offeredOptions(this.kb, question, walkReview(this.kb, state).platforms, factsFromFiles(state))
      : [];
    return { review, state, question, options, progress: progress(this.kb, state) };
  }

  list(filter: { viewer?: Viewer; limit?: number } = {}): ReviewRecord[] {
    return this.store.list({
      teamId: filter.viewer?.teamId,
      channelId: filter.viewer?.channelId,
      limit: filter.limit,
    });
  }

  /**
   * Reviews for a list, each with the open threats by severity of its latest stored model (none
   * before the first finish): the one place lists get their counts from.
   */
  listWithCounts(filter: { viewer?: Viewer; limit?: number } = {}): ListedReview[] {
    return this.list(filter).map((r) => {
      const stored = this.store.threatModel(r.id);
      const parsed = stored ? StoredCounts.safeParse(JSON.parse(stored.json)) : undefined;
      return { ...r, bySeverity: parsed?.success ? parsed.data.summary.bySeverity : undefined };
    });
  }

  async answer(input: {
    reviewId: number;
    questionId: string;
    value: AnswerValue;
    actor: string;
    idempotencyKey?: string;
  }): Promise<Outcome> {
    const { value, warning } = await this.checkedAnswer(input.questionId, input.value);
    const warnings = warning ? [warning] : [];
    const event: ReviewEvent = {
      type: "answer",
      questionId: input.questionId,
      value,
      actor: input.actor,
      at: this.now(),
    };
    return this.groupCommit(() => this.recordAndPlan(input.reviewId, event, input.idempotencyKey, warnings));
  }

  /**
   * Facts from files shared during the review. `merge` turns the facts the review holds into the
   * ones it holds next (one deciding line per fact); `alongside` runs in the same transaction, before
   * the next question is planned, with answers the files now contradict (both sides named). The
   * next question is planned only when the files moved the review on.
   */
  async addFiles(input: {
    reviewId: number;
    merge: (held: readonly FileFact[]) => FileFact[];
    actor: string;
    idempotencyKey: string;
    alongside?: (change: { before: ReviewView; after: ReviewView; conflicts: string[] }) => void;
  }): Promise<Outcome> {
    return this.groupCommit(() =>
      this.transaction((): Outcome => {
        if (this.recorded(input.idempotencyKey))
          return { status: "duplicate", view: this.view(input.reviewId) };
        const before = this.view(input.reviewId);
        const event: ReviewEvent = {
          type: "files",
          facts: input.merge(before.state.fileFacts),
          actor: input.actor,
          at: this.now(),
        };
        const t = transition(this.kb, before.state, event);
        if (!t.ok) return { status: "rejected", reason: t.reason, message: t.message, view: before };
        this.remember(
          input.reviewId,
          this.store.append(input.reviewId, t.event, input.idempotencyKey),
          t.state,
        );
        const view = this.viewOf({ ...before.review, updatedAt: event.at }, t.state);
        const answered = t.state.answers.map((a) => a.questionId);
        const values = Object.fromEntries(t.state.answers.map((a) => [a.questionId, a.value]));
        // Only what these files brought up: a disagreement shown for earlier files is not repeated.
        const earlier = new Set(settledByFiles(this.kb, before.state, answered, values).conflicts);
        const conflicts = settledByFiles(this.kb, t.state, answered, values).conflicts.filter(
          (c) => !earlier.has(c),
        );
        input.alongside?.({ before, after: view, conflicts });
        if (view.question?.id !== before.question?.id) this.changed(input.reviewId);
        return { status: "recorded", view, warnings: conflicts };
      }),
    );
  }

  /** Run a write in the next group commit; resolves after that commit. */
  private groupCommit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (v: unknown) => void, reject });
      // A full group commits at once, so the first acknowledgements of a burst do not wait for its last requests.
      if (this.pending.length >= ReviewService.GROUP_MAX) this.flush();
      else if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Writes per group commit: enough to share an fsync, few enough that acks go out as a burst arrives. */
  private static readonly GROUP_MAX = 16;

  /**
   * Group commit: answers and new reviews that arrive together (many people clicking in Slack) share
   * one transaction and one fsync. Each promise resolves only after that commit, so nothing is
   * acknowledged early.
   */
  private flush(): void {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    let results: unknown[] | undefined;
    try {
      results = this.transaction(() => batch.map((p) => p.write()));
    } catch {
      results = undefined;
    }
    if (results) {
      for (const [i, p] of batch.entries()) p.resolve(results[i]);
      return;
    }
    // Something in the batch failed: retry each write alone so only the bad one fails.
    for (const p of batch) {
      try {
        p.resolve(this.transaction(() => p.write()));
      } catch (e) {
        p.reject(e);
      }
    }
  }

  back(reviewId: number, actor: string, idempotencyKey?: string): Outcome {
    return this.transaction(() =>
      this.recordAndPlan(reviewId, { type: "back", actor, at: this.now() }, idempotencyKey, []),
    );
  }

  private recordAndPlan(reviewId: number, event: ReviewEvent, key: string | undefined, warnings: string[]) {
    const outcome = this.record(reviewId, event, key, warnings);
    if (outcome.status === "recorded") this.changed(reviewId);
    return outcome;
  }

  /** Finish the review and store a new version of its threat model, in one transaction. */
  finish(reviewId: number, actor: string, idempotencyKey?: string): FinishedModel & { outcome: Outcome } {
    return this.transaction(() => {
      const outcome = this.record(reviewId, { type: "finish", actor, at: this.now() }, idempotencyKey, []);
      if (outcome.status === "recorded") {
        const saved = this.saveModel(outcome.view);
        this.changed(reviewId);
        return { ...saved, outcome };
      }
      return { ...this.threatModel(reviewId), outcome };
    });
  }

  /**
   * Run a whole review from an answers file, as one transaction: the review, every answer and its
   * threat model are stored together or not at all. Questions the file leaves out are skipped and
   * show up as open questions.
   */
  async reviewFromAnswers(
    input: Omit<StartInput, "prefill" | "slack">,
    raw: RawAnswers,
  ): Promise<FinishedModel & { reviewId: number; warnings: string[] }> {
    const header = await this.checkedHeader(input);
    const forWorkload = this.kb.questions
      .filter((q) => q.appliesTo.includes(header.workload))
      .map((q) => q.id);
    const unknown = Object.keys(raw).filter((id) => !this.kb.question(id));
    const otherWorkload = Object.keys(raw).filter((id) => this.kb.question(id) && !forWorkload.includes(id));
    if (unknown.length > 0 || otherWorkload.length > 0) {
      const parts = [
        unknown.length > 0 ? `Unknown question ids: ${unknown.join(", ")}.` : "",
        otherWorkload.length > 0
          ? `Not asked in a ${header.workload} review: ${otherWorkload.map((id) => `${id} (${this.kb.question(id)?.appliesTo.join("/")})`).join(", ")}.`
          : "",
        `A ${header.workload} review accepts: ${forWorkload.join(", ")} (values: 'threatbot questions --workload ${header.workload}').`,
      ];
      throw new InputError(parts.filter(Boolean).join(" "));
    }
    const values: Record<string, AnswerValue> = {};
    for (const [id, v] of Object.entries(raw)) values[id] = toAnswerValue(v);
    const prepared = await this.prepare(values);

    return this.transaction(() => {
      const at = this.now();
      const review = this.store.createReview({ ...header, origin: input.origin, createdBy: input.actor, at });
      const fileFacts = input.fileFacts ?? [];
      this.store.saveFileFacts(review.id, fileFacts, at);
      let state = initialState(review.workload, fileFacts);
      for (let q = currentQuestion(this.kb, state); q; q = currentQuestion(this.kb, state)) {
        const value = prepared.values[q.id] ?? { kind: "skip" };
        const t = transition(this.kb, state, {
          type: "answer",
          questionId: q.id,
          value,
          actor: input.actor,
          at,
        });
        if (!t.ok) throw new InputError(`${q.id}: ${t.message}`);
        this.store.append(review.id, t.event);
        state = t.state;
      }
      const settled = settledByFiles(
        this.kb,
        state,
        Object.keys(raw).filter((id) => !answerOf(state, id)),
        prepared.values,
      );
      const notAsked = Object.keys(raw).filter((id) => !answerOf(state, id) && !settled.ids.has(id));
      if (notAsked.length > 0) {
        // An answer the review never asks for would be silently lost: refuse the file instead.
        throw new InputError(
          `Not asked for this review's answers (platform or earlier answers rule them out): ${notAsked.join(", ")}. Remove them, or change the answers that close them. Asked here: ${applicableQuestions(
            this.kb,
            state,
          )
            .map((q) => q.id)
            .join(", ")}.`,
        );
      }
      const finishEvent: ReviewEvent = { type: "finish", actor: input.actor, at };
      this.store.append(review.id, finishEvent);
      const finished = this.saveModel(
        this.viewOf({ ...review, status: "finished" }, apply(state, finishEvent)),
      );
      const warnings = [...header.warnings, ...prepared.warnings, ...settled.conflicts];
      return { ...finished, reviewId: review.id, warnings };
    });
  }

  /**
   * The latest model of a finished review, or a draft derived from the answers so far. A finished
   * review whose stored model came from another knowledge base (or an earlier model format) is
   * derived again into a new version; the earlier versions stay as they were.
   */
  threatModel(reviewId: number, opts: { viewer?: Viewer } = {}): FinishedModel {
    const view = this.view(reviewId, opts.viewer);
    const stored = this.store.threatModel(reviewId);
    const current = stored ? ThreatModel.safeParse(JSON.parse(stored.json)) : undefined;
    if (stored && current?.success && current.data.knowledgeBaseVersion === this.kb.version)
      return { model: current.data, markdown: stored.markdown, version: stored.version };
    if (view.review.status === "finished") return this.transaction(() => this.saveModel(view));
    const model = this.derive(view, this.store.latestVersion(reviewId) + 1);
    return { model, markdown: renderMarkdown(model), version: model.version };
  }

  /** A stored version exactly as it was saved (any model format), for show and export of history. */
  storedVersion(reviewId: number, version: number, opts: { viewer?: Viewer } = {}) {
    this.view(reviewId, opts.viewer);
    const stored = this.store.threatModel(reviewId, version);
    if (!stored)
      throw new NotFoundError(`Review #${reviewId} has no version ${version} of its threat model.`);
    const parsed = ThreatModel.safeParse(JSON.parse(stored.json));
    return { ...stored, model: parsed.success ? parsed.data : undefined };
  }

  private derive(view: ReviewView, version: number): ThreatModel {
    const { review } = view;
    return deriveThreatModel(
      this.kb,
      {
        id: review.id,
        uuid: review.uuid,
        name: review.name,
        workload: review.workload,
        createdBy: review.createdBy,
        createdAt: review.createdAt,
      },
      view.state,
      { version, generatedAt: this.now() },
    );
  }

  private saveModel(view: ReviewView): FinishedModel {
    const model = this.derive(view, this.store.latestVersion(view.review.id) + 1);
    const markdown = renderMarkdown(model);
    const version = this.store.saveThreatModel(
      view.review.id,
      model.generatedAt,
      JSON.stringify(model),
      markdown,
    );
    return { model, markdown, version };
  }

  private record(reviewId: number, event: ReviewEvent, key: string | undefined, warnings: string[]): Outcome {
    return this.transaction(() => {
      if (key && this.store.seen(key) !== undefined)
        return { status: "duplicate", view: this.view(reviewId) };
      const view = this.view(reviewId);
      const t = transition(this.kb, view.state, event);
      if (!t.ok) return { status: "rejected", reason: t.reason, message: t.message, view };
      this.remember(reviewId, this.store.append(reviewId, t.event, key), t.state);
      const review = {
        ...view.review,
        updatedAt: event.at,
        status: t.state.finished ? "finished" : "in_progress",
      } as const;
      return { status: "recorded", view: this.viewOf(review, t.state), warnings };
    });
  }

  private async checkedHeader(input: { name: string; workload: string }) {
    const workload = Workload.safeParse(input.workload);
    if (!workload.success) {
      throw new InputError(
        `Unknown workload "${input.workload}". Use one of: vm, container, serverless, undecided.`,
      );
    }
    const trimmed = input.name.trim();
    if (trimmed.length === 0) throw new InputError("The system needs a name, e.g. 'payments-api'.");
    if (trimmed.length > MAX_NAME)
      throw new InputError(`The name is ${trimmed.length} characters; keep it under ${MAX_NAME}.`);
    if (NAME_FORBIDDEN.test(trimmed))
      throw new InputError("The name contains control characters; type it again.");
    const masked = await maskSecrets(trimmed);
    const warning = secretWarning(masked.findings);
    return { name: masked.text, workload: workload.data, warnings: warning ? [warning] : [] };
  }

  /** Validate and mask answers before any transaction starts (masking is asynchronous). */
  private async prepare(values: Record<string, AnswerValue>) {
    const out: Record<string, AnswerValue> = {};
    const warnings: string[] = [];
    for (const [id, raw] of Object.entries(values)) {
      const checked = await this.checkedAnswer(id, raw);
      out[id] = checked.value;
      if (checked.warning) warnings.push(`${id}: ${checked.warning}`);
    }
    return { values: out, warnings };
  }

  /** Validate one answer against its question and mask any secret in free text. */
  private async checkedAnswer(
    questionId: string,
    raw: AnswerValue,
  ): Promise<{ value: AnswerValue; warning?: string }> {
    const question = this.kb.question(questionId);
    if (!question) throw new InputError(`Unknown question "${questionId}".`);
    // Options are checked when the answer is applied, against what the review offers on its platform
    // (a typed "2" means the second option shown); only free text needs checking and masking here.
    if (question.kind !== "text") return { value: raw };
    const value = validateAnswer(question, raw);
    if (value.kind !== "text") return { value };
    const masked = await maskSecrets(value.text);
    return { value: { kind: "text", text: masked.text }, warning: secretWarning(masked.findings) };
  }
}

export function toAnswerValue(v: RawAnswers[string]): AnswerValue {
  if (Array.isArray(v)) return { kind: "multi", values: v.map((x) => String(x).trim().toLowerCase()) };
  const text = typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
  const lowered = text.trim().toLowerCase();
  if (lowered === "unsure" || lowered === "skip") return { kind: lowered };
  // validateAnswer turns text into a choice for choice questions (value, label or number).
  return { kind: "text", text };
}

/**
 * Answers to questions the team's files already settle. Where an answer agrees with the files it is
 * simply not needed; where it disagrees, both are shown and the file's line stays the evidence.
 */
function settledByFiles(
  kb: KnowledgeBase,
  state: ReviewState,
  ids: readonly string[],
  values: Record<string, AnswerValue>,
): { ids: Set<string>; conflicts: string[] } {
  const walk = walkReview(kb, state);
  const settledIds = new Set<string>();
  const conflicts: string[] = [];
  for (const id of ids) {
    const q = kb.question(id);
    const value = values[id];
    if (!q || !value || !q.appliesTo.includes(state.workload)) continue;
    const facts = factsOf(q);
    const fromFiles = facts.map((f) => walk.facts.known.get(f));
    const allFromFiles = facts.length > 0 && fromFiles.every((k) => k?.source.kind === "file");
    const platformFromFiles = pinsPlatform(q) && walk.platformSource?.kind === "file";
    if (!allFromFiles && !platformFromFiles) continue;
    settledIds.add(id);
    const chosen =
      value.kind === "choice" ? q.options.find((o) => o.value === value.value)?.platform : undefined;
    if (platformFromFiles && walk.platformSource && chosen && !walk.platforms.includes(chosen)) {
      conflicts.push(
        `${id}: the answer says ${chosen}, but ${describeSource(walk.platformSource)} shows ${walk.platforms.join(", ")}; the files decide the platform. Fix the file or the answer.`,
      );
    }
    let said: Map<string, FactValue>;
    try {
      const offered = offeredOptions(kb, q, walk.platforms);
      const checked = validateAnswer(q, value, offered);
      said = factsFromAnswer(offered, { questionId: id, value: checked, actor: "", at: "" });
    } catch {
      continue; // An answer that fits none of the options says nothing to compare.
    }
    for (const [fact, v] of said) {
      const known = walk.facts.known.get(fact);
      if (known && known.value !== v) {
        conflicts.push(
          `${id}: the answer says ${fact} = ${formatValue(v)}, but ${describeSource(known.source)} shows ${formatValue(known.value)}; the file is kept as the evidence. Fix the file or the answer.`,
        );
      }
    }
  }
  return { ids: settledIds, conflicts };
}

/** Terminal reviews have no workspace, so no Slack workspace sees them; the command line sees everything. */
export function visibleTo(review: ReviewRecord, viewer: Viewer): boolean {
  if (!review.slack) return false;
  if (review.slack.teamId !== viewer.teamId) return false;
  return !review.slack.channelPrivate || review.slack.channelId === viewer.channelId;
}

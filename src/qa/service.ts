import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { InputError } from "../core/errors.js";
import type { KnowledgeBase } from "../core/knowledge/load.js";
import type { Workload } from "../core/knowledge/schema.js";
import { KnowledgeIndex } from "../core/knowledge/search.js";
import type { ReviewService, Viewer } from "../core/review/service.js";
import { maskSecrets } from "../core/secrets/mask.js";
import { citationFor, composeAnswer, MAX_ACTIONS_FIRST, MAX_ACTIONS_OTHERS, pointFor } from "./compose.js";
import { retrieve } from "./retrieve.js";
import type { Answer, FallbackReason } from "./schema.js";

export const MAX_QUESTION = 2000;

export interface LlmOptions {
  /** The chat model, or a function that loads it on first use (see llm/model.ts). */
  model: BaseChatModel | (() => Promise<BaseChatModel>);
  timeoutMs: number;
  /** Configuration values a reply must never contain (the API key, the base URL). */
  secrets?: readonly string[];
}

export interface FallbackEvent {
  task: "answer";
  reason: FallbackReason;
  detail: string;
}

export interface QaDeps {
  kb: KnowledgeBase;
  /** Shared with other callers; built from kb when absent. */
  index?: KnowledgeIndex;
  /** Absent: fully offline, deterministic answers. */
  llm?: LlmOptions | undefined;
  /** Looks up a review's workload for answerQuestion({ reviewId }). */
  reviews?: Pick<ReviewService, "view">;
  /** Told whenever a model reply is not used, for the log. Never given the question. */
  onFallback?: (e: FallbackEvent) => void;
}

export interface AskOptions {
  workload?: Workload | undefined;
  /** Answer in the context of this review (its workload); needs deps.reviews. */
  reviewId?: number | undefined;
  /** Who asks, so a review in another workspace or private channel stays invisible. */
  viewer?: Viewer | undefined;
}

function maskedNote(kinds: string[]): string {
  return `Your question contained what looks like a secret (${[...new Set(kinds)].join(", ")}). It was masked before the question was used; rotate it, since it was posted in clear text.`;
}

/**
 * Design-channel Q&A: retrieval over the knowledge base, a deterministic grounded answer, and,
 * when a model is configured, an answer written by it from the same entries. Adapters (Slack,
 * terminal) call this and format the Answer; they hold no Q&A logic.
 */
export class QaService {
  readonly index: KnowledgeIndex;
  private chat: Promise<BaseChatModel> | undefined;

  constructor(private readonly deps: QaDeps) {
    this.index = deps.index ?? new KnowledgeIndex(deps.kb.entries, { asked: deps.kb.asked.questions });
  }

  get llmConfigured(): boolean {
    return this.deps.llm !== undefined;
  }

  async answerQuestion(question: string, opts: AskOptions = {}): Promise<Answer> {
    if (opts.reviewId !== undefined) {
      if (!this.deps.reviews) throw new Error("answerQuestion with a reviewId needs deps.reviews");
      const { review } = this.deps.reviews.view(opts.reviewId, opts.viewer);
      return this.answerForReview(question, review);
    }
    return this.answer(question, { workload: opts.workload, workloadFrom: "caller" });
  }

  /** A question asked in a review's thread is answered for that review's workload. */
  async answerForReview(question: string, review: { id: number; workload: Workload }): Promise<Answer> {
    const answer = await this.answer(question, { workload: review.workload, workloadFrom: "review" });
    return { ...answer, reviewId: review.id };
  }

  private async answer(
    question: string,
    opts: { workload?: Workload | undefined; workloadFrom: "caller" | "review" },
  ): Promise<Answer> {
    const trimmed = question.trim();
    if (trimmed.length === 0)
      throw new InputError("Ask a question, e.g. 'do we need a VPC for an API Gateway + Lambda API?'");
    if (trimmed.length > MAX_QUESTION)
      throw new InputError(`The question is ${trimmed.length} characters; keep it under ${MAX_QUESTION}.`);
    // Masked before anything else sees it: retrieval, the prompt, any log line.
    const masked = await maskSecrets(trimmed);
    const r = retrieve(this.index, masked.text, opts);
    const base = composeAnswer(this.deps.kb, r);
    if (masked.findings.length > 0) base.notes.unshift(maskedNote(masked.findings.map((f) => f.kind)));
    // Off-topic questions never reach the model: there is nothing to ground an answer in.
    if (!this.deps.llm || !base.grounded) return base;

    const model = await this.model();
    if (!model.ok) return this.fellBack(base, "answer", model.reason, model.detail);
    const { answerWithModel } = await import("./llm/answer.js");
    const reply = await answerWithModel(model.chat, this.deps.kb, masked.text, r, this.call());
    if (!reply.ok) return this.fellBack(base, "answer", reply.reason, reply.detail);
    const cited = reply.value.citedEntryIds.flatMap((id) => {
      const hit = r.hits.find((h) => h.entry.id === id);
      return hit ? [hit.entry] : [];
    });
    return {
      ...base,
      answer: reply.value.answer,
      points: cited.map((e, i) =>
        pointFor(e, r, i === 0 ? MAX_ACTIONS_FIRST : MAX_ACTIONS_OTHERS, this.deps.kb.vocabulary),
      ),
      citations: cited.map((e) => citationFor(this.deps.kb, e)),
      generatedBy: "llm",
    };
  }

  private call() {
    const llm = this.deps.llm as LlmOptions;
    return { timeoutMs: llm.timeoutMs, secrets: llm.secrets ?? [] };
  }

  private async model(): Promise<
    { ok: true; chat: BaseChatModel } | { ok: false; reason: FallbackReason; detail: string }
  > {
    const source = (this.deps.llm as LlmOptions).model;
    this.chat ??= typeof source === "function" ? source() : Promise.resolve(source);
    try {
      return { ok: true, chat: await this.chat };
    } catch (e) {
      // Loading failed (a provider package not installed, no key): retry on the next question.
      this.chat = undefined;
      return { ok: false, reason: "error", detail: (e as Error).message.split("\n")[0] ?? "" };
    }
  }

  private fellBack(base: Answer, task: "answer", reason: FallbackReason, detail: string): Answer {
    this.deps.onFallback?.({ task, reason, detail });
    return { ...base, fallbackReason: reason };
  }
}

import { z } from "zod";
import { DeploymentModel, FrameworkRef, Owner, SourceArticle, Workload } from "../core/knowledge/schema.js";

/** A source article as a citation shows it: the knowledge base's own record of it. */
export const CitedSource = SourceArticle;
export type CitedSource = z.infer<typeof CitedSource>;

/** One knowledge entry an answer relies on, with where its content comes from. */
export const Citation = z.strictObject({
  entryId: z.string(),
  title: z.string(),
  deploymentModels: z.array(DeploymentModel),
  sources: z.array(CitedSource),
  /** Framework ids always carry their version. */
  frameworks: z.array(FrameworkRef),
});
export type Citation = z.infer<typeof Citation>;

/** What one cited entry means for the workload asked about: who owns it and what to do. */
export const AnswerPoint = z.strictObject({
  entryId: z.string(),
  title: z.string(),
  owners: z.array(z.strictObject({ model: DeploymentModel, owner: Owner, note: z.string() })),
  /** The sentence of the entry that speaks most directly to the question. */
  why: z.string(),
  actions: z.array(z.string()),
});
export type AnswerPoint = z.infer<typeof AnswerPoint>;

export const FallbackReason = z.enum([
  /** The model did not answer within THREATBOT_LLM_TIMEOUT_MS. */
  "timeout",
  /** The reply did not match the expected shape. */
  "malformed",
  /** The reply cited an entry it was not given, or none at all. */
  "uncited",
  /** The reply repeated a configuration value. */
  "leak",
  /** The provider could not be loaded or reached. */
  "error",
]);
export type FallbackReason = z.infer<typeof FallbackReason>;

/** What a question asks for (see intent.ts). */
export const Intent = z.enum([
  "comparison",
  "is-ok",
  "unique",
  "which-threat",
  "how-to",
  "clarify",
  "general",
]);
export type Intent = z.infer<typeof Intent>;

export const Answer = z.strictObject({
  /** A short, direct answer in plain text. */
  answer: z.string(),
  /** The workload the answer is for ("undecided": general, or several compared). */
  workload: Workload,
  /** Where the workload came from: the caller (--workload, a review thread), the question's words, or nowhere. */
  workloadFrom: z.enum(["caller", "review", "question", "none"]),
  /** What the question asked for; "clarify" answers ask back instead of answering. */
  intent: Intent.optional(),
  /** True when the answer is drawn from cited knowledge entries; false for "I don't know" or a clarifying question. */
  grounded: z.boolean(),
  points: z.array(AnswerPoint),
  citations: z.array(Citation),
  generatedBy: z.enum(["knowledge-base", "llm"]),
  /** Set when a configured model was asked and its reply was not used. */
  fallbackReason: FallbackReason.optional(),
  /** Things the asker should know (a masked secret, a workload that differs from the question's). */
  notes: z.array(z.string()),
  reviewId: z.number().int().positive().optional(),
});
export type Answer = z.infer<typeof Answer>;

/** What `threatbot ask --json` prints (other fields are dropped). */
export const AnswerJson = z.object(Answer.shape).pick({
  answer: true,
  workload: true,
  intent: true,
  grounded: true,
  citations: true,
  points: true,
  generatedBy: true,
  fallbackReason: true,
  notes: true,
});
export type AnswerJson = z.infer<typeof AnswerJson>;

const MAX_ANSWER = 1500;

/** The structured reply a model must give to a question; validated before anything is shown. */
export const ModelAnswer = z.object({
  answer: z
    .string()
    .trim()
    .min(1)
    .max(MAX_ANSWER)
    .describe("Two to five plain sentences that answer the question for the stated workload"),
  citedEntryIds: z
    .array(z.string())
    .min(1)
    .max(5)
    .describe("The ids of the entries the answer relies on, most important first"),
});
export type ModelAnswer = z.infer<typeof ModelAnswer>;

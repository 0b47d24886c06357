import { z } from "zod";
import { FileFactSchema } from "../facts/file-fact.js";

/**
 * What a person said in reply to one question: one option, several (multi-select), free text, or
 * "unsure"/"skip", which leave the question's facts open.
 */
export const AnswerValue = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("choice"), value: z.string() }),
  z.strictObject({ kind: z.literal("multi"), values: z.array(z.string()).min(1) }),
  z.strictObject({ kind: z.literal("text"), text: z.string() }),
  z.strictObject({ kind: z.literal("unsure") }),
  z.strictObject({ kind: z.literal("skip") }),
]);
export type AnswerValue = z.infer<typeof AnswerValue>;

/** The review is an append-only log of these; its state is a fold over them (see engine.ts). */
export const ReviewEvent = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("answer"),
    questionId: z.string(),
    value: AnswerValue,
    actor: z.string(),
    at: z.string(),
  }),
  z.strictObject({ type: z.literal("back"), actor: z.string(), at: z.string() }),
  z.strictObject({ type: z.literal("finish"), actor: z.string(), at: z.string() }),
  /**
   * Files shared during the review (a Slack thread upload): every file fact the review now holds,
   * combined with the earlier ones, so replaying the log needs no parser.
   */
  z.strictObject({
    type: z.literal("files"),
    facts: z.array(FileFactSchema),
    actor: z.string(),
    at: z.string(),
  }),
]);
export type ReviewEvent = z.infer<typeof ReviewEvent>;

export interface RecordedAnswer {
  questionId: string;
  value: AnswerValue;
  actor: string;
  at: string;
}

import { z } from "zod";

/** Every action, view and block id the app puts into Slack, in one place so listeners and builders agree. */
export const ACTION = {
  option: (i: number) => `tb_option_${i}`,
  optionPattern: /^tb_option_\d+$/,
  unsure: "tb_unsure",
  skip: "tb_skip",
  back: "tb_back",
  finish: "tb_finish",
  textAnswer: "tb_text_answer",
  /** Ticking a box of a multi-select question (acknowledged only; the Submit button reads the boxes). */
  multiToggle: "tb_multi_toggle",
  multiSubmit: "tb_multi_submit",
  homeView: "tb_home_view",
  homeExportMd: "tb_home_export_md",
  homeExportJson: "tb_home_export_json",
} as const;

export const VIEW = {
  startReview: "tb_start_review",
  textAnswer: "tb_text_answer_modal",
  reviewDetail: "tb_review_detail",
} as const;

/** Input blocks of the start modal; context questions use `q:<question id>`. */
export const START_BLOCK = { name: "name", workload: "workload", files: "files" } as const;
export const questionBlockId = (questionId: string) => `q:${questionId}`;
export const TEXT_ANSWER_BLOCK = "answer";
export const INPUT_ACTION = "value";

/** What a question button carries: the review, the question it was asked for, and for options the value. */
export const QuestionRef = z.strictObject({
  r: z.number().int().positive(),
  q: z.string().min(1).max(80),
  v: z.string().min(1).max(80).optional(),
});
export type QuestionRef = z.infer<typeof QuestionRef>;

export const ReviewRef = z.strictObject({ r: z.number().int().positive() });
export type ReviewRef = z.infer<typeof ReviewRef>;

/** The start modal remembers where it was opened. */
export const StartMetadata = z.strictObject({
  channel: z.string().min(1),
  team: z.string().min(1),
});
export type StartMetadata = z.infer<typeof StartMetadata>;

/** The free-text answer modal remembers which question of which review, and where it was asked. */
export const TextAnswerMetadata = z.strictObject({
  r: z.number().int().positive(),
  q: z.string().min(1).max(80),
  channel: z.string().min(1),
  team: z.string().min(1),
});
export type TextAnswerMetadata = z.infer<typeof TextAnswerMetadata>;

/** Parse a JSON string we wrote into Slack (a button value, private_metadata) back into its shape. */
export function parseJson<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  if (raw === undefined) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

import type { Question, QuestionOption } from "../../core/knowledge/schema.js";
import type { Progress } from "../../core/review/engine.js";
import { ACTION } from "../ids.js";
import { actorMention, escapeMrkdwn, oneLine } from "../text/escape.js";
import { clip, clipMrkdwn, LIMITS } from "../text/limits.js";
import {
  actions,
  type Block,
  type Button,
  button,
  context,
  type SlackMessage,
  section,
  userSection,
} from "./kit.js";
import { progressLabel } from "./labels.js";

export interface AskedQuestion {
  reviewId: number;
  question: Question;
  /** The options the question offers on this review's platforms. */
  options: readonly QuestionOption[];
  progress: Progress;
  /** False on the first question, where there is nothing to go back to. */
  canGoBack: boolean;
}

const ref = (reviewId: number, questionId: string, value?: string) =>
  JSON.stringify(
    value === undefined ? { r: reviewId, q: questionId } : { r: reviewId, q: questionId, v: value },
  );

function questionText(q: Question, progress: Progress): string {
  return `*${progressLabel(progress)}* · _${q.section}_\n${escapeMrkdwn(q.text)}`;
}

/** Slack allows ten checkboxes in one element; the question bank keeps multi-selects within that. */
const MAX_CHECKBOXES = 10;
export const multiBlockId = (questionId: string) => `multi:${questionId}`.slice(0, LIMITS.id);

function checkboxes(blockId: string, options: readonly QuestionOption[]): Block {
  return {
    type: "actions",
    block_id: blockId,
    elements: [
      {
        type: "checkboxes",
        action_id: ACTION.multiToggle,
        options: options.slice(0, MAX_CHECKBOXES).map((o) => ({
          text: { type: "plain_text", text: clip(o.label, LIMITS.buttonText) },
          value: o.value,
        })),
      },
    ],
  };
}

/** One question in the review thread: its options as buttons, then Unsure, Skip, Back and Finish. */
export function questionMessage({
  reviewId,
  question: q,
  options,
  progress,
  canGoBack,
}: AskedQuestion): SlackMessage {
  const answerButtons: Button[] =
    q.kind === "choice"
      ? options.map((o, i) => button(o.label, ACTION.option(i), ref(reviewId, q.id, o.value)))
      : q.kind === "multi"
        ? [button("Submit", ACTION.multiSubmit, ref(reviewId, q.id), { style: "primary" })]
        : [button("Answer", ACTION.textAnswer, ref(reviewId, q.id), { style: "primary" })];
  const nav: Button[] = [
    button("Unsure", ACTION.unsure, ref(reviewId, q.id)),
    button("Skip", ACTION.skip, ref(reviewId, q.id)),
  ];
  if (canGoBack) nav.push(button("Back", ACTION.back, ref(reviewId, q.id)));
  nav.push(
    button("Finish", ACTION.finish, ref(reviewId, q.id), {
      confirm: {
        title: { type: "plain_text", text: "Finish the review?" },
        text: {
          type: "plain_text",
          text: "The threat model is built from the answers so far; unanswered questions become open questions.",
        },
        confirm: { type: "plain_text", text: "Finish" },
        deny: { type: "plain_text", text: "Keep going" },
      },
    }),
  );
  const hint =
    q.kind === "text"
      ? "Press *Answer*, or reply in this thread. "
      : q.kind === "multi"
        ? "Tick all that apply, then *Submit*. "
        : "";
  return {
    text: clip(`${progressLabel(progress)}: ${oneLine(escapeMrkdwn(q.text))}`, LIMITS.fallbackText),
    blocks: [
      section(questionText(q, progress)),
      context(`${hint}Why we ask: ${escapeMrkdwn(q.why)}`),
      ...(q.kind === "multi" ? [checkboxes(multiBlockId(q.id), options)] : []),
      ...actions(`answer:${q.id}`.slice(0, LIMITS.id), answerButtons),
      ...actions(`nav:${q.id}`.slice(0, LIMITS.id), nav),
    ],
  };
}

/** The same message once answered: who answered and what, with the buttons gone. */
export function answeredMessage(
  q: Question,
  progress: Progress,
  answer: string,
  actor: string,
): SlackMessage {
  const who = actorMention(actor);
  return {
    text: clip(`${progressLabel(progress)} answered: ${oneLine(escapeMrkdwn(answer))}`, LIMITS.fallbackText),
    blocks: [
      section(questionText(q, progress)),
      userSection(answer),
      context(`:white_check_mark: Answered by ${who}`),
    ],
  };
}

/** A question someone stepped back from: the thread shows the earlier question again below. */
export function wentBackMessage(q: Question, progress: Progress, actor: string): SlackMessage {
  return {
    text: "Went back to the previous question",
    blocks: [
      section(questionText(q, progress)),
      context(`:leftwards_arrow_with_hook: ${actorMention(actor)} went back to the previous question.`),
    ],
  };
}

/** An answer undone by Back; the question is asked again below. */
export function withdrawnMessage(q: Question, answer: string, actor: string): SlackMessage {
  const shown = clipMrkdwn(oneLine(answer), 500);
  return {
    text: "Answer withdrawn; the question is asked again below",
    blocks: [
      section(`${escapeMrkdwn(q.text)}\n~${shown}~`),
      context(`Withdrawn: ${actorMention(actor)} went back, so this question is asked again below.`),
    ],
  };
}

/** The question that was open when someone pressed Finish. */
export function finishedHereMessage(q: Question, progress: Progress, actor: string): SlackMessage {
  return {
    text: "Review finished",
    blocks: [
      section(questionText(q, progress)),
      context(
        `:checkered_flag: ${actorMention(actor)} finished the review here; unanswered questions are open questions in the report.`,
      ),
    ],
  };
}

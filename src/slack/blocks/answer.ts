import type { Workload } from "../../core/knowledge/schema.js";
import { formatAnswerMarkdown } from "../../qa/format.js";
import type { Answer } from "../../qa/schema.js";
import { oneLine } from "../text/escape.js";
import { clip, clipMrkdwn, LIMITS } from "../text/limits.js";
import { literalMrkdwn, markdownToMrkdwn } from "../text/markdown.js";
import { splitMrkdwn } from "../text/split.js";
import { type Block, context, type SlackMessage } from "./kit.js";
import { WORKLOAD_LABEL } from "./labels.js";

/**
 * Sections an answer may take. Answers cite at most a handful of entries and fit in two or three;
 * past this a message is a wall nobody reads, and the terminal prints the whole answer.
 */
export const MAX_ANSWER_SECTIONS = 6;

export const TRUNCATED =
  "_The rest of this answer did not fit in a Slack message. `threatbot ask` in a terminal prints all of it._";

export const THINKING = "Looking this up…";

const NOTIFICATION_CHARS = 300;

export interface AnswerContext {
  /** The review whose thread the question was asked in. */
  review?: { id: number; name: string; workload: Workload } | undefined;
}

/**
 * An answer from the Q&A core as a Slack message: the core's Markdown converted to mrkdwn with
 * everything escaped (an LLM's words included), in sections Slack accepts.
 */
export function answerMessage(answer: Answer, ctx: AnswerContext = {}): SlackMessage {
  const sections = splitMrkdwn(markdownToMrkdwn(formatAnswerMarkdown(answer)), LIMITS.sectionText);
  const truncated = sections.length > MAX_ANSWER_SECTIONS;
  const shown = truncated ? sections.slice(0, MAX_ANSWER_SECTIONS) : sections;
  const blocks: Block[] = shown.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
  if (truncated) blocks.push(context(TRUNCATED));
  if (ctx.review) {
    const r = ctx.review;
    blocks.push(
      context(
        `Answered for review #${r.id} *${clipMrkdwn(oneLine(r.name), 200)}* (${WORKLOAD_LABEL[r.workload]}).`,
      ),
    );
  }
  // The notification line: the short answer, cut before escaping so no escape is cut in half.
  return { text: literalMrkdwn(clip(oneLine(answer.answer), NOTIFICATION_CHARS)), blocks };
}

/** What a mention shows while an LLM writes the answer; replaced by the answer. */
export function thinkingMessage(): SlackMessage {
  return { text: THINKING, blocks: [context(`:hourglass_flowing_sand: ${THINKING}`)] };
}

/** A question that could not be taken (empty, too long): the reason, addressed to whoever asked. */
export function refusalMessage(mrkdwn: string): SlackMessage {
  return { text: clip(mrkdwn, LIMITS.fallbackText), blocks: [context(mrkdwn)] };
}

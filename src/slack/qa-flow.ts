import { InputError } from "../core/errors.js";
import type { ReviewRecord } from "../core/review/service.js";
import { type Viewer, visibleTo } from "../core/review/service.js";
import type { Answer } from "../qa/schema.js";
import { answerMessage, refusalMessage, thinkingMessage } from "./blocks/answer.js";
import type { SlackMessage } from "./blocks/kit.js";
import { type Notify, reportFailure, type SlackDeps, type WebClient } from "./deps.js";
import { actorMention, escapeMrkdwn, fromSlackText } from "./text/escape.js";

/*
 * The path of one question through Slack: the listener acks, the question is queued, and the first
 * delivery of it claims the message (channel + ts) in the database. Slack delivers a mention twice
 * (app_mention and message.channels) and retries events under new event ids; the claim makes every
 * delivery after the first a no-op, in this process or another.
 */

/** One question per message: the same text delivered twice, or retried, is still one question. */
export const questionKey = (channel: string, ts: string) => `qa:${channel}:${ts}`;

const USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/** Whether the text mentions this app's bot user (`<@U…>`, with or without a label). */
export function mentionsBot(text: string, botUserId: string | undefined): boolean {
  if (!botUserId || !USER_ID.test(botUserId)) return false;
  return text.includes(`<@${botUserId}>`) || text.includes(`<@${botUserId}|`);
}

/** The question a message asks: the bot's own mention removed and Slack's encoding undone. */
export function questionText(text: string, botUserId: string | undefined): string {
  const withoutBot =
    botUserId && USER_ID.test(botUserId)
      ? text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g"), " ")
      : text;
  return fromSlackText(withoutBot).replace(/\s+/g, " ").trim();
}

/** The review whose thread this is, when the person asking may see it; any other review stays unknown. */
export function visibleReviewOfThread(
  deps: SlackDeps,
  channel: string,
  threadTs: string | undefined,
  viewer: Viewer,
): ReviewRecord | undefined {
  if (!threadTs) return undefined;
  const review = deps.reviews.byThread(channel, threadTs);
  return review && visibleTo(review, viewer) ? review : undefined;
}

export interface Ask {
  channel: string;
  /** The message that asked; with the channel it names the question. */
  ts: string;
  /** The thread the answer goes into. */
  threadTs: string;
  user: string;
  question: string;
  viewer: Viewer;
  /** Answer for this review's workload (the question was asked in its thread). */
  review?: ReviewRecord | undefined;
  /**
   * Nobody addressed the bot (a reply ending in "?" in a review thread): answer only when the
   * knowledge base has something, and show no placeholder, so discussion is not interrupted.
   */
  unaddressed?: boolean;
  /** The caller has claimed the question already (it decided, under the claim, that this is one). */
  claimed?: boolean;
  /** Shows that an LLM is at work (the assistant's status); without it a placeholder message does. */
  thinking?: () => Promise<unknown>;
}

/** Queue the answer to a question asked in Slack; failures reach the asker as one short ephemeral line. */
export function queueAnswer(deps: SlackDeps, client: WebClient, ask: Ask, notify: Notify): void {
  const key = questionKey(ask.channel, ask.ts);
  deps.questions.run(key, async () => {
    try {
      await answerInThread(deps, client, ask, key);
    } catch (e) {
      await reportFailure(deps, notify, "question", e);
    }
  });
}

async function answerInThread(deps: SlackDeps, client: WebClient, ask: Ask, key: string): Promise<void> {
  if (!ask.claimed && !deps.reviews.claim(key, { channelId: ask.channel, reviewId: ask.review?.id })) return;
  const where = { channel: ask.channel, thread_ts: ask.threadTs };
  let placeholder: string | undefined;
  try {
    if (deps.qa.llmConfigured && !ask.unaddressed && ask.question !== "") {
      if (ask.thinking) await showStatus(deps, ask.thinking);
      else placeholder = await post(deps, client, key, where, thinkingMessage());
    }
    const message = await compose(deps, ask);
    if (!message) return;
    if (placeholder) await client.chat.update({ channel: ask.channel, ts: placeholder, ...message });
    else await post(deps, client, key, where, message);
  } catch (e) {
    if (placeholder === undefined) {
      // Nothing reached Slack: give the claim back so a redelivery can try again.
      deps.reviews.release(key);
      throw e;
    }
    // The placeholder is in the thread already: it says what happened instead of thinking forever.
    const ts = placeholder;
    await reportFailure(
      deps,
      (m) => client.chat.update({ channel: ask.channel, ts, ...m }).then(() => undefined),
      "question",
      e,
    );
  }
}

async function showStatus(deps: SlackDeps, thinking: () => Promise<unknown>): Promise<void> {
  try {
    await thinking();
  } catch (e) {
    // A status is a courtesy; the answer matters more.
    deps.log.warn({ err: e }, "could not show the thinking status");
  }
}

async function post(
  deps: SlackDeps,
  client: WebClient,
  key: string,
  where: { channel: string; thread_ts: string },
  message: SlackMessage,
): Promise<string> {
  const posted = await client.chat.postMessage({ ...where, text: message.text, blocks: message.blocks });
  if (!posted.ts) throw new Error("chat.postMessage returned no ts");
  deps.reviews.claimedMessage(key, { channelId: where.channel, ts: posted.ts });
  return posted.ts;
}

/** The answer as a message; undefined when an unaddressed question has no grounded answer. */
async function compose(deps: SlackDeps, ask: Ask): Promise<SlackMessage | undefined> {
  let answer: Answer;
  try {
    answer = ask.review
      ? await deps.qa.answerQuestion(ask.question, { reviewId: ask.review.id, viewer: ask.viewer })
      : await deps.qa.answerQuestion(ask.question);
  } catch (e) {
    // An empty or over-long question: say why, in the thread, to whoever asked.
    if (!(e instanceof InputError)) throw e;
    return ask.unaddressed
      ? undefined
      : refusalMessage(`${actorMention(ask.user)} ${escapeMrkdwn(e.message)}`);
  }
  if (ask.unaddressed && !answer.grounded) return undefined;
  const review = ask.review;
  return answerMessage(answer, {
    review: review && { id: review.id, name: review.name, workload: review.workload },
  });
}

import type { ReviewRecord } from "../../../core/review/service.js";
import { afterAck, type SlackDeps, viaEphemeral, type WebClient } from "../../deps.js";
import { mentionsBot, questionKey, queueAnswer } from "../../qa-flow.js";
import { catchUp, storeAnswer, storeFirst } from "../../review-flow.js";
import { fromSlackText } from "../../text/escape.js";
import { askFromMention } from "./app-mention.js";
import { askOf, type PersonMessage } from "./message-event.js";

/** A reply that reads as a question; "?" or the full-width "？" at the end. */
const ASKS = /[?？]\s*$/;

/**
 * A reply in a review thread (one the person may see). Mentioning the bot asks it a question.
 * Otherwise the reply answers the current question when that question takes free text; while a
 * choice question is open (or none is), a reply ending in "?" is answered from the knowledge base
 * for the review's workload when the knowledge base has something, and other replies are
 * discussion. The message's own ts keys both paths, so Slack's retries (and the same message
 * arriving under two subscriptions) are taken once, and the same way each time.
 */
export async function replyInReviewThread(
  deps: SlackDeps,
  client: WebClient,
  m: PersonMessage & { thread_ts: string },
  review: ReviewRecord,
  botUserId: string | undefined,
): Promise<void> {
  if (mentionsBot(m.text, botUserId)) {
    askFromMention(deps, client, m, botUserId);
    return;
  }
  const viewer = { teamId: m.teamId, channelId: m.channel };
  const notify = viaEphemeral(client, m.channel, m.user, m.thread_ts);
  const key = `msg:${m.teamId}:${m.channel}:${m.ts}`;
  // A retry of a message already taken as an answer: only make sure the thread caught up.
  if (deps.reviews.recorded(key)) {
    catchUp(deps, review.id);
    return;
  }
  const asked = questionKey(m.channel, m.ts);
  // Taken as a question before; a free-text question opened since must not take it as an answer.
  if (deps.reviews.claimed(asked)) return;
  const question = deps.reviews.view(review.id).question;
  if (question?.kind === "text") {
    // The event's response waits for this: the answer is committed before Slack hears back.
    const followUp = await storeFirst(() =>
      storeAnswer(deps, {
        reviewId: review.id,
        questionId: question.id,
        userId: m.user,
        key,
        viewer,
        notify,
        value: { kind: "text", text: fromSlackText(m.text) },
      }),
    );
    afterAck(deps, `review:${review.id}`, notify, "thread answer", () => followUp(client));
    return;
  }
  if (!ASKS.test(m.text) || !deps.reviews.claim(asked, { reviewId: review.id, channelId: m.channel })) return;
  queueAnswer(
    deps,
    client,
    { ...askOf(m, botUserId, m.thread_ts), review, unaddressed: true, claimed: true },
    notify,
  );
}

import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { visibleTo } from "../../../core/review/service.js";
import { afterAck, type SlackDeps, viaEphemeral } from "../../deps.js";
import { recordAnswer, sync } from "../../review-flow.js";
import { fromSlackText } from "../../text/escape.js";

/** A person's plain message in a thread; edits, bot posts and other subtypes do not answer anything. */
const ThreadMessage = z.object({
  team_id: z.string().min(1),
  event: z.object({
    type: z.literal("message"),
    subtype: z.undefined().optional(),
    bot_id: z.undefined().optional(),
    user: z.string().min(1),
    text: z.string(),
    ts: z.string().min(1),
    thread_ts: z.string().min(1),
    channel: z.string().min(1),
  }),
});

/**
 * A reply in a review thread answers the current question when that question takes free text.
 * While a choice question is open, replies are discussion. The message's own ts is the idempotency
 * key, so Slack's retries (and the same message arriving under two subscriptions) record once.
 */
export function threadReply(deps: SlackDeps) {
  return async ({ body, client }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs): Promise<void> => {
    const parsed = ThreadMessage.safeParse(body);
    if (!parsed.success) return;
    const { team_id: teamId, event: m } = parsed.data;
    if (m.thread_ts === m.ts) return;
    const review = deps.store.reviewByThread(m.channel, m.thread_ts);
    const viewer = { teamId, channelId: m.channel };
    if (!review || !visibleTo(review, viewer)) return;
    const notify = viaEphemeral(client, m.channel, m.user, m.thread_ts);
    afterAck(deps, `review:${review.id}`, notify, "thread answer", async () => {
      const key = `msg:${teamId}:${m.channel}:${m.ts}`;
      // A retry of a message already taken as an answer: only make sure the thread caught up.
      if (deps.store.seen(key) !== undefined) return sync(deps, client, review.id, m.user);
      const question = deps.reviews.view(review.id).question;
      if (question?.kind !== "text") return;
      await recordAnswer(deps, client, {
        reviewId: review.id,
        questionId: question.id,
        userId: m.user,
        key,
        viewer,
        notify,
        value: { kind: "text", text: fromSlackText(m.text) },
      });
    });
  };
}

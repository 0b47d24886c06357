import { type SlackDeps, viaEphemeral, type WebClient } from "../../deps.js";
import { questionText, queueAnswer, visibleReviewOfThread } from "../../qa-flow.js";
import { type EventArgs, type PersonMessage, personMessage, replyThread } from "./message-event.js";

/**
 * A message that mentions the bot asks it a question, answered in the message's thread; inside a
 * review's thread, for that review's workload. Both app_mention and message.channels deliver it:
 * the answer is claimed per message, so it is given once.
 */
export function askFromMention(
  deps: SlackDeps,
  client: WebClient,
  m: PersonMessage,
  botUserId: string | undefined,
): void {
  const viewer = { teamId: m.teamId, channelId: m.channel };
  const threadTs = replyThread(m);
  queueAnswer(
    deps,
    client,
    {
      channel: m.channel,
      ts: m.ts,
      threadTs,
      user: m.user,
      question: questionText(m.text, botUserId),
      viewer,
      review: visibleReviewOfThread(deps, m.channel, m.thread_ts, viewer),
    },
    viaEphemeral(client, m.channel, m.user, threadTs),
  );
}

/** `@Threatbot <question>` in a channel (the app_mention event). */
export function appMention(deps: SlackDeps) {
  return async ({ body, client, context }: EventArgs): Promise<void> => {
    const m = personMessage(body);
    if (m?.type === "app_mention") askFromMention(deps, client, m, context.botUserId);
  };
}

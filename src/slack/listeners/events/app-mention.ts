import { type SlackDeps, viaEphemeral, type WebClient } from "../../deps.js";
import { queueAnswer, visibleReviewOfThread } from "../../qa-flow.js";
import { askOf, type EventArgs, type PersonMessage, personMessage } from "./message-event.js";

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
  const ask = askOf(m, botUserId);
  queueAnswer(
    deps,
    client,
    { ...ask, review: visibleReviewOfThread(deps, m.channel, m.thread_ts, ask.viewer) },
    viaEphemeral(client, m.channel, m.user, ask.threadTs),
  );
}

/** `@Threatbot <question>` in a channel (the app_mention event). */
export function appMention(deps: SlackDeps) {
  return async ({ body, client, context }: EventArgs): Promise<void> => {
    const m = personMessage(body);
    if (m?.type === "app_mention") askFromMention(deps, client, m, context.botUserId);
  };
}

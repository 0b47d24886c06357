import { type SlackDeps, viaEphemeral, type WebClient } from "../../deps.js";
import { questionText, queueAnswer } from "../../qa-flow.js";
import { type PersonMessage, replyThread } from "./message-event.js";

/**
 * Everything a person writes to the bot in a DM is a question, answered in a thread under it.
 * Threaded DMs (Slack's assistant split view) go to the Assistant listener before they get here.
 */
export function directMessage(
  deps: SlackDeps,
  client: WebClient,
  m: PersonMessage,
  botUserId: string | undefined,
): void {
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
      viewer: { teamId: m.teamId, channelId: m.channel },
    },
    viaEphemeral(client, m.channel, m.user, threadTs),
  );
}

import { type SlackDeps, viaEphemeral, type WebClient } from "../../deps.js";
import { queueAnswer } from "../../qa-flow.js";
import { askOf, type PersonMessage } from "./message-event.js";

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
  const ask = askOf(m, botUserId);
  queueAnswer(deps, client, ask, viaEphemeral(client, m.channel, m.user, ask.threadTs));
}

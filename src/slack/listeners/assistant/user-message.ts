import type { AssistantUserMessageMiddleware } from "@slack/bolt";
import type { Notify, SlackDeps, WebClient } from "../../deps.js";
import { queueAnswer } from "../../qa-flow.js";
import { askOf, personMessage } from "../events/message-event.js";

/** Slack shows this after the app's name while an LLM writes the answer; the reply clears it. */
export const THINKING_STATUS = "is thinking…";

/** In the split view there is nowhere to be ephemeral: a failure is told in the thread. */
function inThread(client: WebClient, channel: string, threadTs: string): Notify {
  return async (m) => {
    await client.chat.postMessage({ channel, thread_ts: threadTs, text: m.text, blocks: m.blocks });
  };
}

/**
 * A message in an assistant thread is a question, answered in that thread. With an LLM configured,
 * the thread shows a "thinking" status first.
 */
export function userMessage(deps: SlackDeps): AssistantUserMessageMiddleware {
  return async ({ body, client, context, setStatus }) => {
    const m = personMessage(body);
    if (m?.type !== "message" || m.thread_ts === undefined) return;
    queueAnswer(
      deps,
      client,
      { ...askOf(m, context.botUserId, m.thread_ts), thinking: () => setStatus(THINKING_STATUS) },
      inThread(client, m.channel, m.thread_ts),
    );
  };
}

import type { AssistantUserMessageMiddleware } from "@slack/bolt";
import type { Notify, SlackDeps, WebClient } from "../../deps.js";
import { questionText, queueAnswer } from "../../qa-flow.js";
import { personMessage } from "../events/message-event.js";

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
      {
        channel: m.channel,
        ts: m.ts,
        threadTs: m.thread_ts,
        user: m.user,
        question: questionText(m.text, context.botUserId),
        viewer: { teamId: m.teamId, channelId: m.channel },
        thinking: () => setStatus(THINKING_STATUS),
      },
      inThread(client, m.channel, m.thread_ts),
    );
  };
}

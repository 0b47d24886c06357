import type { Who } from "./slack-requests.js";

/**
 * Message events as Slack sends them for questions: the same message arrives as `app_mention` and
 * as `message` (message.channels) when the bot is mentioned; DMs carry channel_type "im", and a
 * message in an assistant thread is a threaded DM.
 */

/** The bot user the fake Slack's auth.test names. */
export const BOT_USER = "UBOT";

export interface Posted {
  ts: string;
  threadTs?: string;
}

function base(who: Who, text: string, at: Posted) {
  return {
    user: who.user,
    text,
    ts: at.ts,
    channel: who.channel,
    event_ts: at.ts,
    ...(at.threadTs ? { thread_ts: at.threadTs } : {}),
  };
}

export function appMention(who: Who, text: string, at: Posted): Record<string, unknown> {
  return { type: "app_mention", ...base(who, text, at) };
}

export function channelMessage(who: Who, text: string, at: Posted): Record<string, unknown> {
  const channelType = who.channel.startsWith("G") ? "group" : "channel";
  return { type: "message", channel_type: channelType, ...base(who, text, at) };
}

export function directMessage(who: Who, text: string, at: Posted): Record<string, unknown> {
  return { type: "message", channel_type: "im", ...base(who, text, at) };
}

export function assistantThreadStarted(who: Who, threadTs: string): Record<string, unknown> {
  return {
    type: "assistant_thread_started",
    assistant_thread: {
      user_id: who.user,
      context: { channel_id: "C0PUBLIC", team_id: who.team, enterprise_id: null },
      channel_id: who.channel,
      thread_ts: threadTs,
    },
    event_ts: threadTs,
  };
}

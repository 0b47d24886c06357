import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { type Ask, questionText } from "../../qa-flow.js";

export type EventArgs = SlackEventMiddlewareArgs<string> & AllMiddlewareArgs;

/**
 * A message or mention a person posted. Edits, deletions, joins and other subtypes, and anything a
 * bot posted (this app included), do not parse: none of them asks or answers anything.
 */
const PersonMessageBody = z.object({
  team_id: z.string().min(1),
  event: z.object({
    type: z.enum(["message", "app_mention"]),
    subtype: z.undefined().optional(),
    bot_id: z.undefined().optional(),
    user: z.string().min(1),
    text: z.string(),
    ts: z.string().min(1),
    thread_ts: z.string().min(1).optional(),
    channel: z.string().min(1),
    channel_type: z.string().optional(),
  }),
});

export type PersonMessage = z.infer<typeof PersonMessageBody>["event"] & { teamId: string };

export function personMessage(body: unknown): PersonMessage | undefined {
  const parsed = PersonMessageBody.safeParse(body);
  return parsed.success ? { ...parsed.data.event, teamId: parsed.data.team_id } : undefined;
}

/** The thread an answer to this message goes into: its own thread, or a new one under it. */
export const replyThread = (m: PersonMessage) => m.thread_ts ?? m.ts;

/** The question a person's message asks, to be answered in `threadTs` (by default its own thread). */
export function askOf(m: PersonMessage, botUserId: string | undefined, threadTs = replyThread(m)): Ask {
  return {
    channel: m.channel,
    ts: m.ts,
    threadTs,
    user: m.user,
    question: questionText(m.text, botUserId),
    viewer: { teamId: m.teamId, channelId: m.channel },
  };
}

import { InputError } from "../core/errors.js";
import { escapeMrkdwn } from "./text/escape.js";

/** A message meant for the person who asked, already safe to show as mrkdwn. */
export class SlackUserError extends Error {
  constructor(readonly mrkdwn: string) {
    super(mrkdwn);
    this.name = "SlackUserError";
  }
}

export const NOT_VISIBLE = (id: number | string) =>
  `Review #${id} can't be opened here. A review belongs to the workspace and channel it was started in, and a private channel's reviews open only inside that channel. \`/threatmodel list\` shows the ones you can open.`;

export const INVITE_ME =
  "I can't post in this channel. Invite me with `/invite @Threatbot` (or use a channel I am in) and try again.";

/** The Web API's error code, when the error came from Slack rather than from the network. */
export function slackErrorCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const data = (e as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : undefined;
}

export const SOMETHING_WRONG =
  "Something went wrong on my side, so that was not done. The details are in my log; please try again.";

const CANNOT_POST = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action"]);

/** What the person sees: a short line. The full error goes to the log, never to Slack. */
export function userMessage(e: unknown): { mrkdwn: string; expected: boolean } {
  if (e instanceof SlackUserError) return { mrkdwn: e.mrkdwn, expected: true };
  if (e instanceof InputError) return { mrkdwn: escapeMrkdwn(e.message), expected: true };
  const code = slackErrorCode(e);
  if (code && CANNOT_POST.has(code)) return { mrkdwn: INVITE_ME, expected: true };
  return { mrkdwn: SOMETHING_WRONG, expected: false };
}

import type { SlackDeps } from "../../deps.js";
import { mentionsBot, visibleReviewOfThread } from "../../qa-flow.js";
import { askFromMention } from "./app-mention.js";
import { directMessage } from "./direct-message.js";
import { fileShare, filesShared } from "./file-share.js";
import { type EventArgs, personMessage } from "./message-event.js";
import { replyInReviewThread } from "./thread-reply.js";

/**
 * Every message in a channel, private channel or DM the bot is in arrives here: a DM is a
 * question; a reply in a review thread may answer or ask; elsewhere only a mention of the bot
 * matters (app_mention brings the same message too, and is deduplicated with it).
 */
export function messagePosted(deps: SlackDeps) {
  return async ({ body, client, context }: EventArgs): Promise<void> => {
    const shared = fileShare(body);
    if (shared) return filesShared(deps, client, shared);
    const m = personMessage(body);
    if (m?.type !== "message") return;
    const bot = context.botUserId;
    if (m.channel_type === "im") return directMessage(deps, client, m, bot);
    if (m.thread_ts !== undefined && m.thread_ts !== m.ts) {
      const review = visibleReviewOfThread(deps, m.channel, m.thread_ts, {
        teamId: m.teamId,
        channelId: m.channel,
      });
      if (review) return replyInReviewThread(deps, client, { ...m, thread_ts: m.thread_ts }, review, bot);
    }
    if (mentionsBot(m.text, bot)) askFromMention(deps, client, m, bot);
  };
}

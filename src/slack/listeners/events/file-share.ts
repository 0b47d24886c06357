import { z } from "zod";
import { afterAck, type SlackDeps, viaEphemeral, type WebClient } from "../../deps.js";
import { storeSharedFiles } from "../../files/ingest.js";
import { visibleReviewOfThread } from "../../qa-flow.js";
import { storeFirst } from "../../review-flow.js";

/** A person sharing files: the message event Slack sends for an upload (subtype file_share). */
const FileShareBody = z.object({
  team_id: z.string().min(1),
  event: z.object({
    type: z.literal("message"),
    subtype: z.literal("file_share"),
    bot_id: z.undefined().optional(),
    user: z.string().min(1),
    ts: z.string().min(1),
    thread_ts: z.string().min(1).optional(),
    channel: z.string().min(1),
    files: z.array(z.object({ id: z.string().min(1) })).min(1),
  }),
});

export function fileShare(body: unknown) {
  const parsed = FileShareBody.safeParse(body);
  return parsed.success ? { ...parsed.data.event, teamId: parsed.data.team_id } : undefined;
}

/**
 * Files shared as a reply in a review's thread are read into the review; files shared anywhere
 * else are not the bot's business and are never downloaded. The event's response waits until the
 * facts and the thread's reply about them are committed.
 */
export async function filesShared(
  deps: SlackDeps,
  client: WebClient,
  m: NonNullable<ReturnType<typeof fileShare>>,
): Promise<void> {
  if (!m.thread_ts || m.thread_ts === m.ts) return;
  const review = visibleReviewOfThread(deps, m.channel, m.thread_ts, {
    teamId: m.teamId,
    channelId: m.channel,
  });
  if (!review) return;
  const notify = viaEphemeral(client, m.channel, m.user, m.thread_ts);
  const followUp = await storeFirst(() =>
    storeSharedFiles(deps, {
      reviewId: review.id,
      teamId: m.teamId,
      channel: m.channel,
      ts: m.ts,
      user: m.user,
      files: m.files,
      notify,
    }),
  );
  afterAck(deps, `review:${review.id}`, notify, "shared files", () => followUp(client));
}

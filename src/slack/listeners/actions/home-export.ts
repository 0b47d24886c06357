import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { afterAck, type SlackDeps, viaDm } from "../../deps.js";
import type { ExportFormat } from "../../report-file.js";
import { openVisible, uploadReport } from "../../review-flow.js";
import { readReviewClick } from "./click.js";

/** Export on the App Home: the file goes to the person's messages with the app, next to the Home tab. */
export function homeExportButton(deps: SlackDeps, format: ExportFormat) {
  return async ({
    ack,
    body,
    client,
  }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const read = readReviewClick(deps, body);
    if (!read) return;
    const { click, reviewId } = read;
    const notify = viaDm(client, click.userId);
    afterAck(deps, `dm:${click.userId}`, notify, "home export", async () => {
      const viewer = { teamId: click.teamId };
      openVisible(deps, reviewId, viewer);
      const fm = deps.reviews.threatModel(reviewId, { viewer });
      // Posting to a user id lands in the app's DM with them and tells us that DM's channel id.
      const note = await client.chat.postMessage({
        channel: click.userId,
        text: `Here is the threat model of review #${reviewId}${fm.model.review.status === "finished" ? "" : " (a draft: the review is still in progress)"}.`,
      });
      if (!note.channel) throw new Error("chat.postMessage returned no channel");
      await uploadReport(client, { channelId: note.channel, fm, format });
    });
  };
}

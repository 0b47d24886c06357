import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { reviewDetailModal } from "../../blocks/modals.js";
import { reportFailure, type SlackDeps, viaDm } from "../../deps.js";
import { openVisible } from "../../review-flow.js";
import { readReviewClick } from "./click.js";

/** View on the App Home: the review's summary in a modal, opened while the trigger id is valid. */
export function homeViewButton(deps: SlackDeps) {
  return async ({
    ack,
    body,
    client,
  }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const read = readReviewClick(deps, body);
    if (!read) return;
    const { click, reviewId } = read;
    try {
      // The Home tab belongs to no channel, so private-channel reviews stay hidden here.
      const viewer = { teamId: click.teamId };
      const view = openVisible(deps, reviewId, viewer);
      const fm = deps.reviews.threatModel(reviewId, { viewer });
      await client.views.open({
        trigger_id: click.triggerId,
        view: reviewDetailModal(fm.model, view.review.status !== "finished"),
      });
    } catch (e) {
      await reportFailure(deps, viaDm(client, click.userId), "home view", e);
    }
  };
}

import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from "@slack/bolt";
import { afterAck, type SlackDeps, viaRespond } from "../../deps.js";
import { parseJson, QuestionRef } from "../../ids.js";
import { goBack } from "../../review-flow.js";
import { clickKey, readClick } from "./click.js";

/** Back: undo the last answer and ask that question again. */
export function backButton(deps: SlackDeps) {
  return async ({
    ack,
    body,
    client,
    respond,
  }: SlackActionMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const click = readClick(body);
    const ref = parseJson(QuestionRef, click?.value);
    if (!click?.channelId || !ref) {
      deps.log.warn({ action: click?.actionId }, "back button without a review or channel");
      return;
    }
    const channelId = click.channelId;
    const notify = viaRespond(respond);
    afterAck(deps, `review:${ref.r}`, notify, "back", () =>
      goBack(deps, client, {
        reviewId: ref.r,
        questionId: ref.q,
        userId: click.userId,
        key: clickKey(click, ref.q),
        viewer: { teamId: click.teamId, channelId },
        notify,
      }),
    );
  };
}

import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from "@slack/bolt";
import { afterAck, type SlackDeps, viaRespond } from "../../deps.js";
import { parseJson, QuestionRef } from "../../ids.js";
import { finishNow } from "../../review-flow.js";
import { clickKey, readClick } from "./click.js";

/** Finish: build the threat model from the answers so far and post it in the thread. */
export function finishButton(deps: SlackDeps) {
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
      deps.log.warn({ action: click?.actionId }, "finish button without a review or channel");
      return;
    }
    const channelId = click.channelId;
    const notify = viaRespond(respond);
    afterAck(deps, `review:${ref.r}`, notify, "finish", () =>
      finishNow(deps, client, {
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

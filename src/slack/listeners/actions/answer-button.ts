import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AnswerValue } from "../../../core/review/events.js";
import { afterAck, type SlackDeps, viaRespond } from "../../deps.js";
import { parseJson, QuestionRef } from "../../ids.js";
import { recordAnswer } from "../../review-flow.js";
import { clickKey, readClick } from "./click.js";

/** An option, Unsure or Skip pressed under a question: ack, then store the answer and move on. */
export function answerButton(deps: SlackDeps, answerFor: (ref: QuestionRef) => AnswerValue | undefined) {
  return async ({
    ack,
    body,
    client,
    respond,
  }: SlackActionMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const click = readClick(body);
    const ref = parseJson(QuestionRef, click?.value);
    const value = ref && answerFor(ref);
    if (!click?.channelId || !click.messageTs || !ref || !value) {
      deps.log.warn({ action: click?.actionId }, "answer button without a review, question or message");
      return;
    }
    const channelId = click.channelId;
    const messageTs = click.messageTs;
    const notify = viaRespond(respond);
    afterAck(deps, `review:${ref.r}`, notify, "answer", () =>
      recordAnswer(deps, client, {
        reviewId: ref.r,
        questionId: ref.q,
        userId: click.userId,
        key: clickKey(click, ref.q),
        viewer: { teamId: click.teamId, channelId },
        notify,
        value,
        message: { channelId, ts: messageTs },
      }),
    );
  };
}

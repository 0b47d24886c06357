import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { noticeMessage } from "../../blocks/help.js";
import { textAnswerModal } from "../../blocks/modals.js";
import { reportFailure, type SlackDeps, viaRespond } from "../../deps.js";
import { parseJson, QuestionRef } from "../../ids.js";
import { openVisible } from "../../review-flow.js";
import { readClick } from "./click.js";

/** Answer on a free-text question: open the answer modal at once, while the trigger id is valid. */
export function textAnswerButton(deps: SlackDeps) {
  return async ({
    ack,
    body,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const click = readClick(body);
    const ref = parseJson(QuestionRef, click?.value);
    if (!click?.channelId || !ref) {
      deps.log.warn({ action: click?.actionId }, "answer button without a review or channel");
      return;
    }
    const notify = viaRespond(respond);
    try {
      const view = openVisible(deps, ref.r, { teamId: click.teamId, channelId: click.channelId });
      const q = deps.kb.question(ref.q);
      if (!q || view.question?.id !== ref.q) {
        await notify(
          noticeMessage("That question is not open any more; answer the latest question in the thread."),
        );
        return;
      }
      await client.views.open({
        trigger_id: click.triggerId,
        view: textAnswerModal({ r: ref.r, q: ref.q, channel: click.channelId, team: click.teamId }, q),
      });
    } catch (e) {
      await reportFailure(deps, notify, "open answer modal", e);
    }
  };
}

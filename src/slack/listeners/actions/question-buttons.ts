import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AnswerValue } from "../../../core/review/events.js";
import { afterAck, type SlackDeps, viaRespond } from "../../deps.js";
import { parseJson, QuestionRef } from "../../ids.js";
import {
  type ActRequest,
  type FollowUp,
  storeAnswer,
  storeBack,
  storeFinish,
  storeFirst,
} from "../../review-flow.js";
import { type Click, clickKey, readClick } from "./click.js";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
/** Stores what a click changes and returns the Slack work for after the ack; undefined when the click lacks what it needs. */
type Step = (
  req: ActRequest & { viewer: { channelId: string } },
  ref: QuestionRef,
  messageTs: string | undefined,
  click: Click,
) => (() => Promise<FollowUp> | FollowUp) | undefined;

/**
 * Every button under a question works the same way: read which review and question it belongs to,
 * store the change (committed before the ack), acknowledge, then run the Slack calls in that
 * review's queue so one review's clicks are shown in order.
 */
function questionButton(deps: SlackDeps, label: string, step: Step) {
  return async ({ ack, body, client, respond }: ButtonArgs): Promise<void> => {
    const click = readClick(body);
    const ref = parseJson(QuestionRef, click?.value);
    const channelId = click?.channelId;
    const notify = viaRespond(respond);
    const store =
      click && channelId && ref
        ? step(
            {
              reviewId: ref.r,
              questionId: ref.q,
              userId: click.userId,
              key: clickKey(click, ref.q),
              viewer: { teamId: click.teamId, channelId },
              notify,
            },
            ref,
            click.messageTs,
            click,
          )
        : undefined;
    if (!ref || !store) {
      await ack();
      deps.log.warn({ action: click?.actionId }, `${label} button without a review, question or message`);
      return;
    }
    const followUp = await storeFirst(store);
    await ack();
    afterAck(deps, `review:${ref.r}`, notify, label, () => followUp(client));
  };
}

/** An option, Unsure or Skip: store the answer, then move on. */
export function answerButton(
  deps: SlackDeps,
  answerFor: (ref: QuestionRef, click: Click) => AnswerValue | undefined,
) {
  return questionButton(deps, "answer", (req, ref, messageTs, click) => {
    const value = answerFor(ref, click);
    if (!value || !messageTs) return undefined;
    return () =>
      storeAnswer(deps, { ...req, value, message: { channelId: req.viewer.channelId, ts: messageTs } });
  });
}

/** Back: undo the last answer and ask that question again. */
export function backButton(deps: SlackDeps) {
  return questionButton(deps, "back", (req) => () => storeBack(deps, req));
}

/** Finish: build the threat model from the answers so far and post it in the thread. */
export function finishButton(deps: SlackDeps) {
  return questionButton(deps, "finish", (req) => () => storeFinish(deps, req));
}

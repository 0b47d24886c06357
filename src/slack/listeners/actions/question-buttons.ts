import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { AnswerValue } from "../../../core/review/events.js";
import { afterAck, type SlackDeps, viaRespond } from "../../deps.js";
import { parseJson, QuestionRef } from "../../ids.js";
import { type ActRequest, finishNow, goBack, recordAnswer } from "../../review-flow.js";
import { type Click, clickKey, readClick } from "./click.js";

type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;
/** Turns a click into the work to run after the ack, or undefined when the click lacks what it needs. */
type Step = (
  client: WebClient,
  req: ActRequest & { viewer: { channelId: string } },
  ref: QuestionRef,
  messageTs: string | undefined,
  click: Click,
) => (() => Promise<void>) | undefined;

/**
 * Every button under a question works the same way: ack, read which review and question it belongs
 * to, then run the step in that review's queue so one review's clicks are handled in order.
 */
function questionButton(deps: SlackDeps, label: string, step: Step) {
  return async ({ ack, body, client, respond }: ActionArgs): Promise<void> => {
    await ack();
    const click = readClick(body);
    const ref = parseJson(QuestionRef, click?.value);
    const channelId = click?.channelId;
    const notify = viaRespond(respond);
    const job =
      click && channelId && ref
        ? step(
            client,
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
    if (!ref || !job) {
      deps.log.warn({ action: click?.actionId }, `${label} button without a review, question or message`);
      return;
    }
    afterAck(deps, `review:${ref.r}`, notify, label, job);
  };
}

/** An option, Unsure or Skip: store the answer, then move on. */
export function answerButton(
  deps: SlackDeps,
  answerFor: (ref: QuestionRef, click: Click) => AnswerValue | undefined,
) {
  return questionButton(deps, "answer", (client, req, ref, messageTs, click) => {
    const value = answerFor(ref, click);
    if (!value || !messageTs) return undefined;
    return () =>
      recordAnswer(deps, client, {
        ...req,
        value,
        message: { channelId: req.viewer.channelId, ts: messageTs },
      });
  });
}

/** Back: undo the last answer and ask that question again. */
export function backButton(deps: SlackDeps) {
  return questionButton(deps, "back", (client, req) => () => goBack(deps, client, req));
}

/** Finish: build the threat model from the answers so far and post it in the thread. */
export function finishButton(deps: SlackDeps) {
  return questionButton(deps, "finish", (client, req) => () => finishNow(deps, client, req));
}

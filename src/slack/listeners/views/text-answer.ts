import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import { InputError } from "../../../core/errors.js";
import { validateAnswer } from "../../../core/review/engine.js";
import { afterAck, type SlackDeps, viaEphemeral } from "../../deps.js";
import { INPUT_ACTION, parseJson, TEXT_ANSWER_BLOCK, TextAnswerMetadata } from "../../ids.js";
import { storeAnswer, storeFirst } from "../../review-flow.js";
import { clip } from "../../text/limits.js";
import { readSubmission } from "./submission.js";

/** A free-text answer from the modal: shape errors go back into the modal, the answer is stored after the ack. */
export function textAnswerSubmission(deps: SlackDeps) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const sub = readSubmission(body);
    const meta = parseJson(TextAnswerMetadata, sub?.metadata);
    const q = meta && deps.kb.question(meta.q);
    if (!sub || !meta || !q || meta.team !== sub.teamId) {
      await ack();
      deps.log.warn("answer modal submitted without its metadata, or from another workspace");
      return;
    }
    const text = sub.input(TEXT_ANSWER_BLOCK, INPUT_ACTION) ?? "";
    try {
      validateAnswer(q, { kind: "text", text });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      await ack({ response_action: "errors", errors: { [TEXT_ANSWER_BLOCK]: clip(e.message, 300) } });
      return;
    }
    const threadTs = deps.reviews.byId(meta.r)?.slack?.threadTs;
    const notify = viaEphemeral(client, meta.channel, sub.userId, threadTs);
    // Stored (secrets masked, committed) before the modal is acknowledged.
    const followUp = await storeFirst(() =>
      storeAnswer(deps, {
        reviewId: meta.r,
        questionId: meta.q,
        userId: sub.userId,
        key: `view:${sub.teamId}:${sub.viewId}`,
        viewer: { teamId: sub.teamId, channelId: meta.channel },
        notify,
        value: { kind: "text", text },
      }),
    );
    await ack();
    afterAck(deps, `review:${meta.r}`, notify, "text answer", () => followUp(client));
  };
}

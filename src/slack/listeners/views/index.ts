import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { VIEW } from "../../ids.js";
import { startReviewSubmission } from "./start-review.js";
import { textAnswerSubmission } from "./text-answer.js";

type ViewHandler = (args: SlackViewMiddlewareArgs & AllMiddlewareArgs) => Promise<void>;

/** Modal callback ids bound to their handlers, registered with Bolt as one listener. */
export function registerViews(app: App, deps: SlackDeps): void {
  const handlers = new Map<string, ViewHandler>([
    [VIEW.startReview, startReviewSubmission(deps)],
    [VIEW.textAnswer, textAnswerSubmission(deps)],
  ]);
  app.view({ callback_id: /^tb_/, type: "view_submission" }, async (args) => {
    const handler = handlers.get(args.view.callback_id);
    if (handler) return handler(args);
    await args.ack();
    deps.log.warn({ callbackId: args.view.callback_id }, "submission of an unknown modal");
  });
}

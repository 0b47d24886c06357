import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { VIEW } from "../../ids.js";
import { startReviewSubmission } from "./start-review.js";
import { textAnswerSubmission } from "./text-answer.js";

/** One listener per modal callback id; a submission of any other modal is acknowledged by the receiver. */
export function registerViews(app: App, deps: SlackDeps): void {
  app.view({ callback_id: VIEW.startReview, type: "view_submission" }, startReviewSubmission(deps));
  app.view({ callback_id: VIEW.textAnswer, type: "view_submission" }, textAnswerSubmission(deps));
}

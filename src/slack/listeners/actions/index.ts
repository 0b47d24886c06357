import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs } from "@slack/bolt";
import { multiBlockId } from "../../blocks/question.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { homeExportButton } from "./home-export.js";
import { homeViewButton } from "./home-view.js";
import { answerButton, backButton, finishButton } from "./question-buttons.js";
import { textAnswerButton } from "./text-answer.js";

type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;
type ActionHandler = (args: ActionArgs) => Promise<void>;

/**
 * Action ids bound to their handlers. Bolt runs every registered listener's matchers on every
 * request, so the app registers one listener for all of its ids and looks the handler up here.
 */
export function actionHandlers(deps: SlackDeps): {
  exact: Map<string, ActionHandler>;
  pattern: [RegExp, ActionHandler][];
} {
  return {
    exact: new Map<string, ActionHandler>([
      [ACTION.unsure, answerButton(deps, () => ({ kind: "unsure" }))],
      [ACTION.skip, answerButton(deps, () => ({ kind: "skip" }))],
      [ACTION.back, backButton(deps)],
      [ACTION.finish, finishButton(deps)],
      [ACTION.textAnswer, textAnswerButton(deps)],
      [
        ACTION.multiSubmit,
        // Nothing ticked is not an answer: the person is told to tick boxes, pick "None of these", or skip.
        answerButton(deps, (ref, click) => {
          const values = click.ticked[multiBlockId(ref.q)] ?? [];
          return values.length > 0 ? { kind: "multi", values } : { kind: "text", text: "" };
        }),
      ],
      // Ticking a box only changes the message's state; Submit reads it.
      [ACTION.multiToggle, ({ ack }) => ack()],
      [ACTION.homeView, homeViewButton(deps)],
      [ACTION.homeExportMd, homeExportButton(deps, "md")],
      [ACTION.homeExportJson, homeExportButton(deps, "json")],
    ]),
    pattern: [
      [
        ACTION.optionPattern,
        answerButton(deps, (ref) => (ref.v ? { kind: "choice", value: ref.v } : undefined)),
      ],
    ],
  };
}

export function registerActions(app: App, deps: SlackDeps): void {
  const { exact, pattern } = actionHandlers(deps);
  app.action(/^tb_/, async (args) => {
    const id = "action_id" in args.action ? args.action.action_id : "";
    const handler = exact.get(id) ?? pattern.find(([re]) => re.test(id))?.[1];
    if (handler) return handler(args);
    // An id from an older version of a message: acknowledge it so Slack shows no error.
    await args.ack();
    deps.log.warn({ action: id }, "button with an unknown action id");
  });
}

import type { App, BlockAction } from "@slack/bolt";
import { multiBlockId } from "../../blocks/question.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { homeExportButton } from "./home-export.js";
import { homeViewButton } from "./home-view.js";
import { answerButton, backButton, finishButton } from "./question-buttons.js";
import { textAnswerButton } from "./text-answer.js";

/**
 * One listener per action id, as Slack's templates register them. A click on an id that is not
 * here (a button from an older version of a message) is acknowledged by the receiver at once.
 */
export function registerActions(app: App, deps: SlackDeps): void {
  const on = (action_id: string | RegExp) => ({ type: "block_actions" as const, action_id });
  app.action<BlockAction>(
    on(ACTION.unsure),
    answerButton(deps, () => ({ kind: "unsure" })),
  );
  app.action<BlockAction>(
    on(ACTION.skip),
    answerButton(deps, () => ({ kind: "skip" })),
  );
  app.action<BlockAction>(
    on(ACTION.optionPattern),
    answerButton(deps, (ref) => (ref.v ? { kind: "choice", value: ref.v } : undefined)),
  );
  app.action<BlockAction>(on(ACTION.back), backButton(deps));
  app.action<BlockAction>(on(ACTION.finish), finishButton(deps));
  app.action<BlockAction>(on(ACTION.textAnswer), textAnswerButton(deps));
  app.action<BlockAction>(
    on(ACTION.multiSubmit),
    // Nothing ticked is not an answer: the person is told to tick boxes, pick "None of these", or skip.
    answerButton(deps, (ref, click) => {
      const values = click.ticked[multiBlockId(ref.q)] ?? [];
      return values.length > 0 ? { kind: "multi", values } : { kind: "text", text: "" };
    }),
  );
  // Ticking a box only changes the message's state; Submit reads it.
  app.action<BlockAction>(on(ACTION.multiToggle), async ({ ack }) => {
    await ack();
  });
  app.action<BlockAction>(on(ACTION.homeView), homeViewButton(deps));
  app.action<BlockAction>(on(ACTION.homeExportMd), homeExportButton(deps, "md"));
  app.action<BlockAction>(on(ACTION.homeExportJson), homeExportButton(deps, "json"));
}

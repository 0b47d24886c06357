import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { helpMessage, listMessage, noticeMessage, unknownCommandMessage } from "../../blocks/help.js";
import { context } from "../../blocks/kit.js";
import { progressLabel } from "../../blocks/labels.js";
import { startModal } from "../../blocks/modals.js";
import { summaryMessage } from "../../blocks/review.js";
import { afterAck, reportFailure, type SlackDeps, viaRespond } from "../../deps.js";
import { openVisible, reviewRows, storeExport, storeFirst, storeStart } from "../../review-flow.js";
import { fromSlackText } from "../../text/escape.js";
import { askPrivately } from "./ask.js";
import { parseCommand } from "./parse.js";

const CONTEXT_QUESTIONS = ["context.description", "context.internet-facing", "context.data-sensitivity"];

const Command = z.object({
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  trigger_id: z.string().min(1),
  text: z.string().default(""),
});

/** `/threatmodel [new|list|show|export|ask|help]`: ack at once, then do what was asked. */
export function threatmodelCommand(deps: SlackDeps) {
  return async ({
    ack,
    command,
    client,
    respond,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const notify = viaRespond(respond);
    const parsed = Command.safeParse(command);
    if (!parsed.success) {
      await ack();
      deps.log.warn(
        { issues: parsed.error.issues.length },
        "slash command without the fields Slack always sends",
      );
      return;
    }
    const c = parsed.data;
    const viewer = { teamId: c.team_id, channelId: c.channel_id };
    const sub = parseCommand(fromSlackText(c.text));
    if (sub.kind === "new" || sub.kind === "export") {
      // What these change is stored (with the Slack messages it causes) before the ack.
      const followUp = await storeFirst(() =>
        sub.kind === "new"
          ? storeStart(deps, {
              teamId: c.team_id,
              channelId: c.channel_id,
              userId: c.user_id,
              name: sub.name,
              workload: sub.workload,
              dedupeKey: `start:${c.team_id}:${c.trigger_id}`,
              notify,
            })
          : storeExport(deps, {
              teamId: c.team_id,
              triggerId: c.trigger_id,
              channelId: c.channel_id,
              reviewId: sub.id,
              format: sub.format,
              viewer,
            }),
      );
      await ack();
      afterAck(deps, `channel:${c.channel_id}`, notify, sub.kind, () => followUp(client));
      return;
    }
    await ack();
    try {
      switch (sub.kind) {
        case "modal": {
          // A trigger id works once and for about three seconds: open the modal right away.
          const questions = CONTEXT_QUESTIONS.flatMap((id) => deps.kb.question(id) ?? []);
          await client.views.open({
            trigger_id: c.trigger_id,
            view: startModal({ channel: c.channel_id, team: c.team_id }, questions),
          });
          return;
        }
        case "help":
          return await notify(helpMessage());
        case "unknown":
          return await notify(unknownCommandMessage(sub.word));
        case "usage":
          return await notify(noticeMessage(sub.message));
        case "list":
          return await notify(listMessage(reviewRows(deps, viewer, 20)));
        case "show": {
          const view = openVisible(deps, sub.id, viewer);
          const fm = deps.reviews.threatModel(sub.id, { viewer });
          const draft = view.review.status !== "finished";
          const msg = summaryMessage(fm.model, { draft });
          if (draft) {
            msg.blocks.push(
              context(
                `In progress: ${progressLabel(view.progress)}. Export it with \`/threatmodel export ${sub.id} md\`.`,
              ),
            );
          }
          return await notify(msg);
        }
        case "ask":
          // Only the asker sees the answer, like every other subcommand's reply; `@Threatbot` is the public way.
          askPrivately(deps, `ask:${c.team_id}:${c.trigger_id}`, sub.question, notify);
          return;
      }
    } catch (e) {
      await reportFailure(deps, notify, `command ${sub.kind}`, e);
    }
  };
}

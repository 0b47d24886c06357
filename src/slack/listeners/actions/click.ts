import { z } from "zod";
import type { SlackDeps } from "../../deps.js";
import { parseJson, ReviewRef } from "../../ids.js";

/** The parts of a block_actions payload the app reads; anything else Slack sends is ignored. */
const BlockActions = z.object({
  team: z.object({ id: z.string().min(1) }).nullish(),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  trigger_id: z.string().min(1),
  container: z
    .object({
      message_ts: z.string().optional(),
      channel_id: z.string().optional(),
      view_id: z.string().optional(),
    })
    .optional(),
  channel: z.object({ id: z.string().min(1) }).optional(),
  // Submit reads the ticked boxes of the same message from the state Slack sends with every click.
  state: z
    .object({
      values: z.record(
        z.string(),
        z.record(
          z.string(),
          z.object({ selected_options: z.array(z.object({ value: z.string() })).optional() }).passthrough(),
        ),
      ),
    })
    .optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string().min(1),
        value: z.string().optional(),
        action_ts: z.string().optional(),
      }),
    )
    .min(1),
});

export interface Click {
  teamId: string;
  userId: string;
  triggerId: string;
  channelId?: string | undefined;
  messageTs?: string | undefined;
  actionId: string;
  value?: string | undefined;
  /** Values of the ticked checkboxes in the message, by block id. */
  ticked: Record<string, string[]>;
}

export function readClick(body: unknown): Click | undefined {
  const parsed = BlockActions.safeParse(body);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const action = b.actions[0];
  const teamId = b.team?.id ?? b.user.team_id;
  if (!action || !teamId) return undefined;
  return {
    teamId,
    userId: b.user.id,
    triggerId: b.trigger_id,
    channelId: b.container?.channel_id ?? b.channel?.id,
    messageTs: b.container?.message_ts,
    actionId: action.action_id,
    value: action.value,
    ticked: Object.fromEntries(
      Object.entries(b.state?.values ?? {}).map(([block, elements]) => [
        block,
        Object.values(elements).flatMap((e) => e.selected_options?.map((o) => o.value) ?? []),
      ]),
    ),
  };
}

/** One key per button on one message: a double click or a retry maps to the same stored event. */
export function clickKey(c: Click, questionId: string): string {
  return `${c.teamId}:${c.channelId}:${c.messageTs}:${c.actionId}:${questionId}`;
}

/** A click on a button that names a review (the App Home's); undefined, logged, when it names none. */
export function readReviewClick(
  deps: SlackDeps,
  body: unknown,
): { click: Click; reviewId: number } | undefined {
  const click = readClick(body);
  const ref = parseJson(ReviewRef, click?.value);
  if (!click || !ref) {
    deps.log.warn({ action: click?.actionId }, "home button without a review");
    return undefined;
  }
  return { click, reviewId: ref.r };
}

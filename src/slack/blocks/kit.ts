import type { types } from "@slack/bolt";
import { clip, clipMrkdwn, LIMITS } from "../text/limits.js";

export type Block = types.KnownBlock;
export type Button = types.Button;

/** A message as the builders return it: blocks plus the plain fallback shown in notifications. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** mrkdwn that the app wrote itself (it may hold mentions it built); clipped to the section limit. */
export const section = (mrkdwn: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(mrkdwn, LIMITS.sectionText) },
});

/** A section of a person's text: escaped so it pings no one, clipped so Slack accepts it. */
export const userSection = (raw: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: clipMrkdwn(raw, LIMITS.sectionText) },
});

export const header = (plain: string): Block => ({
  type: "header",
  text: { type: "plain_text", text: clip(plain, LIMITS.headerText), emoji: true },
});

export const context = (...mrkdwn: string[]): Block => ({
  type: "context",
  elements: mrkdwn
    .slice(0, LIMITS.contextElements)
    .map((t) => ({ type: "mrkdwn" as const, text: clip(t, LIMITS.sectionText) })),
});

export const divider = (): Block => ({ type: "divider" });

export function button(
  text: string,
  actionId: string,
  value: string,
  opts: { style?: "primary" | "danger"; confirm?: types.ConfirmationDialog } = {},
): Button {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: clip(text, LIMITS.buttonText), emoji: true },
    value,
    ...(opts.style ? { style: opts.style } : {}),
    ...(opts.confirm ? { confirm: opts.confirm } : {}),
  };
}

/** Buttons in rows of at most 25 (one actions block each). */
export function actions(blockId: string, buttons: Button[]): Block[] {
  const rows: Block[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    const suffix = i === 0 ? "" : `:${i / LIMITS.actionsElements}`;
    rows.push({
      type: "actions",
      block_id: `${blockId}${suffix}`,
      elements: buttons.slice(i, i + LIMITS.actionsElements),
    });
  }
  return rows;
}

export const plain = (text: string, max: number): types.PlainTextElement => ({
  type: "plain_text",
  text: clip(text, max),
  emoji: true,
});

/** Keep the first blocks that fit, leaving room for a closing block that says what was left out. */
export function capBlocks(blocks: Block[], max: number, overflow: (left: number) => Block): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, overflow(blocks.length - kept.length)];
}

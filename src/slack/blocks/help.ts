import { oneLine } from "../text/escape.js";
import { clip, clipMrkdwn, fitLines, LIMITS } from "../text/limits.js";
import { type ReviewRow, reviewLine } from "./home.js";
import { context, type SlackMessage, section } from "./kit.js";

export const USAGE = [
  "`/threatmodel` opens a form to start a review",
  "`/threatmodel new <vm|container|serverless|undecided> <name>` starts one directly",
  "`/threatmodel list` lists the reviews you can open here",
  "`/threatmodel show <id>` shows a review's risks so far",
  "`/threatmodel export <id> [md|json]` posts its threat model as a file",
  "`/threatmodel ask <question>` answers a security design question from the knowledge base, with sources (only you see it; `@Threatbot <question>` answers in a thread for everyone)",
  "`/threatmodel help` shows this",
];

export function helpMessage(): SlackMessage {
  return {
    text: "Threatbot commands",
    blocks: [
      section(
        `*Threatbot* runs a threat review in a thread: one question at a time, then a threat model.\n${USAGE.map((u) => `• ${u}`).join("\n")}`,
      ),
    ],
  };
}

/** What an unknown subcommand gets: what was not understood, and what would be. */
export function unknownCommandMessage(word: string): SlackMessage {
  return {
    text: "Unknown subcommand",
    blocks: [
      section(
        `I don't know \`${clipMrkdwn(oneLine(word), 40).replace(/`/g, "'")}\`. Try:\n${USAGE.map((u) => `• ${u}`).join("\n")}`,
      ),
    ],
  };
}

export function listMessage(rows: ReviewRow[]): SlackMessage {
  if (rows.length === 0) {
    return {
      text: "No reviews here yet",
      blocks: [section("No reviews here yet. Start one with `/threatmodel`.")],
    };
  }
  return {
    text: `${rows.length} reviews`,
    blocks: [
      section(fitLines(rows.map(reviewLine), LIMITS.sectionText, (n) => `…and ${n} more.`)),
      context("Open one with `/threatmodel show <id>`; export it with `/threatmodel export <id> md`."),
    ],
  };
}

/** A short ephemeral line: errors and confirmations. Callers escape anything a person typed. */
export function noticeMessage(mrkdwn: string): SlackMessage {
  return { text: clip(mrkdwn, LIMITS.fallbackText), blocks: [section(mrkdwn)] };
}

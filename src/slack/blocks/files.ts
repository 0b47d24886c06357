import type { ScanProblem } from "../../artifacts/scan.js";
import { type FileFact, formatValue } from "../../core/facts/state.js";
import type { Question } from "../../core/knowledge/schema.js";
import { actorMention, oneLine } from "../text/escape.js";
import { fitLines, LIMITS } from "../text/limits.js";
import { literalMrkdwn } from "../text/markdown.js";
import { context, type SlackMessage, section } from "./kit.js";

/** What files shared with a review showed, as the thread shows it. */
export interface FilesReport {
  /** Who shared them (a Slack user id). */
  sharedBy: string;
  /** How many files were shared. */
  shared: number;
  /** Names of the files that were read. */
  read: string[];
  /** The facts as the review now holds them from these files (one deciding line each). */
  facts: readonly FileFact[];
  problems: readonly ScanProblem[];
  refused: readonly { file: string; reason: string }[];
  /** Questions the review no longer asks because of these files. */
  settled: readonly Question[];
  /** Earlier answers the files contradict, both sides named. */
  conflicts: readonly string[];
  /** The platform the files point at, in words. */
  platformNote?: string | undefined;
}

const more = (n: number) => `…and ${n} more`;
const fitSection = (lines: string[]) => fitLines(lines, LIMITS.sectionText, more);

/** The evidence as the report's "why" shows it: file:line and the (already masked) line. */
export const evidenceOf = (f: FileFact) => `${f.file}:${f.line} ${oneLine(f.excerpt)}`;

export function filesReadMessage(r: FilesReport): SlackMessage {
  const blocks = [];
  const count = `${r.shared} file${r.shared === 1 ? "" : "s"}`;
  const head = `:page_facing_up: ${actorMention(r.sharedBy)} shared ${count}${r.read.length < r.shared ? ` (${r.read.length} read)` : ""}`;
  const factLines = r.facts.map(
    (f) => `• \`${f.fact}\` = *${literalMrkdwn(formatValue(f.value))}*: ${literalMrkdwn(evidenceOf(f))}`,
  );
  blocks.push(
    section(
      factLines.length > 0
        ? `${head}. What they show:\n${fitSection(factLines)}`
        : `${head}; nothing in them answers a question of this review.`,
    ),
  );
  if (r.platformNote) blocks.push(context(`Platform: ${literalMrkdwn(r.platformNote)}`));
  if (r.settled.length > 0) {
    blocks.push(
      section(
        `*Not asked any more* (the files answer ${r.settled.length === 1 ? "it" : "them"}):\n${fitSection(
          r.settled.map((q) => `• ${literalMrkdwn(oneLine(q.text))}`),
        )}`,
      ),
    );
  }
  if (r.conflicts.length > 0) {
    blocks.push(
      section(
        `:warning: *The files and earlier answers disagree* (the file's line is kept as evidence):\n${fitSection(
          r.conflicts.map((c) => `• ${literalMrkdwn(oneLine(c))}`),
        )}`,
      ),
    );
  }
  const trouble = [
    ...r.refused.map((x) => `• ${literalMrkdwn(x.file)}: not read: ${literalMrkdwn(oneLine(x.reason))}`),
    ...r.problems.map(
      (p) => `• ${literalMrkdwn(`${p.file}:${p.line}`)}: ${literalMrkdwn(oneLine(p.message))}`,
    ),
  ];
  if (trouble.length > 0) {
    blocks.push(
      section(`:no_entry: *Not used* (the rest of what was shared still counts):\n${fitSection(trouble)}`),
    );
  }
  const text = `${r.read.length} file(s) read: ${r.facts.length} fact(s)${
    r.settled.length > 0 ? `, ${r.settled.length} question(s) answered by them` : ""
  }${trouble.length > 0 ? `, ${trouble.length} not used` : ""}.`;
  return { text, blocks };
}

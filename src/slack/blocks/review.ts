import type { Workload } from "../../core/knowledge/schema.js";
import { bySeverityThenId } from "../../core/report/markdown.js";
import { SEVERITIES, type Severity, type ThreatModel } from "../../core/threats/model.js";
import { actorMention, escapeMrkdwn, oneLine } from "../text/escape.js";
import { clip, clipMrkdwn, fitLines, LIMITS } from "../text/limits.js";
import { type Block, context, header, type SlackMessage, section } from "./kit.js";
import { MODEL_LABEL, SEVERITY_ICON, SEVERITY_LABEL, WORKLOAD_LABEL } from "./labels.js";

export interface RootInfo {
  reviewId?: number;
  name: string;
  workload: Workload;
  startedBy: string;
  /** Set once the review is finished. */
  finished?: { bySeverity: Record<Severity, number>; openQuestions: number };
}

export function severityCounts(bySeverity: Record<Severity, number>): string {
  return SEVERITIES.map((s) => `${bySeverity[s] ?? 0} ${s}`).join(" · ");
}

/** The message a review thread hangs from; updated as the review starts and finishes. */
export function rootMessage(info: RootInfo): SlackMessage {
  const name = clipMrkdwn(oneLine(info.name), 200);
  const title =
    info.reviewId === undefined
      ? `:shield: Starting a threat review of *${name}* (${WORKLOAD_LABEL[info.workload]})…`
      : `:shield: *Threat review #${info.reviewId}: ${name}* · ${WORKLOAD_LABEL[info.workload]}`;
  const status = info.finished
    ? `Finished. Open threats: ${severityCounts(info.finished.bySeverity)}; ${info.finished.openQuestions} open questions. The report is in this thread.`
    : `Started by ${actorMention(info.startedBy)}. Anyone in this channel can answer the questions in this thread.`;
  return {
    text: clip(
      `Threat review${info.reviewId ? ` #${info.reviewId}` : ""}: ${oneLine(escapeMrkdwn(info.name))}`,
      LIMITS.fallbackText,
    ),
    blocks: [section(title), context(status)],
  };
}

const TOP_THREATS = 5;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The threat model in a few blocks: risk counts, the top open threats, open questions. Everything
 * else, and anything too long for a message, is in the uploaded file.
 */
export function summaryBlocks(model: ThreatModel, opts: { draft?: boolean } = {}): Block[] {
  const { review, summary } = model;
  // A person's text stays out of plain_text (header) fields: only mrkdwn gets escaped.
  const blocks: Block[] = [
    header(`${opts.draft ? "Draft threat model" : "Threat model"} #${review.id}`),
    section(
      `*${clipMrkdwn(oneLine(review.name), 200)}* · ${WORKLOAD_LABEL[review.workload]}\n` +
        `${summary.threats} threats, *${summary.open} open*; ${summary.openQuestions} open questions. ` +
        `Concerns owned by the team: ${summary.teamOwned}, provider: ${summary.providerOwned}, shared: ${summary.sharedOwned}.`,
    ),
    {
      type: "section",
      fields: SEVERITIES.map((s) => ({
        type: "mrkdwn" as const,
        text: `${SEVERITY_ICON[s]} *${SEVERITY_LABEL[s]}*: ${summary.bySeverity[s] ?? 0} open`,
      })),
    },
  ];
  if (model.comparison) {
    blocks.push(
      section(
        model.comparison
          .map((c) => `*${MODEL_LABEL[c.deploymentModel]}*: ${severityCounts(c.bySeverity)} (${c.open} open)`)
          .join("\n"),
      ),
    );
  }
  const top = model.threats
    .filter((t) => t.status === "open")
    .sort(bySeverityThenId)
    .slice(0, TOP_THREATS);
  if (top.length > 0) {
    blocks.push(section("*Top open threats*"));
    for (const t of top) {
      blocks.push(
        section(
          `${SEVERITY_ICON[t.severity]} *${t.id}* · ${cap(t.severity)} · ${MODEL_LABEL[t.deploymentModel]}\n${clipMrkdwn(t.statement, LIMITS.sectionText - 200)}`,
        ),
      );
    }
  }
  if (model.openQuestions.length > 0) {
    const lines = model.openQuestions.map((q) => `• ${clipMrkdwn(oneLine(q.text), 300)} _(${q.reason})_`);
    blocks.push(
      section(
        `*Open questions*\n${fitLines(lines, LIMITS.sectionText - 20, (n) => `…and ${n} more in the report.`)}`,
      ),
    );
  }
  blocks.push(
    context(
      `Version ${model.version} · generated ${model.generatedAt} · knowledge base ${model.knowledgeBaseVersion}`,
    ),
  );
  return blocks;
}

export function summaryMessage(model: ThreatModel, opts: { draft?: boolean } = {}): SlackMessage {
  return {
    text: clip(
      `Threat model for #${model.review.id} ${oneLine(escapeMrkdwn(model.review.name))}: ${severityCounts(model.summary.bySeverity)} open`,
      LIMITS.fallbackText,
    ),
    blocks: summaryBlocks(model, opts),
  };
}

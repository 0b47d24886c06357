import type { Workload } from "../../core/knowledge/schema.js";
import { SEVERITIES, type Severity, type ThreatModel } from "../../core/threats/model.js";
import { actorMention, escapeMrkdwn, oneLine } from "../text/escape.js";
import { clip, clipMrkdwn, fitLines, LIMITS } from "../text/limits.js";
import { type Block, context, header, type SlackMessage, section } from "./kit.js";
import { SEVERITY_ICON, SEVERITY_LABEL, WORKLOAD_LABEL } from "./labels.js";

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
    ? `Finished. Confirmed open threats: ${severityCounts(info.finished.bySeverity)}; ${info.finished.openQuestions} open questions. The report is in this thread.`
    : `Started by ${actorMention(info.startedBy)}. Anyone in this channel can answer the questions in this thread.`;
  return {
    text: clip(
      `Threat review${info.reviewId ? ` #${info.reviewId}` : ""}: ${oneLine(escapeMrkdwn(info.name))}`,
      LIMITS.fallbackText,
    ),
    blocks: [section(title), context(status)],
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The threat model in a few blocks: risk counts, the top open threats, open questions. Everything
 * else, and anything too long for a message, is in the uploaded file.
 */
export function summaryBlocks(model: ThreatModel, opts: { draft?: boolean } = {}): Block[] {
  const { review, summary } = model;
  const platforms = review.platforms.map((p) => model.platformNames[p] ?? p).join(", ");
  // A person's text stays out of plain_text (header) fields: only mrkdwn gets escaped.
  const blocks: Block[] = [
    header(`${opts.draft ? "Draft threat model" : "Threat model"} #${review.id}`),
    section(
      `*${clipMrkdwn(oneLine(review.name), 200)}* · ${WORKLOAD_LABEL[review.workload]} · ${escapeMrkdwn(platforms)}\n` +
        `*${summary.confirmed} confirmed threats* (${summary.open} open, ${summary.mitigated} mitigated) from ${summary.questionsAsked} questions. ` +
        `${summary.unconfirmed} more depend on ${summary.openQuestions} open questions; ${summary.inherent} come with the platform.`,
    ),
    {
      type: "section",
      fields: SEVERITIES.map((s) => ({
        type: "mrkdwn" as const,
        text: `${SEVERITY_ICON[s]} *${SEVERITY_LABEL[s]}*: ${summary.bySeverity[s] ?? 0} confirmed`,
      })),
    },
  ];
  if (model.comparison) {
    const changes = model.comparison.filter((c) => !c.difference.startsWith("The same"));
    const lines = changes.map((c) => `• *${escapeMrkdwn(c.concern)}*: ${clipMrkdwn(c.difference, 400)}`);
    if (lines.length > 0)
      blocks.push(
        section(
          `*What changes between the options*\n${fitLines(lines, LIMITS.sectionText - 40, (n) => `…and ${n} more in the report.`)}`,
        ),
      );
  }
  const byId = new Map(model.threats.map((t) => [t.id, t]));
  const top = summary.top.flatMap((id) => byId.get(id) ?? []);
  if (top.length > 0) {
    blocks.push(section("*Fix first*"));
    for (const t of top) {
      const where =
        review.workload === "undecided"
          ? ` · ${t.platforms.map((p) => model.platformNames[p] ?? p).join(", ")}`
          : "";
      blocks.push(
        section(
          `${SEVERITY_ICON[t.severity]} *${t.id}* · ${cap(t.severity)}${escapeMrkdwn(where)}\n${clipMrkdwn(t.statement, LIMITS.sectionText - 200)}`,
        ),
      );
    }
  }
  if (model.openQuestions.length > 0) {
    const lines = model.openQuestions.map(
      (q) =>
        `• ${clipMrkdwn(oneLine(q.text), 300)} _(${q.reason}${q.threats.length > 0 ? `; ${q.threats.length} threats hang on it` : ""})_`,
    );
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

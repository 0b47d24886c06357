import type { types } from "@slack/bolt";
import type { Workload } from "../../core/knowledge/schema.js";
import type { Severity } from "../../core/threats/model.js";
import { ACTION } from "../ids.js";
import { clipMrkdwn } from "../text/limits.js";
import { actions, type Block, button, capBlocks, context, divider, header, section } from "./kit.js";
import { WORKLOAD_LABEL } from "./labels.js";
import { severityCounts } from "./review.js";

/** One review as lists show it. */
export interface ReviewRow {
  id: number;
  name: string;
  workload: Workload;
  status: "in_progress" | "finished";
  channelId?: string | undefined;
  /** "Question 4 of 15" while in progress. */
  progress?: string | undefined;
  /** Open threats by severity from the latest stored threat model, if there is one. */
  bySeverity?: Record<Severity, number> | undefined;
}

export const HOME_LIMIT = 30;

export function reviewLine(r: ReviewRow): string {
  const where = r.channelId ? ` · <#${r.channelId}>` : "";
  const status =
    r.status === "finished"
      ? `Finished · ${r.bySeverity ? severityCounts(r.bySeverity) : "no model stored"}`
      : `In progress${r.progress ? ` · ${r.progress}` : ""}`;
  return `*#${r.id} ${clipMrkdwn(r.name, 120)}* · ${WORKLOAD_LABEL[r.workload]}${where}\n${status}`;
}

/** The App Home tab: the workspace's recent reviews, each with View and Export buttons. */
export function homeView(rows: ReviewRow[]): types.HomeView {
  const blocks: Block[] = [
    header("Threat reviews"),
    section(
      "Start a review with `/threatmodel` in a channel I am in: I ask one question at a time in a thread, and post the threat model when it is done.",
    ),
    divider(),
  ];
  if (rows.length === 0) blocks.push(section("No reviews in this workspace yet."));
  for (const r of rows.slice(0, HOME_LIMIT)) {
    const ref = JSON.stringify({ r: r.id });
    blocks.push(section(reviewLine(r)));
    blocks.push(
      ...actions(`home:${r.id}`, [
        button("View", ACTION.homeView, ref),
        button("Export .md", ACTION.homeExportMd, ref),
        button("Export .json", ACTION.homeExportJson, ref),
      ]),
    );
  }
  blocks.push(
    context("Reviews from private channels are listed only inside their channel, with `/threatmodel list`."),
  );
  return {
    type: "home",
    blocks: capBlocks(blocks, 100, (n) => context(`${n} more blocks left out.`)),
  };
}

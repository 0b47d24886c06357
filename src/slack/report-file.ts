import type { FinishedModel } from "../core/review/service.js";
import { oneLine } from "./text/escape.js";
import { clip } from "./text/limits.js";

export type ExportFormat = "md" | "json";

/** A threat model as a file: Markdown for people, JSON for tools. The name is unique per review, version and format. */
export function reportFile(
  fm: FinishedModel,
  format: ExportFormat,
): { filename: string; title: string; content: string } {
  const { model } = fm;
  const draft = model.review.status !== "finished";
  return {
    filename: `threat-model-${model.review.id}-v${fm.version}${draft ? "-draft" : ""}.${format}`,
    title: clip(`Threat model #${model.review.id}: ${oneLine(model.review.name)}`, 250),
    content: format === "json" ? `${JSON.stringify(model, null, 2)}\n` : fm.markdown,
  };
}

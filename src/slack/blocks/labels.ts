import type { Question, Workload } from "../../core/knowledge/schema.js";
import type { AnswerValue } from "../../core/review/events.js";
import type { Severity } from "../../core/threats/model.js";

export const WORKLOAD_LABEL: Record<Workload, string> = {
  vm: "Virtual machines",
  container: "Containers",
  serverless: "Serverless",
  undecided: "Undecided (all three compared)",
};

export const MODEL_LABEL = { vm: "VM", container: "Container", serverless: "Serverless" } as const;

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: ":red_circle:",
  high: ":large_orange_circle:",
  medium: ":large_yellow_circle:",
  low: ":white_circle:",
};

/** How an answer reads back to people: the option's label, the text, or Unsure/Skipped. Not escaped. */
export function answerLabel(question: Question | undefined, value: AnswerValue): string {
  switch (value.kind) {
    case "choice":
      return question?.options.find((o) => o.value === value.value)?.label ?? value.value;
    case "multi":
      return value.values.map((v) => question?.options.find((o) => o.value === v)?.label ?? v).join("; ");
    case "text":
      return value.text;
    case "unsure":
      return "Unsure";
    case "skip":
      return "Skipped";
  }
}

export function progressLabel(p: { index: number; total: number }): string {
  return `Question ${p.index} of ${p.total}`;
}

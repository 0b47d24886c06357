import type { Workload } from "../../core/knowledge/schema.js";
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

export { answerLabel } from "../../core/review/walk.js";

export function progressLabel(p: { index: number; total: number }): string {
  return `Question ${p.index} of ${p.total}`;
}

import { frameworkLabel, type Owner } from "../core/knowledge/schema.js";
import type { Answer, Citation } from "./schema.js";

const MODEL_NAMES = { vm: "VM", container: "container", serverless: "serverless" } as const;
const OWNER_WORDS: Record<Owner, string> = {
  team: "your team owns this",
  provider: "the provider owns this",
  shared: "shared with the provider",
};

const FALLBACK_WORDS: Record<NonNullable<Answer["fallbackReason"]>, string> = {
  timeout: "it took too long",
  malformed: "it was not in the expected form",
  uncited: "it cited entries it was not given",
  leak: "it repeated configuration",
  error: "the model could not be reached",
};

export function workloadLabel(workload: Answer["workload"]): string {
  return workload === "undecided" ? "any workload" : `${MODEL_NAMES[workload]} workloads`;
}

function sourceLine(c: Citation): string {
  const articles = c.sources.map((s) => {
    const where = [s.publisher, s.date].filter(Boolean).join(", ");
    return `${s.author ? `${s.author}, ` : ""}"${s.title}"${where ? ` (${where})` : ""}${s.url ? ` <${s.url}>` : ""}`;
  });
  const frameworks = c.frameworks.map(frameworkLabel);
  return `- ${c.title} [${c.entryId}]: ${[...articles, ...frameworks].join("; ")}`;
}

/**
 * The answer as Markdown for a terminal or any chat surface; the Slack adapter converts it to its own
 * markup. Nothing here escapes for a particular surface.
 */
export function formatAnswerMarkdown(a: Answer): string {
  const out: string[] = [];
  if (!a.grounded) {
    out.push(a.answer);
  } else {
    out.push(`**Answer for ${workloadLabel(a.workload)}:** ${a.answer}`);
    if (a.generatedBy === "llm") out.push("_Written by an LLM from the knowledge entries cited below._");
    out.push("", "**What applies**");
    a.points.forEach((p, i) => {
      out.push(`${i + 1}. **${p.title}**`);
      for (const o of p.owners) {
        const model = a.workload === "undecided" ? `${MODEL_NAMES[o.model]}: ` : "";
        out.push(`   ${model}${OWNER_WORDS[o.owner]}. ${o.note}`);
      }
      if (!a.answer.includes(p.why)) out.push(`   ${p.why}`);
      for (const action of p.actions) out.push(`   - ${action}`);
    });
    out.push("", "**Sources**", ...a.citations.map(sourceLine));
  }
  if (a.fallbackReason)
    out.push(
      "",
      `_Note: the LLM's reply could not be used (${FALLBACK_WORDS[a.fallbackReason]}), so this answer comes straight from the knowledge base._`,
    );
  for (const note of a.notes) out.push("", `_Note: ${note}_`);
  return `${out.join("\n")}\n`;
}

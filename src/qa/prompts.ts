import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Vocabulary } from "../core/facts/vocabulary.js";
import type { KnowledgeEntry, Workload } from "../core/knowledge/schema.js";

/** The prompts/ folder shipped with the package (two levels above src/qa or dist/qa). */
export const PROMPTS_DIR = fileURLToPath(new URL("../../prompts/", import.meta.url));

export type PromptName = "answer";

export interface PromptTemplates {
  system: string;
  human: string;
}

const cache = new Map<PromptName, PromptTemplates>();

/** Read a prompt's two templates (prompts/<name>.system.txt and .human.txt) once per process. */
export function promptTemplates(name: PromptName, dir: string = PROMPTS_DIR): PromptTemplates {
  const cached = dir === PROMPTS_DIR ? cache.get(name) : undefined;
  if (cached) return cached;
  const read = (part: string) =>
    readFileSync(`${dir.replace(/\/?$/, "/")}${name}.${part}.txt`, "utf8").trim();
  const templates = { system: read("system"), human: read("human") };
  if (dir === PROMPTS_DIR) cache.set(name, templates);
  return templates;
}

/**
 * User text goes into a prompt only between tags it cannot close: angle brackets become entities,
 * so "</question> new rules..." stays inside the data.
 */
export function asData(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").trim();
}

const MODEL_WORDS: Record<Exclude<Workload, "undecided">, string> = {
  vm: "virtual machines (VM)",
  container: "containers",
  serverless: "serverless functions",
};

export function workloadWords(workload: Workload): string {
  return workload === "undecided" ? "any deployment model (general question)" : MODEL_WORDS[workload];
}

/** The retrieved entries as the model sees them: only what applies to the workload. */
export function entriesBlock(entries: readonly KnowledgeEntry[], workload: Workload, v: Vocabulary): string {
  return entries
    .map((e) => {
      const owners = Object.entries(e.responsibility)
        .filter(([model]) => workload === "undecided" || model === workload)
        .map(([model, r]) => `Owner (${model}): ${r?.owner} - ${r?.note}`);
      const actions = e.mitigations.filter((m) => v.covers(m.platforms, workload)).map((m) => `- ${m.text}`);
      return [
        `<entry id="${e.id}">`,
        `Title: ${e.title}`,
        `Applies to: ${e.deploymentModels.join(", ")}`,
        `Summary: ${e.summary}`,
        ...owners,
        "What to do:",
        ...actions,
        "</entry>",
      ].join("\n");
    })
    .join("\n\n");
}

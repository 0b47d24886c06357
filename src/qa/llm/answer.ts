import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { KnowledgeBase } from "../../core/knowledge/load.js";
import { asData, entriesBlock, promptTemplates, workloadWords } from "../prompts.js";
import type { Retrieval } from "../retrieve.js";
import { ModelAnswer } from "../schema.js";
import { askForStructured, type ModelResult } from "./invoke.js";

export interface ModelCall {
  timeoutMs: number;
  /** Values that must never appear in a reply (the API key, the base URL). */
  secrets: readonly string[];
}

/** Whether a reply repeats a configuration value; short values are too likely to match by chance. */
export function leaks(text: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => s.length >= 8 && text.includes(s));
}

/**
 * Ask the model to write the answer from the retrieved entries. The reply is used only when it
 * parses, cites at least one entry, cites nothing it was not given (in the list or in the text)
 * and repeats no configuration value.
 */
export async function answerWithModel(
  chat: BaseChatModel,
  kb: KnowledgeBase,
  question: string,
  r: Retrieval,
  call: ModelCall,
): Promise<ModelResult<ModelAnswer>> {
  const given = r.hits.map((h) => h.entry);
  const result = await askForStructured(
    chat,
    promptTemplates("answer"),
    {
      workload: workloadWords(r.workload),
      entries: entriesBlock(given, r.workload, kb.vocabulary),
      question: asData(question),
    },
    ModelAnswer,
    { name: "grounded_answer", timeoutMs: call.timeoutMs },
  );
  if (!result.ok) return result;
  const ids = new Set(given.map((e) => e.id));
  const cited = [...new Set(result.value.citedEntryIds)];
  const stranger = cited.find((id) => !ids.has(id));
  if (stranger) return { ok: false, reason: "uncited", detail: `cited ${stranger}, which it was not given` };
  const named = kb.entries.find((e) => !ids.has(e.id) && result.value.answer.includes(e.id));
  if (named) return { ok: false, reason: "uncited", detail: `named ${named.id}, which it was not given` };
  if (leaks(result.value.answer, call.secrets))
    return { ok: false, reason: "leak", detail: "the reply repeated a configuration value" };
  return { ok: true, value: { answer: result.value.answer, citedEntryIds: cited } };
}

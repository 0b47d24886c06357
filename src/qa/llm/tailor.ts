import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { threatSentence } from "../../core/knowledge/wording.js";
import type { ModelThreat, ThreatModel } from "../../core/threats/model.js";
import { asData, promptTemplates, threatsBlock, workloadWords } from "../prompts.js";
import { ModelTailoring } from "../schema.js";
import { leaks, type ModelCall } from "./answer.js";
import { askForStructured, type ModelResult } from "./invoke.js";

/** One request stays small enough for any model's output limit. */
export const MAX_TAILORED = 20;

/**
 * Ask the model to phrase open threat statements for the system described. Only the grammar's text
 * fields are taken from the reply; ids, knowledge ids, STRIDE, scores, severities, statuses and
 * mitigations stay those of the rule engine. A reply that names a threat it was not given, repeats
 * one, or leaves one out is not used at all.
 */
export async function tailorWithModel(
  chat: BaseChatModel,
  model: ThreatModel,
  description: string,
  call: ModelCall,
): Promise<ModelResult<{ model: ThreatModel; tailored: number }>> {
  const chosen = model.threats.filter((t) => t.status !== "not-applicable").slice(0, MAX_TAILORED);
  if (chosen.length === 0) return { ok: true, value: { model, tailored: 0 } };
  const result = await askForStructured(
    chat,
    promptTemplates("tailor"),
    {
      workload: workloadWords(model.review.workload),
      description: asData(description),
      threats: threatsBlock(chosen),
    },
    ModelTailoring,
    { name: "tailored_threats", timeoutMs: call.timeoutMs },
  );
  if (!result.ok) return result;
  const given = new Set(chosen.map((t) => t.id));
  const seen = new Set<string>();
  for (const t of result.value.threats) {
    if (!given.has(t.id))
      return { ok: false, reason: "uncited", detail: `named ${t.id}, which it was not given` };
    if (seen.has(t.id)) return { ok: false, reason: "malformed", detail: `${t.id} appears twice` };
    seen.add(t.id);
  }
  if (seen.size !== given.size)
    return { ok: false, reason: "malformed", detail: "some threats were left out" };
  if (leaks(JSON.stringify(result.value), call.secrets))
    return { ok: false, reason: "leak", detail: "the reply repeated a configuration value" };

  const byId = new Map(result.value.threats.map((t) => [t.id, t]));
  const threats: ModelThreat[] = model.threats.map((t) => {
    const tailored = byId.get(t.id);
    if (!tailored) return t;
    const text = {
      threatSource: tailored.threatSource,
      prerequisites: tailored.prerequisites,
      threatAction: tailored.threatAction,
      threatImpact: tailored.threatImpact,
      impactedAssets: tailored.impactedAssets,
    };
    return { ...t, ...text, statement: threatSentence(text) };
  });
  return { ok: true, value: { model: { ...model, threats }, tailored: byId.size } };
}

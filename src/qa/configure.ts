import type { LlmConfig } from "../config.js";
import type { LlmOptions } from "./service.js";

/**
 * Settings -> the optional LLM. Without THREATBOT_MODEL there is none and Q&A stays offline. The
 * provider code is imported only when the first question reaches the model.
 */
export function llmOptions(c: LlmConfig): LlmOptions | undefined {
  const model = c.THREATBOT_MODEL;
  if (!model) return undefined;
  const settings = {
    model,
    baseUrl: c.THREATBOT_LLM_BASE_URL,
    apiKey: c.THREATBOT_LLM_API_KEY,
    timeoutMs: c.THREATBOT_LLM_TIMEOUT_MS,
  };
  return {
    model: async () => (await import("./llm/model.js")).loadChatModel(settings),
    timeoutMs: c.THREATBOT_LLM_TIMEOUT_MS,
    secrets: [c.THREATBOT_LLM_API_KEY, c.THREATBOT_LLM_BASE_URL].filter((v): v is string => Boolean(v)),
  };
}

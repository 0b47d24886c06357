import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

export interface ModelSettings {
  /** "provider:model", e.g. openai:gpt-4.1-mini, anthropic:claude-sonnet-4-5, ollama:llama3.1. */
  model: string;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  timeoutMs: number;
}

/** Each provider package names its base-URL option differently. */
function baseUrlField(provider: string | undefined, url: string): Record<string, unknown> {
  switch (provider) {
    case "ollama":
      return { baseUrl: url };
    case "anthropic":
      return { anthropicApiUrl: url };
    default:
      // OpenAI and the OpenAI-compatible providers take the client's own option.
      return { configuration: { baseURL: url } };
  }
}

/**
 * Load the configured chat model through langchain's initChatModel. langchain and the provider
 * package are imported here, on first use, so commands that never ask a model never load them.
 */
export async function loadChatModel(s: ModelSettings): Promise<BaseChatModel> {
  const { initChatModel } = await import("langchain/chat_models/universal");
  const provider = s.model.includes(":") ? s.model.slice(0, s.model.indexOf(":")) : undefined;
  // No retries: a failed or slow call falls back to the knowledge-base answer at once, which is
  // better for someone waiting in a thread than a second attempt.
  const fields: Record<string, unknown> = { timeout: s.timeoutMs, maxRetries: 0 };
  if (s.apiKey) fields.apiKey = s.apiKey;
  if (s.baseUrl) Object.assign(fields, baseUrlField(provider, s.baseUrl));
  return (await initChatModel(s.model, fields)) as unknown as BaseChatModel;
}

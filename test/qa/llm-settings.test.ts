import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadLlmConfig } from "../../src/config.js";
import { llmOptions } from "../../src/qa/configure.js";

describe("LLM settings", () => {
  it("leave Q&A offline when no model is set", () => {
    const c = loadLlmConfig({});
    expect(c.THREATBOT_LLM_TIMEOUT_MS).toBe(20_000);
    expect(llmOptions(c)).toBeUndefined();
    expect(llmOptions(loadLlmConfig({ THREATBOT_MODEL: "" }))).toBeUndefined();
  });

  it("accept provider:model names and keep the key and URL out of reach of replies", () => {
    const c = loadLlmConfig({
      THREATBOT_MODEL: "ollama:llama3.1",
      THREATBOT_LLM_BASE_URL: "http://127.0.0.1:11434",
      THREATBOT_LLM_API_KEY: "not-needed-for-ollama",
      THREATBOT_LLM_TIMEOUT_MS: "5000",
    });
    const llm = llmOptions(c);
    expect(llm?.timeoutMs).toBe(5000);
    expect(llm?.secrets).toEqual(["not-needed-for-ollama", "http://127.0.0.1:11434"]);
    expect(loadConfig({ THREATBOT_MODEL: "anthropic:claude-sonnet-4-5" }).THREATBOT_MODEL).toBe(
      "anthropic:claude-sonnet-4-5",
    );
  });

  it.each([
    [{ THREATBOT_MODEL: "gpt4" }, "THREATBOT_MODEL"],
    [{ THREATBOT_LLM_BASE_URL: "ftp://models" }, "THREATBOT_LLM_BASE_URL"],
    [{ THREATBOT_LLM_TIMEOUT_MS: "soon" }, "THREATBOT_LLM_TIMEOUT_MS"],
  ])("name the bad setting, never its value: %o", (env, name) => {
    expect(() => loadLlmConfig(env)).toThrow(ConfigError);
    expect(() => loadLlmConfig(env)).toThrow(name);
    const value = Object.values(env)[0] as string;
    try {
      loadLlmConfig(env);
    } catch (e) {
      expect((e as Error).message).not.toContain(value);
    }
  });
});

import { FakeListChatModel } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { type FallbackEvent, type LlmOptions, QaService } from "../../src/qa/service.js";

const kb = loadKnowledgeBase();
const offline = new QaService({ kb });
const QUESTION = "Do we need a VPC for an API Gateway + Lambda API?";

function withModel(responses: string[], extra: Partial<LlmOptions> & { sleep?: number } = {}) {
  const fake = new FakeListChatModel({ responses, sleep: extra.sleep });
  const fallbacks: FallbackEvent[] = [];
  let loads = 0;
  const qa = new QaService({
    kb,
    index: offline.index,
    llm: {
      model: async () => {
        loads++;
        return fake;
      },
      timeoutMs: extra.timeoutMs ?? 2000,
      secrets: extra.secrets ?? [],
    },
    onFallback: (e) => fallbacks.push(e),
  });
  return { qa, fallbacks, loads: () => loads };
}

const reply = (answer: string, citedEntryIds: string[]) => JSON.stringify({ answer, citedEntryIds });

describe("answers written by an LLM (langchain fake chat model)", () => {
  it("uses the model's answer and cites only the entries it chose from those it was given", async () => {
    const { qa, fallbacks } = withModel([
      reply("Only if the function must reach private resources in a VPC.", ["network-misconfiguration"]),
    ]);
    const a = await qa.answerQuestion(QUESTION);
    expect(fallbacks).toEqual([]);
    expect(a.generatedBy).toBe("llm");
    expect(a.answer).toBe("Only if the function must reach private resources in a VPC.");
    expect(a.citations.map((c) => c.entryId)).toEqual(["network-misconfiguration"]);
    expect(a.points.map((p) => p.entryId)).toEqual(["network-misconfiguration"]);
    expect(a.grounded).toBe(true);
  });

  it.each([
    ["cites an entry it was not given", reply("Patch monthly.", ["vm-patching"]), "uncited"],
    [
      "names an entry it was not given in its text",
      reply("See vm-patching.", ["network-misconfiguration"]),
      "uncited",
    ],
    ["cites nothing", reply("Yes.", []), "malformed"],
    ["is not JSON", "Sure! You definitely need a VPC.", "malformed"],
    ["has the wrong shape", JSON.stringify({ text: "yes" }), "malformed"],
  ])("falls back to the knowledge-base answer when the reply %s", async (_why, raw, reason) => {
    const { qa, fallbacks } = withModel([raw]);
    const a = await qa.answerQuestion(QUESTION);
    const { fallbackReason, ...rest } = a;
    expect(fallbackReason).toBe(reason);
    expect(rest).toEqual(await offline.answerQuestion(QUESTION));
    expect(fallbacks).toEqual([expect.objectContaining({ task: "answer", reason })]);
  });

  it("falls back when the model is slower than the timeout, without waiting for it", async () => {
    const { qa } = withModel([reply("late", ["network-misconfiguration"])], { sleep: 3000, timeoutMs: 150 });
    const t0 = Date.now();
    const a = await qa.answerQuestion(QUESTION);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(a.fallbackReason).toBe("timeout");
    expect(a.generatedBy).toBe("knowledge-base");
  });

  it("falls back when a reply repeats a configuration value", async () => {
    const secret = "sk-live-0123456789abcdef";
    const { qa } = withModel([reply(`The key is ${secret}.`, ["network-misconfiguration"])], {
      secrets: [secret],
    });
    const a = await qa.answerQuestion(QUESTION);
    expect(a.fallbackReason).toBe("leak");
    expect(JSON.stringify(a)).not.toContain(secret);
  });

  it("never asks the model an off-topic question", async () => {
    const { qa, loads } = withModel([reply("Margherita at Da Michele.", ["api-security"])]);
    const a = await qa.answerQuestion("What's the best pizza in Rome?");
    expect(a.grounded).toBe(false);
    expect(loads()).toBe(0);
  });

  it("answers from the knowledge base when the model cannot be loaded, and tries again next time", async () => {
    let attempts = 0;
    const qa = new QaService({
      kb,
      index: offline.index,
      llm: {
        model: async () => {
          attempts++;
          throw new Error("Unable to import @langchain/anthropic");
        },
        timeoutMs: 1000,
      },
    });
    expect((await qa.answerQuestion(QUESTION)).fallbackReason).toBe("error");
    expect((await qa.answerQuestion(QUESTION)).fallbackReason).toBe("error");
    expect(attempts).toBe(2);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadLlmConfig } from "../../src/config.js";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/core/knowledge/load.js";
import { llmOptions } from "../../src/qa/configure.js";
import { type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.js";
import { assistantThreadStarted, directMessage } from "../support/slack-events.js";
import { alice, type Harness, shownText, startHarness, TEAM } from "../support/slack-harness.js";

/** The split view is a DM with the app; each conversation in it is a thread. */
const DM = "D0ALICE";
const THREAD = "1800000400.000001";
const inDm = { ...alice, channel: DM };
let h: Harness;
let openai: FakeOpenAi;
beforeAll(async () => {
  openai = await startFakeOpenAi();
});
afterEach(async () => {
  await h?.close();
});
afterAll(async () => {
  await openai.close();
});

async function start(llm = false): Promise<void> {
  h = await startHarness({
    knowledgeDir: DEFAULT_KNOWLEDGE_DIR,
    llm: llm
      ? llmOptions(
          loadLlmConfig({
            THREATBOT_MODEL: "openai:gpt-4.1-mini",
            THREATBOT_LLM_BASE_URL: openai.baseUrl,
            THREATBOT_LLM_API_KEY: "sk-test-assistant-7a1f",
            THREATBOT_LLM_TIMEOUT_MS: "5000",
          }),
        )
      : undefined,
  });
  h.fake.setChannel(DM, { isPrivate: true, member: true, isIm: true });
}

const answersInThread = () => h.fake.messages.filter((m) => m.channel === DM && m.threadTs === THREAD);

describe("Slack's assistant split view", () => {
  it("offers suggested prompts when a thread starts", async () => {
    await start();
    expect((await h.event(TEAM, assistantThreadStarted(inDm, THREAD))).status).toBe(200);
    const call = await h.fake.waitFor("the suggested prompts", () =>
      h.fake.callsTo("assistant.threads.setSuggestedPrompts").at(0),
    );
    expect(call.args).toMatchObject({ channel_id: DM, thread_ts: THREAD });
    const prompts = call.args.prompts as { title: string; message: string }[];
    expect(prompts.map((p) => p.message)).toEqual([
      "What changes if we move this service to Lambda?",
      "Should our Lambda role use wildcards?",
      "Do we need a VPC for an API Gateway + Lambda API?",
    ]);
    for (const p of prompts) expect(p.title.length).toBeGreaterThan(0);
    expect(h.fake.problems).toEqual([]);
  });

  it("answers a message in the thread from the knowledge base, once, without a status when no LLM is configured", async () => {
    await start();
    const at = { ts: "1800000400.000100", threadTs: THREAD };
    const event = directMessage(inDm, "Should our Lambda role use wildcards?", at);
    await h.event(TEAM, event, { eventId: "EvAssistant1" });
    await h.event(TEAM, event, {
      eventId: "EvAssistant1",
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    const reply = await h.fake.waitFor("the answer", () => answersInThread()[0]);
    await h.settle();
    expect(answersInThread()).toHaveLength(1);
    expect(shownText(reply)).toContain("*Answer for serverless workloads:*");
    expect(shownText(reply)).toContain("[excessive-function-permissions]");
    expect(h.fake.callsTo("assistant.threads.setStatus")).toEqual([]);
    expect(h.fake.problems).toEqual([]);
  });

  it("with an LLM configured, sets a thinking status first, then answers with the model's words", async () => {
    await start(true);
    openai.reply({
      content: JSON.stringify({
        answer:
          "Moving to Lambda hands host patching to AWS; the function code, role and triggers stay yours.",
        citedEntryIds: ["shared-responsibility"],
      }),
    });
    const before = openai.requests.length;
    await h.event(
      TEAM,
      directMessage(inDm, "What changes if we move this service to Lambda?", {
        ts: "1800000400.000200",
        threadTs: THREAD,
      }),
    );
    const reply = await h.fake.waitFor("the answer", () => answersInThread()[0]);
    await h.settle();

    const order = h.fake.calls
      .map((c) => c.method)
      .filter((m) => m === "assistant.threads.setStatus" || m === "chat.postMessage");
    expect(order).toEqual(["assistant.threads.setStatus", "chat.postMessage"]);
    expect(h.fake.callsTo("assistant.threads.setStatus")[0]?.args).toMatchObject({
      channel_id: DM,
      thread_ts: THREAD,
      status: "is thinking…",
    });
    expect(openai.requests.length).toBe(before + 1);
    const shown = shownText(reply);
    expect(shown).toContain("Moving to Lambda hands host patching to AWS");
    expect(shown).toContain("[shared-responsibility]");
    // In the split view the status is the placeholder: the answer is one new message.
    expect(answersInThread()).toHaveLength(1);
    expect(reply.updates).toBe(0);
    expect(h.fake.problems).toEqual([]);
  });
});

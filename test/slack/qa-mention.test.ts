import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadLlmConfig } from "../../src/config.js";
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { Workload } from "../../src/core/knowledge/schema.js";
import { llmOptions } from "../../src/qa/configure.js";
import { type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.js";
import type { Message } from "../support/fake-slack.js";
import { appMention, BOT_USER, channelMessage, directMessage } from "../support/slack-events.js";
import { alice, type Harness, shownText, startHarness, TEAM } from "../support/slack-harness.js";

const C = "C0PUBLIC";
const kb = loadKnowledgeBase();
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

const replies = (channel: string, ts: string): Message[] =>
  h.fake.messages.filter((m) => m.channel === channel && m.threadTs === ts);

const waitForReply = (channel: string, ts: string) =>
  h.fake.waitFor(`a reply in the thread of ${ts}`, () => replies(channel, ts)[0]);

/** The knowledge entries an answer cites: its Sources list names each as [entry-id]. */
const citedIds = (text: string) => [...text.matchAll(/\[([a-z0-9-]+)\]/g)].map((m) => m[1] as string);

function expectAllApply(ids: string[], workload: Exclude<Workload, "undecided">): void {
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(kb.entry(id)?.deploymentModels, id).toContain(workload);
}

describe("@Threatbot <question> in a channel", () => {
  it("answers in a thread: the short answer, what to do, and citations with sources and framework versions", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const at = { ts: "1800000100.000100" };
    const res = await h.event(
      TEAM,
      appMention(alice, `<@${BOT_USER}> should our Lambda role use wildcards?`, at),
    );
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    const reply = await waitForReply(C, at.ts);
    await h.settle();

    expect(replies(C, at.ts)).toHaveLength(1);
    const shown = shownText(reply);
    expect(shown).toContain(
      "*Answer for serverless workloads:* Should a Lambda execution role use wildcards?",
    );
    const cited = citedIds(shown);
    expect(cited[0]).toBe("excessive-function-permissions");
    expectAllApply(cited, "serverless");
    // What to do, the source article and framework ids with their versions.
    expect(shown).toContain("• List exact actions and resource ARNs in every execution role statement");
    expect(shown).toContain('"Security Differences: Containers vs. Serverless vs. Virtual Machines"');
    expect(shown).toContain("NIST SP 800-53 Rev. 5 AC-6");
    expect(shown).toContain("MITRE ATT&amp;CK v16 T1098.003");
    // Wildcards are shown as code, so mrkdwn cannot read their asterisks as bold.
    expect(shown).toContain('`s3:*` on Resource `"*"`');
    // Without an LLM there is nothing to wait for: no placeholder, no edit.
    expect(h.fake.callsTo("chat.update")).toEqual([]);
    expect(h.fake.problems).toEqual([]);
  });

  it("answers once when the mention arrives as app_mention and as message.channels, and again as retries", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const at = { ts: "1800000100.000200" };
    const text = `<@${BOT_USER}> do we need a VPC for an API Gateway + Lambda API?`;
    const retry = (n: number) => ({ "x-slack-retry-num": String(n), "x-slack-retry-reason": "http_timeout" });
    const first = await Promise.all([
      h.event(TEAM, appMention(alice, text, at), { eventId: "EvMention1" }),
      h.event(TEAM, channelMessage(alice, text, at), { eventId: "EvMessage1" }),
    ]);
    expect(first.map((r) => r.status)).toEqual([200, 200]);
    await waitForReply(C, at.ts);
    await h.event(TEAM, appMention(alice, text, at), { eventId: "EvMention1", headers: retry(1) });
    await h.event(TEAM, channelMessage(alice, text, at), { eventId: "EvMessage1", headers: retry(2) });
    await h.settle();

    expect(replies(C, at.ts)).toHaveLength(1);
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(citedIds(shownText(replies(C, at.ts)[0] as Message))).toContain("network-misconfiguration");
  });

  it("ignores the bot's own posts, other bots and edits, even when they mention it", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    h.fake.setChannel("D0ALICE", { isPrivate: true, member: true, isIm: true });
    const question = `<@${BOT_USER}> should we run as root?`;
    await h.event(TEAM, {
      ...channelMessage({ ...alice, user: "U0DEPLOYBOT" }, question, { ts: "1800000100.000301" }),
      bot_id: "B0DEPLOY",
    });
    // Another app talking to us in a DM would otherwise be answered, and might answer back.
    await h.event(TEAM, {
      ...directMessage({ ...alice, channel: "D0ALICE", user: "U0DEPLOYBOT" }, "is root ok?", {
        ts: "1800000100.000302",
      }),
      bot_id: "B0DEPLOY",
    });
    await h.event(TEAM, {
      ...directMessage({ ...alice, channel: "D0ALICE", user: BOT_USER }, "Root inside a container…", {
        ts: "1800000100.000303",
      }),
      bot_id: "BBOT",
    });
    await h.event(TEAM, {
      type: "message",
      subtype: "message_changed",
      hidden: true,
      channel: C,
      channel_type: "channel",
      ts: "1800000100.000305",
      event_ts: "1800000100.000305",
      message: { type: "message", user: alice.user, text: question, ts: "1800000100.000304" },
      previous_message: {
        type: "message",
        user: alice.user,
        text: "should we run as root",
        ts: "1800000100.000304",
      },
    });
    await h.event(TEAM, {
      ...channelMessage(alice, `${question} (from a file comment)`, { ts: "1800000100.000306" }),
      subtype: "file_share",
    });
    await new Promise((r) => setTimeout(r, 50));
    await h.settle();
    expect(h.fake.callsTo("chat.postMessage")).toEqual([]);
    expect(h.fake.ephemerals).toEqual([]);
  });

  it("says it doesn't know an off-topic question, points to /threatmodel and cites nothing", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const at = { ts: "1800000100.000400" };
    await h.event(TEAM, appMention(alice, `<@${BOT_USER}> what is the best pizza in Rome?`, at));
    const shown = shownText(await waitForReply(C, at.ts));
    expect(shown).toMatch(/^I don't know\./);
    expect(shown).toContain("/threatmodel");
    expect(shown).not.toContain("Sources");
    expect(citedIds(shown)).toEqual([]);
  });

  it("asks back which workload a vague question is about, offers /threatmodel and cites nothing", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const at = { ts: "1800000100.000450" };
    await h.event(TEAM, appMention(alice, `<@${BOT_USER}> any risks we should think about?`, at));
    const shown = shownText(await waitForReply(C, at.ts));
    expect(shown).toMatch(
      /^Which workload is this about: virtual machines, containers .* or serverless functions/,
    );
    expect(shown).toContain("/threatmodel");
    expect(shown).not.toContain("Sources");
    expect(citedIds(shown)).toEqual([]);
  });

  it("tells whoever mentioned it without a question what to ask, in the thread", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const at = { ts: "1800000100.000500" };
    await h.event(TEAM, appMention(alice, `<@${BOT_USER}>  `, at));
    const shown = shownText(await waitForReply(C, at.ts));
    expect(shown).toContain(
      "<@U0ALICE> Ask a question, e.g. 'do we need a VPC for an API Gateway + Lambda API?'",
    );
  });
});

describe("with an LLM configured (an OpenAI-compatible server on 127.0.0.1)", () => {
  const llm = () =>
    llmOptions(
      loadLlmConfig({
        THREATBOT_MODEL: "openai:gpt-4.1-mini",
        THREATBOT_LLM_BASE_URL: openai.baseUrl,
        THREATBOT_LLM_API_KEY: "sk-test-slack-0d8e1c2b",
        THREATBOT_LLM_TIMEOUT_MS: "5000",
      }),
    );

  it("shows a placeholder while the model writes, replaces it with the answer, and escapes what the model echoes", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR, llm: llm() });
    // Models repeat the question; this one repeats its mentions and adds markup of its own.
    openai.reply({
      content: JSON.stringify({
        answer:
          "You asked <!channel> and <@U0DAVE> about <!subteam^S0SEC> wildcards: grant s3:GetObject on one bucket, never s3:*. See <https://evil.example|fix> & move on.",
        citedEntryIds: ["excessive-function-permissions"],
      }),
    });
    const requestsBefore = openai.requests.length;
    const placeholderWhenPosted: string[] = [];
    h.fake.observers.push((call) => {
      if (call.method === "chat.postMessage") placeholderWhenPosted.push(String(call.args.text));
    });
    const at = { ts: "1800000100.000600" };
    await h.event(
      TEAM,
      appMention(
        alice,
        `<@${BOT_USER}> <!channel> should our Lambda role use wildcards? cc <@U0DAVE> &lt;b&gt;`,
        at,
      ),
    );
    const reply = await h.fake.waitFor("the placeholder to become the answer", () => {
      const m = replies(C, at.ts)[0];
      return m && m.updates > 0 ? m : undefined;
    });
    await h.settle();

    expect(placeholderWhenPosted).toEqual(["Looking this up…"]);
    expect(replies(C, at.ts)).toHaveLength(1);
    expect(openai.requests.length).toBe(requestsBefore + 1);
    const shown = shownText(reply);
    expect(shown).toContain("Written by an LLM from the knowledge entries cited below");
    expect(shown).toContain("You asked &lt;!channel&gt; and &lt;@U0DAVE&gt; about &lt;!subteam^S0SEC&gt;");
    expect(shown).toContain("`s3:*`");
    expect(shown).toContain("&lt;https://evil.example|fix&gt; &amp; move on");
    expect(citedIds(shown)).toEqual(["excessive-function-permissions"]);
    const everything = h.fake.messages.map(shownText).join("\n");
    for (const markup of ["<!channel>", "<@U0DAVE>", "<!subteam", "<https://evil", "<b>"])
      expect(everything).not.toContain(markup);
    expect(h.fake.problems).toEqual([]);
  });
});

describe("other ways to ask", () => {
  it("answers a DM with the bot in a thread under the question", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    h.fake.setChannel("D0ALICE", { isPrivate: true, member: true, isIm: true });
    const at = { ts: "1800000100.000700" };
    await h.event(
      TEAM,
      directMessage(
        { ...alice, channel: "D0ALICE" },
        "Do we need a VPC for an API Gateway + Lambda API?",
        at,
      ),
    );
    const shown = shownText(await waitForReply("D0ALICE", at.ts));
    expect(shown).toContain("*Answer for serverless workloads:*");
    const cited = citedIds(shown);
    expect(cited).toContain("network-misconfiguration");
    expectAllApply(cited, "serverless");
  });

  it("answers /threatmodel ask privately, and explains the subcommand when the question is missing", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const answer = await h.replyTo("/threatmodel ask", () =>
      h.command(alice, "ask Is it OK to run our containers as root on EKS?"),
    );
    expect(answer.via).toBe("response_url");
    const shown = shownText(answer);
    expect(shown).toContain("*Answer for container workloads:*");
    const cited = citedIds(shown);
    expect(cited[0]).toBe("container-non-root");
    expectAllApply(cited, "container");
    const sent = h.fake.callsTo("response_url").at(-1);
    expect(sent?.args.response_type).toBe("ephemeral");
    // Nothing was posted in the channel for everyone.
    expect(h.fake.callsTo("chat.postMessage")).toEqual([]);

    const usage = await h.replyTo("/threatmodel ask without a question", () => h.command(alice, "ask"));
    expect(shownText(usage)).toContain("Usage: `/threatmodel ask <question>`");
    const help = await h.replyTo("/threatmodel help", () => h.command(alice, "help"));
    expect(shownText(help)).toContain("`/threatmodel ask <question>`");
  });
});

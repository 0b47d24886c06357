import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { Message } from "../support/fake-slack.js";
import { appMention, BOT_USER, channelMessage } from "../support/slack-events.js";
import {
  alice,
  bob,
  type Harness,
  OTHER_TEAM,
  shownText,
  startHarness,
  TEAM,
} from "../support/slack-harness.js";

const C = "C0PUBLIC";
const kb = loadKnowledgeBase();
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const citedIds = (text: string) => [...text.matchAll(/\[([a-z0-9-]+)\]/g)].map((m) => m[1] as string);

/** Answers to questions in a review thread (the review's own messages say neither of these). */
const answersIn = (rootTs: string): Message[] =>
  h.fake.thread(C, rootTs).filter((m) => /\*Answer for |^I don't know\./m.test(shownText(m)));

async function startContainerReview(who = alice): Promise<Message> {
  await h.command(who, "new container payments-api");
  await h.waitForQuestion(C, "Question 1 of");
  return h.thread(C)[0] as Message;
}

describe("questions asked in a review thread", () => {
  it("are answered for the review's workload, and never taken as the review's answers", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const root = await startContainerReview();
    // The first question takes free text, but a message to the bot is a question to the bot.
    const asked = { ts: "1800000200.000100", threadTs: root.ts };
    const text = `<@${BOT_USER}> should we run as root?`;
    // Slack does not promise which of the two deliveries comes first.
    await h.event(TEAM, channelMessage(bob, text, asked));
    await h.event(TEAM, appMention(bob, text, asked));
    const first = await h.fake.waitFor("the first answer", () => answersIn(root.ts)[0]);
    await h.settle();
    expect(answersIn(root.ts)).toHaveLength(1);
    expect(h.bot.store.events(1)).toEqual([]);
    const shown = shownText(first);
    expect(shown).toContain("*Answer for container workloads:*");
    expect(citedIds(shown)[0]).toBe("container-non-root");
    for (const id of citedIds(shown)) expect(kb.entry(id)?.deploymentModels).toContain("container");
    expect(shown).toContain("Answered for review #1 *payments-api* (Containers).");

    // A plain reply still answers the open free-text question.
    await h.event(
      TEAM,
      channelMessage(bob, "Takes card payments for the web shop", {
        ts: "1800000200.000200",
        threadTs: root.ts,
      }),
    );
    await h.waitForQuestion(C, "Question 2 of");
    expect(h.bot.reviews.view(1).state.answers.map((a) => a.questionId)).toEqual(["context.description"]);

    // With a choice question open, a reply ending in "?" is a question, answered without a mention.
    const plain = { ts: "1800000200.000300", threadTs: root.ts };
    await h.event(TEAM, channelMessage(alice, "ok, and should the containers run as root?", plain));
    const second = await h.fake.waitFor("the second answer", () => answersIn(root.ts)[1]);
    expect(citedIds(shownText(second))[0]).toBe("container-non-root");
    expect(shownText(second)).toContain("Answered for review #1");
    // Discussion that happens to end in "?" and that the knowledge base knows nothing about gets no reply.
    await h.event(
      TEAM,
      channelMessage(bob, "lunch at noon?", { ts: "1800000200.000400", threadTs: root.ts }),
    );
    await new Promise((r) => setTimeout(r, 50));
    await h.settle();
    expect(answersIn(root.ts)).toHaveLength(2);
    // Back to the free-text question; a late retry of the reply taken as a question must not become its answer.
    const q2 = h.thread(C).find((m) => m.text.startsWith("Question 2 of")) as Message;
    await h.click(bob, q2, "Back");
    await h.waitForQuestion(C, "Question 1 of");
    await h.event(TEAM, channelMessage(alice, "ok, and should the containers run as root?", plain), {
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    await new Promise((r) => setTimeout(r, 50));
    await h.settle();
    expect(answersIn(root.ts)).toHaveLength(2);
    expect(h.bot.reviews.view(1).state.answers).toEqual([]);
    expect(h.bot.reviews.view(1).question?.id).toBe("context.description");
    expect(h.fake.ephemerals).toEqual([]);
    expect(h.fake.problems).toEqual([]);
  });

  it("does not reveal another workspace's review: its workload and name stay out of the answer", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    // Started in another workspace; the fake shares channel ids between workspaces, so only the
    // workspace tells the two apart.
    const root = await startContainerReview({ ...alice, team: OTHER_TEAM });
    const question = `<@${BOT_USER}> who patches the hosts?`;
    await h.event(TEAM, appMention(bob, question, { ts: "1800000300.000100", threadTs: root.ts }));
    const stranger = shownText(await h.fake.waitFor("the answer", () => answersIn(root.ts)[0]));
    expect(stranger).not.toContain("payments-api");
    expect(stranger).not.toContain("review #1");
    expect(stranger).not.toContain("container workloads");

    // Someone from the review's own workspace gets the review's context for the same question.
    await h.event(
      OTHER_TEAM,
      appMention({ ...bob, team: OTHER_TEAM }, question, { ts: "1800000300.000200", threadTs: root.ts }),
    );
    const member = shownText(await h.fake.waitFor("the second answer", () => answersIn(root.ts)[1]));
    expect(member).toContain("*Answer for container workloads:*");
    expect(member).toContain("Answered for review #1 *payments-api*");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../support/fake-slack.js";
import { alice, bob, type Harness, startHarness, TEAM } from "../support/slack-harness.js";

const C = "C0PUBLIC";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const answers = () => h.bot.store.events(1).filter((e) => e.type === "answer");

describe("every answer is stored before Slack gets its acknowledgement", () => {
  it("a button click and a thread reply are committed by the time their HTTP response arrives", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    const root = h.thread(C)[0] as Message;

    // No waiting for queued work: the response itself is the acknowledgement.
    expect((await h.click(alice, q1, "No")).status).toBe(200);
    expect(answers()).toHaveLength(1);
    expect((await h.click(alice, await h.waitForQuestion(C, "Question 2 of 4"), "Public")).status).toBe(200);
    expect(answers()).toHaveLength(2);

    await h.waitForQuestion(C, "Question 3 of 4");
    const reply = {
      type: "message",
      channel: C,
      channel_type: "channel",
      user: bob.user,
      text: "Internal reporting",
      ts: "1800000000.000300",
      thread_ts: root.ts,
      event_ts: "1800000000.000300",
    };
    expect((await h.event(TEAM, reply)).status).toBe(200);
    expect(answers()).toHaveLength(3);
    expect(answers()[2]).toMatchObject({ value: { kind: "text", text: "Internal reporting" } });
  });

  it("Back and Finish are committed before their acknowledgement too", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    await h.click(alice, await h.waitForQuestion(C, "Question 1 of 4"), "Yes");
    const q2 = await h.waitForQuestion(C, "Question 2 of 4");
    await h.click(alice, q2, "Back");
    expect(h.bot.store.events(1).map((e) => e.type)).toEqual(["answer", "back"]);
    await h.click(alice, await h.waitForQuestion(C, "Question 1 of 4"), "Finish");
    expect(h.bot.store.events(1).at(-1)?.type).toBe("finish");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { alice, type Harness, startHarness } from "../support/slack-harness.js";

const C = "C0PUBLIC";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Question messages as posted (not as later updated). */
const posted = (n: number, of: number) =>
  h.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith(`Question ${n} of ${of}:`));
/** Question messages as a person sees them in the thread now. */
const shown = (n: number, of: number) =>
  h.thread(C).filter((m) => m.text.startsWith(`Question ${n} of ${of}:`));

describe("the outbox", () => {
  it("posts a question once when Slack answers chat.postMessage after the client gave up", async () => {
    // Look a second after giving up, as the app does (two seconds by default): Slack has had the post by then.
    h = await startHarness({ webApiTimeoutMs: 300, outboxTiming: { checkDelayMs: 1000 } });
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    // Slack takes the post but answers late: the client times out, the outcome is unknown.
    h.fake.fault("chat.postMessage", { delayMs: 700 });
    await h.click(alice, q1, "Yes");
    await h.fake.waitFor("question 2", () => shown(2, 4).length > 0, 8000);
    h.fake.clearFaults();
    await h.settle();
    expect(shown(2, 4)).toHaveLength(1);
    // It looked in the thread for the message by its delivery key instead of posting blindly again.
    expect(h.fake.callsTo("conversations.replies").length).toBeGreaterThan(0);
    expect(h.fake.messages.every((m) => m.threadTs === undefined || m.metadata?.event_type)).toBe(true);
  });

  it("sends again after a 500 or a 429, once", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    h.fake.fault("chat.postMessage", { status: 500 });
    await h.click(alice, q1, "Yes");
    await h.fake.waitFor("a failed attempt", () => h.fake.callsTo("chat.postMessage").length >= 3);
    h.fake.fault("chat.postMessage", { status: 429, retryAfterS: 1 });
    await new Promise((r) => setTimeout(r, 300));
    h.fake.clearFaults();
    await h.fake.waitFor("question 2", () => shown(2, 4).length > 0, 8000);
    await h.settle();
    expect(shown(2, 4)).toHaveLength(1);
  });

  it("never lets a failing cosmetic update hold up the next question", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    h.fake.fault("chat.update", { status: 429, retryAfterS: 30 });
    const started = Date.now();
    await h.click(alice, q1, "Yes");
    await h.waitForQuestion(C, "Question 2 of 4");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("after a crash, sends what was planned and not sent, and never posts a message twice", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    // Slack is down when the answer comes in: the answer is stored, the next question waits.
    h.fake.fault("chat.postMessage", { status: 500 });
    expect((await h.click(alice, q1, "Yes")).status).toBe(200);
    await h.fake.waitFor("an attempt", () => posted(2, 4).length > 0);
    await h.restart();
    h.fake.clearFaults();
    await h.fake.waitFor("question 2 after the restart", () => shown(2, 4).length > 0, 8000);
    await h.settle();
    expect(shown(2, 4)).toHaveLength(1);
  });

  it("after a crash while Slack was still answering, finds the message instead of posting it again", async () => {
    h = await startHarness({ webApiTimeoutMs: 5000 });
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    h.fake.fault("chat.postMessage", { delayMs: 1500 });
    await h.click(alice, q1, "Yes");
    // The post is in flight (Slack has it) when the process dies.
    await h.fake.waitFor("the post reaching Slack", () => shown(2, 4).length > 0);
    await h.restart();
    h.fake.clearFaults();
    await new Promise((r) => setTimeout(r, 500));
    await h.settle();
    expect(shown(2, 4)).toHaveLength(1);
  });

  it("a crash right after the thread's first message is posted still leaves the review going", async () => {
    h = await startHarness();
    // The process dies at the moment the thread's first message is being recorded as posted.
    h.bot.store.setThread = () => {
      throw new Error("the process died here");
    };
    await h.command(alice, "new serverless orders api");
    await h.fake.waitFor("the thread's first message", () => h.fake.messages.find((m) => !m.threadTs));
    await h.fake.waitFor("the failed recording", () =>
      h.logs.some((l) => l.includes("the process died here")),
    );
    await h.restart();
    await h.waitForQuestion(C, "Question 1 of 4");
    await h.settle();
    expect(h.fake.messages.filter((m) => m.channel === C && !m.threadTs)).toHaveLength(1);
    expect(h.thread(C).filter((m) => m.text.startsWith("Question 1 of 4"))).toHaveLength(1);
  });

  it("continues a review whose first message was recorded as posted without its thread", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    // The state an earlier version could leave behind when killed between two commits.
    h.bot.store.db.prepare("UPDATE reviews SET thread_ts = NULL").run();
    await h.restart();
    await h.click(alice, q1, "Yes");
    await h.waitForQuestion(C, "Question 2 of 4");
    await h.settle();
    expect(h.thread(C).filter((m) => m.text.startsWith("Question 2 of 4"))).toHaveLength(1);
  });

  it("a click on an answered question re-posts what the thread is missing", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    // Slack refuses the next question outright, so the review's deliveries are given up on.
    h.fake.failNext("chat.postMessage", "fatal_error");
    await h.click(alice, q1, "Yes");
    await h.fake.waitFor("the refused post", () => posted(2, 4).length > 0);
    await h.settle();
    expect(shown(2, 4)).toHaveLength(0);
    // Someone finds the thread stuck and presses a button on the answered question again.
    await h.click(alice, q1, "No");
    await h.fake.waitFor("question 2 re-posted", () => shown(2, 4).length > 0);
    await h.settle();
    expect(shown(2, 4)).toHaveLength(1);
    expect(h.bot.store.events(1).filter((e) => e.type === "answer")).toHaveLength(1);
  });

  it("uploads an export once when the same command is delivered twice", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    await h.waitForQuestion(C, "Question 1 of 4");
    await h.command(alice, "export 1 md", { triggerId: "T-EXPORT-1" });
    await h.command(alice, "export 1 md", { triggerId: "T-EXPORT-1" });
    await h.fake.waitFor("the export", () => h.fake.uploads.find((u) => u.completed));
    await h.settle();
    expect(h.fake.uploads.filter((u) => u.completed)).toHaveLength(1);
  });
});

import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { FIXTURE_KB } from "../support/core.js";
import type { Message } from "../support/fake-slack.js";
import {
  alice,
  bob,
  buttonsOf,
  carol,
  type Harness,
  shownText,
  startHarness,
  TEAM,
} from "../support/slack-harness.js";
import { buttonPayload, viewSubmissionPayload } from "../support/slack-requests.js";

const C = "C0PUBLIC";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Question messages as posted (not as later updated): each must appear exactly once. */
const asked = (n: number, of: number) =>
  h.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith(`Question ${n} of ${of}:`));

function threadReply(user: string, rootTs: string, text: string, ts: string) {
  return {
    type: "message",
    channel: C,
    channel_type: "channel",
    user,
    text,
    ts,
    thread_ts: rootTs,
    event_ts: ts,
  };
}

async function startServerlessReview(name = "orders api"): Promise<{ root: Message; q1: Message }> {
  const res = await h.command(alice, `new serverless ${name}`);
  expect(res.status).toBe(200);
  const q1 = await h.waitForQuestion(C, "Question 1 of 4");
  const root = h.thread(C)[0] as Message;
  return { root, q1 };
}

describe("a review in a Slack thread", () => {
  it("runs from the slash command through buttons and a thread reply to the uploaded report", async () => {
    h = await startHarness();
    // The next question is the acknowledgement: when it is posted, the answer must already be stored.
    const storedWhenAsked: number[] = [];
    h.fake.observers.push((call) => {
      if (call.method === "chat.postMessage" && String(call.args.text).startsWith("Question ")) {
        storedWhenAsked.push(h.bot.store.events(1).filter((e) => e.type === "answer").length);
      }
    });

    const res = await h.command(alice, "new serverless orders api");
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    expect(res.ms).toBeLessThan(3000);
    const q1 = await h.waitForQuestion(C, "Question 1 of 4");
    const root = h.thread(C)[0] as Message;
    expect(shownText(root)).toContain("Threat review #1: orders api");
    expect(buttonsOf(q1).map((b) => b.text.text)).toEqual(["Yes", "No", "Unsure", "Skip", "Finish"]);

    expect((await h.click(alice, q1, "Yes")).status).toBe(200);
    const q2 = await h.waitForQuestion(C, "Question 2 of 4");
    // The answered question now says who answered and what, and has no buttons left to press.
    const answered = h.fake.messages.find((m) => m.ts === q1.ts) as Message;
    expect(shownText(answered)).toContain("Answered by <@U0ALICE>");
    expect(shownText(answered)).toContain("Yes");
    expect(buttonsOf(answered)).toEqual([]);

    await h.click(bob, q2, "Confidential");
    const q3 = await h.waitForQuestion(C, "Question 3 of 4");
    expect(buttonsOf(q3).map((b) => b.text.text)).toContain("Answer");

    // A free-text question takes a reply in the thread.
    const reply = await h.event(
      TEAM,
      threadReply(carol.user, root.ts, "Takes orders from the web shop", "1800000000.000100"),
    );
    expect(reply.status).toBe(200);
    const q4 = await h.waitForQuestion(C, "Question 4 of 4");
    await h.click(alice, q4, "Yes");

    const upload = await h.fake.waitFor("the report upload", () => h.fake.uploads.find((u) => u.completed));
    expect(upload).toMatchObject({ channelId: C, threadTs: root.ts, filename: "threat-model-1-v1.md" });
    expect(upload.content).toContain("# Threat model: orders api");
    expect(upload.content).toContain("Takes orders from the web shop");
    const summary = h
      .thread(C)
      .find((m) => shownText(m).includes("Threat model #1\n*orders api*")) as Message;
    // Wildcard roles on an internet-facing function with confidential data: one confirmed Critical, first to fix.
    expect(shownText(summary)).toContain("*1 confirmed threats* (1 open, 0 mitigated) from 4 questions.");
    expect(shownText(summary)).toMatch(/Critical\*: 1 confirmed/);
    expect(shownText(summary)).toMatch(
      /\*Fix first\*[\s\S]*\*T-001\* · Critical\nAn attacker who runs code in a function/,
    );
    await h.fake.waitFor("the root to show the result", () =>
      shownText(h.fake.messages.find((m) => m.ts === root.ts) as Message).includes("Finished."),
    );

    const events = h.bot.store.events(1);
    expect(events.filter((e) => e.type === "answer").map((e) => e.actor)).toEqual([
      "U0ALICE",
      "U0BOB",
      "U0CAROL",
      "U0ALICE",
    ]);
    expect(events.at(-1)?.type).toBe("finish");
    expect(h.bot.store.getReview(1)).toMatchObject({ status: "finished", origin: "slack" });
    for (const n of [1, 2, 3, 4]) expect(asked(n, 4)).toHaveLength(1);
    expect(storedWhenAsked).toEqual([0, 1, 2, 3]);
    expect(h.fake.problems).toEqual([]);
  });

  it("is one database with the terminal: the CLI lists Slack reviews, Slack never shows terminal ones", async () => {
    h = await startHarness();
    await startServerlessReview("checkout");
    await h.bot.reviews.start({ name: "laptop-fleet", workload: "vm", actor: "dana", origin: "terminal" });

    await h.command(alice, "list");
    const listed = await h.fake.waitFor("the list", () => h.fake.ephemerals.at(-1));
    expect(shownText(listed)).toContain("#1 checkout");
    expect(shownText(listed)).not.toContain("laptop-fleet");

    const out = new PassThrough();
    let printed = "";
    out.on("data", (d) => {
      printed += d;
    });
    const code = await runCli(["list"], {
      stdout: out,
      env: { THREATBOT_DB: h.bot.dbPath, THREATBOT_KNOWLEDGE: FIXTURE_KB },
    });
    expect(code).toBe(0);
    expect(printed).toContain("#1  checkout");
    expect(printed).toContain("#2  laptop-fleet");
  });

  it("records a double click once and posts the next question once", async () => {
    h = await startHarness();
    const { q1 } = await startServerlessReview();
    const yes = buttonsOf(q1).find((b) => b.text.text === "Yes");
    const payload = buttonPayload(
      alice,
      { ts: q1.ts, threadTs: q1.threadTs },
      yes as never,
      h.fake.responseUrl(),
    );
    const [a, b] = await Promise.all([h.interact(payload), h.interact(payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.waitForQuestion(C, "Question 2 of 4");
    await h.settle();
    expect(h.bot.store.events(1)).toHaveLength(1);
    expect(asked(2, 4)).toHaveLength(1);
    // The person who double-clicked is not told off for it.
    expect(h.fake.ephemerals).toEqual([]);
  });

  it("lets the first of two people answer and tells the other who answered and what", async () => {
    h = await startHarness();
    const { q1 } = await startServerlessReview();
    const [ra, rb] = await Promise.all([h.click(alice, q1, "Yes"), h.click(bob, q1, "No")]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await h.waitForQuestion(C, "Question 2 of 4");
    await h.settle();
    const answers = h.bot.store.events(1);
    expect(answers).toHaveLength(1);
    const winner = answers[0];
    if (winner?.type !== "answer" || winner.value.kind !== "choice") throw new Error("expected one choice");
    const label = winner.value.value === "yes" ? "Yes" : "No";
    const told = await h.fake.waitFor("the second person to be told", () => h.fake.ephemerals.at(0));
    expect(shownText(told)).toContain(`Already answered by <@${winner.actor}>: *${label}*`);
    expect(asked(2, 4)).toHaveLength(1);
  });

  it("takes a retried thread reply once, even when it arrives again under another event id", async () => {
    h = await startHarness();
    const { root, q1 } = await startServerlessReview();
    await h.click(alice, q1, "No");
    await h.click(alice, await h.waitForQuestion(C, "Question 2 of 4"), "Public");
    await h.waitForQuestion(C, "Question 3 of 4");
    const event = threadReply(bob.user, root.ts, "Internal reporting", "1800000000.000200");
    expect((await h.event(TEAM, event, { eventId: "Ev0001" })).status).toBe(200);
    const retry = await h.event(TEAM, event, {
      eventId: "Ev0001",
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    await h.event(TEAM, event, { eventId: "Ev0002" });
    await h.waitForQuestion(C, "Question 4 of 4");
    await h.settle();
    expect(h.bot.store.events(1).filter((e) => e.type === "answer")).toHaveLength(3);
    expect(asked(4, 4)).toHaveLength(1);
    expect(h.fake.ephemerals).toEqual([]);
  });

  it("treats replies as discussion while a choice question is open", async () => {
    h = await startHarness();
    const { root } = await startServerlessReview();
    await h.event(TEAM, threadReply(bob.user, root.ts, "yes I think so?", "1800000000.000300"));
    await h.settle();
    expect(h.bot.store.events(1)).toEqual([]);
    expect(h.fake.ephemerals).toEqual([]);
  });

  it("goes back: the undone answer is withdrawn and its question asked again", async () => {
    h = await startHarness();
    const { q1 } = await startServerlessReview();
    await h.click(alice, q1, "Yes");
    const q2 = await h.waitForQuestion(C, "Question 2 of 4");
    await h.click(bob, q2, "Back");
    const again = await h.waitForQuestion(C, "Question 1 of 4");
    expect(again.ts).not.toBe(q1.ts);
    // Updating the old messages is cosmetic and does not hold up the question asked again.
    await h.settle();
    expect(shownText(h.fake.messages.find((m) => m.ts === q2.ts) as Message)).toContain(
      "<@U0BOB> went back to the previous question",
    );
    expect(shownText(h.fake.messages.find((m) => m.ts === q1.ts) as Message)).toContain("Withdrawn");
    await h.click(alice, again, "No");
    await h.waitForQuestion(C, "Question 2 of 4");
    await h.settle();
    const events = h.bot.store.events(1);
    expect(events.map((e) => e.type)).toEqual(["answer", "back", "answer"]);
    expect(asked(2, 4)).toHaveLength(2);
    // The used Back button again (a stale client) does nothing at all.
    await h.click(bob, q2, "Back");
    await h.settle();
    expect(h.bot.store.events(1)).toHaveLength(3);
    // Back on a question that is no longer current undoes nothing, and says so.
    const q2again = await h.waitForQuestion(C, "Question 2 of 4");
    await h.click(alice, q2again, "Internal");
    await h.waitForQuestion(C, "Question 3 of 4");
    await h.click(bob, q2again, "Back");
    const told = await h.fake.waitFor("a refusal", () => h.fake.ephemerals.at(-1));
    expect(shownText(told)).toContain("not the current one");
    await h.settle();
    expect(h.bot.store.events(1)).toHaveLength(4);
  });

  it("finishes early: the summary lists the open questions and the report is uploaded", async () => {
    h = await startHarness();
    const { q1 } = await startServerlessReview();
    await h.click(alice, q1, "Yes");
    const q2 = await h.waitForQuestion(C, "Question 2 of 4");
    await h.click(bob, q2, "Finish");
    const upload = await h.fake.waitFor("the report", () => h.fake.uploads.find((u) => u.completed));
    expect(upload.content).toContain("## Open questions");
    const summary = h.thread(C).find((m) => shownText(m).includes("*Open questions*")) as Message;
    expect(shownText(summary)).toContain("What is the most sensitive data here?");
    expect(shownText(h.fake.messages.find((m) => m.ts === q2.ts) as Message)).toContain(
      "<@U0BOB> finished the review here",
    );
    // Pressing an old button after the end is refused with a pointer to the result.
    await h.click(carol, q2, "Finish");
    const told = await h.fake.waitFor("a refusal", () => h.fake.ephemerals.at(-1));
    expect(shownText(told)).toContain("Review #1 is finished");
    await h.settle();
    expect(h.fake.uploads.filter((u) => u.completed)).toHaveLength(1);
  });

  it("opens the start modal, sends field errors back with response_action, then starts with the modal's answers", async () => {
    h = await startHarness();
    const opened = await h.command(alice, "", { triggerId: "trigger-1" });
    expect(opened.status).toBe(200);
    const open = await h.fake.waitFor("views.open", () => h.fake.callsTo("views.open")[0]);
    expect(open.args.trigger_id).toBe("trigger-1");
    const modal = h.fake.views[0]?.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string }[];
    };
    expect(modal.blocks.map((b) => b.block_id)).toEqual([
      "name",
      "workload",
      "q:context.description",
      "q:context.internet-facing",
      "q:context.data-sensitivity",
      "files",
    ]);
    const who = { team: TEAM, user: alice.user };
    const view = { id: "V000001", callback_id: modal.callback_id, private_metadata: modal.private_metadata };
    const values = (name: string, description: string) => ({
      name: { value: { type: "plain_text_input", value: name } },
      workload: { value: { type: "radio_buttons", selected_option: { value: "serverless" } } },
      "q:context.description": { value: { type: "plain_text_input", value: description } },
      "q:context.internet-facing": { value: { type: "static_select", selected_option: { value: "no" } } },
      "q:context.data-sensitivity": {
        value: { type: "static_select", selected_option: { value: "restricted" } },
      },
    });

    const bad = await h.interact(viewSubmissionPayload(who, view, values("   ", "x".repeat(201))));
    expect(bad.status).toBe(200);
    const body = JSON.parse(bad.body) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.name).toMatch(/name/);
    expect(body.errors["q:context.description"]).toMatch(/201 characters; the limit is 200/);
    await h.settle();
    expect(h.bot.reviews.list()).toEqual([]);
    expect(h.fake.callsTo("chat.postMessage")).toEqual([]);

    const good = await h.interact(
      viewSubmissionPayload(who, view, values("billing", "Bills customers monthly")),
    );
    expect(good.status).toBe(200);
    expect(good.body).toBe("");
    // Slack may deliver a submission twice; it starts one review.
    await h.interact(viewSubmissionPayload(who, view, values("billing", "Bills customers monthly")));
    const q = await h.waitForQuestion(C, "Question 4 of 4");
    expect(shownText(q)).toContain("Do function roles use wildcard actions?");
    await h.settle();
    expect(h.bot.reviews.list()).toHaveLength(1);
    expect(
      h.bot.store.events(1).map((e) => (e.type === "answer" ? [e.questionId, e.actor] : e.type)),
    ).toEqual([
      ["context.internet-facing", "U0ALICE"],
      ["context.data-sensitivity", "U0ALICE"],
      ["context.description", "U0ALICE"],
    ]);
  });

  it("answers a free-text question in a modal; an over-long answer comes back as a field error", async () => {
    h = await startHarness();
    const { q1 } = await startServerlessReview();
    await h.click(alice, q1, "Skip");
    await h.click(alice, await h.waitForQuestion(C, "Question 2 of 4"), "Unsure");
    const q3 = await h.waitForQuestion(C, "Question 3 of 4");
    await h.click(bob, q3, "Answer");
    const modal = await h.fake.waitFor("the answer modal", () =>
      h.fake.views.find((v) => v.method === "views.open"),
    );
    const view = {
      id: "V000009",
      callback_id: modal.view.callback_id,
      private_metadata: modal.view.private_metadata,
    };
    const answer = (text: string) => ({ answer: { value: { type: "plain_text_input", value: text } } });
    const who = { team: TEAM, user: bob.user };

    const tooLong = await h.interact(viewSubmissionPayload(who, view, answer("y".repeat(250))));
    expect(JSON.parse(tooLong.body)).toMatchObject({
      response_action: "errors",
      errors: { answer: /250 characters/ },
    });
    const ok = await h.interact(viewSubmissionPayload(who, view, answer("Exports invoices")));
    expect(ok.body).toBe("");
    await h.waitForQuestion(C, "Question 4 of 4");
    expect(shownText(h.fake.messages.find((m) => m.ts === q3.ts) as Message)).toContain("Exports invoices");
    const values = h.bot.store.events(1).map((e) => (e.type === "answer" ? e.value.kind : e.type));
    expect(values).toEqual(["skip", "unsure", "text"]);
  });

  it("tells the person, and leaves no review behind, when it cannot post in the channel", async () => {
    h = await startHarness();
    await h.command({ ...alice, channel: "C0NOTIN" }, "new vm bastion");
    // The channel refuses the bot, so the person hears it in their DM with the app.
    const told = await h.fake.waitFor("the refusal", () =>
      h.fake.messages.find((m) => m.channel === "D0ALICE"),
    );
    expect(shownText(told)).toContain("/invite @Threatbot");
    await h.settle();
    expect(h.bot.reviews.list()).toEqual([]);
  });
});

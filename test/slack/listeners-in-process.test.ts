import { afterEach, describe, expect, it } from "vitest";
import { ACTION, VIEW } from "../../src/slack/ids.js";
import { SUGGESTED_PROMPTS, threadStarted } from "../../src/slack/listeners/assistant/thread-started.js";
import { userMessage } from "../../src/slack/listeners/assistant/user-message.js";
import { type InProcess, inProcess, recordingClient, type Step } from "../support/listener-harness.js";
import {
  buttonPayload,
  commandPayload,
  eventEnvelope,
  homeButtonPayload,
  viewSubmissionPayload,
  type Who,
} from "../support/slack-requests.js";

/*
 * Every listener the app registers, called in-process with a fake ack, client and respond (the
 * end-to-end tests in this folder drive the same listeners through HTTP and the fake Slack).
 */

const C = "C0PUBLIC";
const alice: Who = { team: "T0FAKE", channel: C, user: "U0ALICE" };
const RESPONSE_URL = "https://hooks.slack.invalid/response";
let h: InProcess;
afterEach(async () => {
  await h?.close();
});

type Button = { action_id: string; value?: string; text?: { text: string } };
const buttonsOf = (s: Step): Button[] =>
  ((s.args.blocks as { type: string; elements?: Button[] }[] | undefined) ?? [])
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? []);
const answers = (reviewId = 1) => h.core.store.events(reviewId).filter((e) => e.type === "answer").length;
const firstCall = (from: number) => h.since(from)[0]?.call;

/** `/threatmodel <text>` as Bolt hands it to the command listener. */
const command = (text: string, atAck?: () => unknown) =>
  h.call("command", "/threatmodel", { command: commandPayload(alice, text, RESPONSE_URL) }, atAck);

/** Start a review and let the outbox post its first question; returns that question's message. */
async function started(): Promise<{ ts: string; threadTs: string; step: Step }> {
  await command("new serverless orders api");
  await h.settle();
  const posts = h.since(0, "chat.postMessage");
  const root = posts.find((p) => p.args.thread_ts === undefined);
  const question = posts.find((p) => p.args.thread_ts !== undefined && buttonsOf(p).length > 0);
  if (!root || !question) throw new Error("the review's thread was not posted");
  const n = h.log.indexOf(question) + 1;
  return {
    ts: `1700000000.${String(n).padStart(6, "0")}`,
    threadTs: String(question.args.thread_ts),
    step: question,
  };
}

/** Press a button of a posted question, as Bolt hands the click to the action listener. */
function press(q: { ts: string; threadTs: string; step: Step }, label: string, atAck?: () => unknown) {
  const button = buttonsOf(q.step).find((b) => b.text?.text === label);
  if (!button) throw new Error(`no ${label} button`);
  const body = buttonPayload(alice, { ts: q.ts, threadTs: q.threadTs }, button, RESPONSE_URL);
  return h.call(
    "action",
    button.action_id,
    { body, action: body.actions[0], payload: body.actions[0] },
    atAck,
  );
}

describe("the slash command listener, in-process", () => {
  it("stores a new review before acknowledging, then posts its thread and first question", async () => {
    h = inProcess();
    await command("new serverless orders api", () => h.core.reviews.list().length);
    expect(h.log[0]).toMatchObject({ call: "ack", seen: 1 });
    await h.settle();
    const posts = h.since(1, "chat.postMessage").map((p) => String(p.args.text));
    expect(posts[0]).toContain("orders api");
    expect(posts[1]).toMatch(/^Question 1 of 4: Can anyone on the internet reach/);
  });

  it("answers help only to the person who asked, after the ack", async () => {
    h = inProcess();
    await command("help");
    expect(h.log.map((s) => s.call)).toEqual(["ack", "respond"]);
    expect(h.log[1]?.args).toMatchObject({ response_type: "ephemeral" });
    expect(JSON.stringify(h.log[1]?.args.blocks)).toContain("/threatmodel new");
    expect(h.core.reviews.list()).toHaveLength(0);
  });
});

describe("the question button listeners, in-process", () => {
  it("an option stores the answer before the ack; the answered message and the next question follow", async () => {
    h = inProcess();
    const q1 = await started();
    const from = h.log.length;
    await press(q1, "Yes", answers);
    expect(h.since(from)[0]).toMatchObject({ call: "ack", seen: 1 });
    await h.settle();
    const update = h.since(from, "chat.update").find((u) => u.args.ts === q1.ts);
    expect(String(update?.args.text)).toContain("answered: Yes");
    expect(h.since(from, "chat.postMessage").map((p) => String(p.args.text))).toEqual([
      expect.stringMatching(/^Question 2 of 4: What is the most sensitive data/),
    ]);
  });

  it("the same click twice stores one answer and asks the next question once", async () => {
    h = inProcess();
    const q1 = await started();
    const from = h.log.length;
    await press(q1, "No");
    await press(q1, "No");
    await h.settle();
    expect(answers()).toBe(1);
    expect(h.since(from, "ack")).toHaveLength(2);
    expect(
      h.since(from, "chat.postMessage").filter((p) => String(p.args.text).startsWith("Question 2")),
    ).toHaveLength(1);
  });

  it("Back undoes the last answer before the ack and asks that question again", async () => {
    h = inProcess();
    const q1 = await started();
    await press(q1, "Yes");
    await h.settle();
    const q2post = h.since(0, "chat.postMessage").at(-1) as Step;
    const q2 = {
      ts: `1700000000.${String(h.log.indexOf(q2post) + 1).padStart(6, "0")}`,
      threadTs: q1.threadTs,
      step: q2post,
    };
    const from = h.log.length;
    await press(q2, "Back", () => h.core.reviews.view(1).state.answers.length);
    expect(h.since(from)[0]).toMatchObject({ call: "ack", seen: 0 });
    await h.settle();
    expect(h.since(from, "chat.postMessage").map((p) => String(p.args.text))).toEqual([
      expect.stringMatching(/^Question 1 of 4: Can anyone on the internet reach/),
    ]);
  });

  it("Finish stores the finished review before the ack, then posts the summary and uploads the report", async () => {
    h = inProcess();
    const q1 = await started();
    const from = h.log.length;
    await press(q1, "Finish", () => h.core.reviews.view(1).review.status);
    expect(h.since(from)[0]).toMatchObject({ call: "ack", seen: "finished" });
    await h.settle();
    expect(
      h.since(from, "chat.postMessage").some((p) => String(p.args.text).startsWith("Threat model for")),
    ).toBe(true);
    expect(h.since(from, "files.uploadV2")[0]?.args).toMatchObject({ thread_ts: q1.threadTs });
  });

  it("a click on a question of a review in another workspace stores nothing and says so", async () => {
    h = inProcess();
    const q1 = await started();
    const button = buttonsOf(q1.step).find((b) => b.text?.text === "Yes") as Button;
    const body = buttonPayload(
      { ...alice, team: "T0OTHER" },
      { ts: q1.ts, threadTs: q1.threadTs },
      button,
      RESPONSE_URL,
    );
    const from = h.log.length;
    await h.call("action", button.action_id, { body });
    await h.settle();
    expect(answers()).toBe(0);
    expect(firstCall(from)).toBe("ack");
    expect(String(h.since(from, "respond")[0]?.args.text)).toContain("Review #1 can't be opened here");
  });

  it("ticking a box is only acknowledged; Submit with nothing ticked asks for a choice and stores nothing", async () => {
    h = inProcess();
    const q1 = await started();
    const ref = JSON.parse(String(buttonsOf(q1.step)[0]?.value)) as { r: number; q: string };
    const from = h.log.length;
    const tick = buttonPayload(alice, q1, { action_id: ACTION.multiToggle }, RESPONSE_URL);
    await h.call("action", ACTION.multiToggle, { body: tick });
    expect(h.since(from).map((s) => s.call)).toEqual(["ack"]);
    const submit = buttonPayload(
      alice,
      q1,
      { action_id: ACTION.multiSubmit, value: JSON.stringify({ r: ref.r, q: ref.q }) },
      RESPONSE_URL,
    );
    await h.call("action", ACTION.multiSubmit, { body: submit });
    await h.settle();
    expect(answers()).toBe(0);
    expect(String(h.since(from, "respond")[0]?.args.text)).toContain("Pick at least one option");
  });
});

describe("the free-text answer listeners, in-process", () => {
  /** Answer the two choice questions so the free-text one is open; returns its message. */
  async function atTextQuestion() {
    const q1 = await started();
    await press(q1, "Yes");
    await h.settle();
    const post = () => h.since(0, "chat.postMessage").at(-1) as Step;
    const at = (s: Step) => ({
      ts: `1700000000.${String(h.log.indexOf(s) + 1).padStart(6, "0")}`,
      threadTs: q1.threadTs,
      step: s,
    });
    await press(at(post()), "Internal");
    await h.settle();
    return at(post());
  }

  it("Answer opens the modal with the trigger id, after the ack", async () => {
    h = inProcess();
    const q3 = await atTextQuestion();
    const from = h.log.length;
    await press(q3, "Answer");
    expect(h.since(from).map((s) => s.call)).toEqual(["ack", "views.open"]);
    const view = h.since(from, "views.open")[0]?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe(VIEW.textAnswer);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ r: 1, q: "context.description", channel: C });
  });

  it("the modal's answer is stored, secret masked, before the ack; an empty one goes back to the modal", async () => {
    h = inProcess();
    await atTextQuestion();
    const meta = JSON.stringify({ r: 1, q: "context.description", channel: C, team: "T0FAKE" });
    const submit = (text: string, id: string) =>
      h.call(
        "view",
        VIEW.textAnswer,
        {
          body: viewSubmissionPayload(
            alice,
            { id, callback_id: VIEW.textAnswer, private_metadata: meta },
            { answer: { value: { type: "plain_text_input", value: text } } },
          ),
        },
        answers,
      );
    const from = h.log.length;
    await submit("   ", "V1");
    expect(h.since(from)[0]).toMatchObject({ call: "ack", seen: 2, args: { response_action: "errors" } });
    await submit("Takes orders; db password=Sup3rS3cretValue", "V2");
    expect(h.since(from, "ack")[1]).toMatchObject({ seen: 3, args: {} });
    const stored = JSON.stringify(h.core.store.events(1));
    expect(stored).not.toContain("Sup3rS3cretValue");
    expect(stored).toContain("secret masked");
  });

  it("a reply in the thread answers the open free-text question, stored when the listener returns", async () => {
    h = inProcess();
    const q3 = await atTextQuestion();
    const from = h.log.length;
    const event = {
      type: "message",
      channel: C,
      channel_type: "channel",
      user: "U0BOB",
      text: "It takes orders",
      ts: "1700000999.000001",
      thread_ts: q3.threadTs,
    };
    await h.call("event", "message", { body: eventEnvelope("T0FAKE", event), event });
    expect(answers()).toBe(3);
    await h.settle();
    expect(h.since(from, "chat.postMessage").map((p) => String(p.args.text))).toEqual([
      expect.stringMatching(/^Question 4 of 4/),
    ]);
  });
});

describe("the App Home listeners, in-process", () => {
  it("opening the Home tab publishes the workspace's reviews", async () => {
    h = inProcess();
    await started();
    const from = h.log.length;
    const event = { type: "app_home_opened", user: "U0ALICE", tab: "home" };
    await h.call("event", "app_home_opened", { body: eventEnvelope("T0FAKE", event), event });
    await h.settle();
    const published = h.since(from, "views.publish");
    expect(published).toHaveLength(1);
    expect(JSON.stringify(published[0]?.args.view)).toContain("orders api");
  });

  it("View opens the review in a modal and Export sends the file to the person's DM, each after the ack", async () => {
    h = inProcess();
    await started();
    const from = h.log.length;
    const view = homeButtonPayload(alice, { action_id: ACTION.homeView, value: JSON.stringify({ r: 1 }) });
    await h.call("action", ACTION.homeView, { body: view });
    const exp = homeButtonPayload(alice, { action_id: ACTION.homeExportMd, value: JSON.stringify({ r: 1 }) });
    await h.call("action", ACTION.homeExportMd, { body: exp });
    await h.settle();
    expect(h.since(from).map((s) => s.call)).toEqual([
      "ack",
      "views.open",
      "ack",
      "chat.postMessage",
      "files.uploadV2",
    ]);
    expect(h.since(from, "files.uploadV2")[0]?.args).toMatchObject({
      channel_id: "D0ALICE",
      filename: expect.stringMatching(/\.md$/),
    });
  });
});

describe("the start modal listener, in-process", () => {
  const startValues = (name: string) => ({
    name: { value: { type: "plain_text_input", value: name } },
    workload: { value: { type: "static_select", selected_option: { value: "container" } } },
  });
  const meta = JSON.stringify({ channel: C, team: "T0FAKE" });

  it("stores the review before the ack and posts its thread", async () => {
    h = inProcess();
    const body = viewSubmissionPayload(
      alice,
      { id: "V9", callback_id: VIEW.startReview, private_metadata: meta },
      startValues("billing"),
    );
    await h.call("view", VIEW.startReview, { body }, () => h.core.reviews.list().map((r) => r.name));
    expect(h.log[0]).toMatchObject({ call: "ack", seen: ["billing"] });
    await h.settle();
    expect(String(h.since(1, "chat.postMessage")[0]?.args.text)).toContain("billing");
  });

  it("a name that is too long goes back to the modal as a field error and nothing is stored", async () => {
    h = inProcess();
    const body = viewSubmissionPayload(
      alice,
      { id: "V9", callback_id: VIEW.startReview, private_metadata: meta },
      startValues("x".repeat(120)),
    );
    await h.call("view", VIEW.startReview, { body });
    expect(h.log[0]).toMatchObject({ call: "ack", args: { response_action: "errors" } });
    expect(h.core.reviews.list()).toHaveLength(0);
  });
});

describe("the question listeners, in-process", () => {
  const mention = (type: "app_mention" | "message", ts: string, extra: Record<string, unknown> = {}) => ({
    type,
    channel: C,
    channel_type: "channel",
    user: "U0BOB",
    text: "<@U0BOT> should our Lambda role use wildcards?",
    ts,
    ...extra,
  });

  it("a mention is answered once in its thread, though Slack delivers it as a mention and as a message", async () => {
    h = inProcess();
    for (const type of ["app_mention", "message"] as const) {
      const event = mention(type, "1700000500.000001");
      await h.call("event", type, { body: eventEnvelope("T0FAKE", event), event });
    }
    await h.settle();
    const replies = h.since(0, "chat.postMessage");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.args).toMatchObject({ channel: C, thread_ts: "1700000500.000001" });
  });

  it("a direct message is a question, answered in a thread under it", async () => {
    h = inProcess();
    const event = mention("message", "1700000600.000001", {
      channel: "D0BOB",
      channel_type: "im",
      text: "should our Lambda role use wildcards?",
    });
    await h.call("event", "message", { body: eventEnvelope("T0FAKE", event), event });
    await h.settle();
    expect(h.since(0, "chat.postMessage")[0]?.args).toMatchObject({
      channel: "D0BOB",
      thread_ts: "1700000600.000001",
    });
  });

  it("the assistant split view offers its suggested prompts, and answers a question in its thread", async () => {
    h = inProcess();
    const prompts: unknown[] = [];
    await threadStarted(h.bot.deps)({
      event: { assistant_thread: { channel_id: "D0BOB", thread_ts: "1700000700.000001" } },
      setSuggestedPrompts: async (p: unknown) => {
        prompts.push(p);
      },
    } as never);
    const event = mention("message", "1700000700.000002", {
      channel: "D0BOB",
      channel_type: "im",
      thread_ts: "1700000700.000001",
      text: "should our Lambda role use wildcards?",
    });
    await userMessage(h.bot.deps)({
      body: eventEnvelope("T0FAKE", event),
      client: recordingClient(h.log),
      context: { botUserId: "U0BOT" },
      setStatus: async () => {},
    } as never);
    await h.settle();
    expect(prompts).toEqual([SUGGESTED_PROMPTS]);
    expect(h.since(0, "chat.postMessage")[0]?.args).toMatchObject({
      channel: "D0BOB",
      thread_ts: "1700000700.000001",
    });
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../support/fake-slack.js";
import {
  APP_TOKEN,
  alice,
  BOT_TOKEN,
  buttonsOf,
  type Harness,
  OTHER_TEAM,
  SIGNING_SECRET,
  shownText,
  startHarness,
  TEAM,
} from "../support/slack-harness.js";
import {
  buttonPayload,
  commandBody,
  eventEnvelope,
  FORM,
  interactionBody,
  JSON_TYPE,
  postToApp,
  slackSignature,
  viewSubmissionPayload,
} from "../support/slack-requests.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const everythingShown = () =>
  [...h.fake.messages, ...h.fake.ephemerals].map(shownText).join("\n") +
  h.fake.views.map((v) => JSON.stringify(v.view)).join("\n");

describe("request signatures", () => {
  it("answers forged, unsigned, stale and altered requests with 401 and changes nothing", async () => {
    h = await startHarness();
    const now = Math.floor(Date.now() / 1000);
    const body = commandBody(alice, "new vm bastion", h.fake.responseUrl());
    const event = JSON.stringify(
      eventEnvelope(TEAM, { type: "app_home_opened", user: alice.user, tab: "home", channel: "D1" }),
    );
    const attempts = [
      postToApp(h.url, body, FORM, { secret: "not-the-signing-secret" }),
      postToApp(h.url, body, FORM, { secret: undefined }),
      postToApp(h.url, body, FORM, { secret: SIGNING_SECRET, timestamp: now - 6 * 60 }),
      // Signed for one body, sent with another.
      postToApp(h.url, body.replace("bastion", "bastion2"), FORM, {
        secret: SIGNING_SECRET,
        timestamp: now,
        signature: slackSignature(SIGNING_SECRET, now, body),
      }),
      // A valid signature replayed under a different timestamp header.
      postToApp(h.url, body, FORM, {
        secret: SIGNING_SECRET,
        timestamp: now + 1,
        signature: slackSignature(SIGNING_SECRET, now, body),
      }),
      postToApp(h.url, event, JSON_TYPE, { secret: "not-the-signing-secret" }),
      postToApp(h.url, interactionBody({ type: "block_actions" }), FORM, { secret: undefined }),
    ];
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 50));
    await h.settle();
    expect(h.bot.reviews.list()).toEqual([]);
    expect(h.fake.calls.map((c) => c.method).filter((m) => m !== "auth.test")).toEqual([]);

    // The same request signed properly is accepted, so the refusals above were about the signature.
    const good = await postToApp(h.url, body, FORM, { secret: SIGNING_SECRET });
    expect(good.status).toBe(200);
    await h.fake.waitFor("the review thread", () => h.thread("C0PUBLIC")[1]);
  });
});

describe("what people type is shown, never obeyed", () => {
  it("escapes mentions in names and answers so they ping no one, and never asks Slack to link names", async () => {
    h = await startHarness();
    // Slack delivers a typed "<" as "&lt;" and real mentions as markup; both must come back inert.
    await h.command(alice, "new serverless <!here> pay &lt;b&gt; <@U0BOB>");
    const q1 = await h.waitForQuestion("C0PUBLIC", "Question 1 of 4");
    await h.click(alice, q1, "Yes");
    await h.click(alice, await h.waitForQuestion("C0PUBLIC", "Question 2 of 4"), "Public");
    const q3 = await h.waitForQuestion("C0PUBLIC", "Question 3 of 4");
    const root = h.thread("C0PUBLIC")[0] as Message;
    await h.event(TEAM, {
      type: "message",
      channel: "C0PUBLIC",
      channel_type: "channel",
      user: "U0CAROL",
      text: "Pings <!channel> and <!subteam^S0TEAM|@security> and <@U0DAVE>, also @everyone &amp; &lt;script&gt;",
      ts: "1800000000.000001",
      thread_ts: root.ts,
      event_ts: "1800000000.000001",
    });
    await h.waitForQuestion("C0PUBLIC", "Question 4 of 4");
    await h.settle();

    const answered = shownText(h.fake.messages.find((m) => m.ts === q3.ts) as Message);
    expect(answered).toContain(
      "Pings &lt;!channel&gt; and &lt;!subteam^S0TEAM|@security&gt; and &lt;@U0DAVE&gt;",
    );
    expect(answered).toContain("&amp; &lt;script&gt;");
    expect(shownText(root)).toContain("&lt;!here&gt; pay &lt;b&gt; &lt;@U0BOB&gt;");
    const all = everythingShown();
    for (const markup of ["<!channel>", "<!here>", "<!subteam", "<@U0DAVE>", "<@U0BOB>", "<script>", "<b>"]) {
      expect(all).not.toContain(markup);
    }
    expect(all).not.toMatch(/@everyone/);
    expect(h.fake.problems).toEqual([]);
    // What was typed is what is stored: the stored answer is the text, not Slack's encoding of it.
    const stored = h.bot.store
      .events(1)
      .find((e) => e.type === "answer" && e.questionId === "context.description");
    expect(stored?.type === "answer" && stored.value).toEqual({
      kind: "text",
      text: "Pings <!channel> and <!subteam^S0TEAM|@security> and <@U0DAVE>, also @everyone & <script>",
    });
  });
});

describe("a review belongs to its workspace and channel", () => {
  async function reviewsInTwoChannels() {
    await h.command(alice, "new vm public-site");
    await h.waitForQuestion("C0PUBLIC", "Question 1 of");
    await h.command({ ...alice, channel: "G0PRIVATE" }, "new vm payroll");
    await h.waitForQuestion("G0PRIVATE", "Question 1 of");
    await h.settle();
    expect(h.bot.store.getReview(2)?.slack?.channelPrivate).toBe(true);
    expect(h.bot.store.getReview(1)?.slack?.channelPrivate).toBe(false);
  }

  it("refuses another workspace's show, export, list and buttons with a clear message", async () => {
    h = await startHarness();
    await reviewsInTwoChannels();
    const stranger = { team: OTHER_TEAM, channel: "C0PUBLIC", user: "U0MALLORY" };
    for (const text of ["show 1", "export 1 md", "show 2", "export 2 json"]) {
      const reply = await h.replyTo(text, () => h.command(stranger, text));
      expect(shownText(reply)).toContain("can't be opened here");
    }
    expect(shownText(await h.replyTo("list", () => h.command(stranger, "list")))).toContain(
      "No reviews here yet",
    );

    // A button carrying another workspace's review id records nothing.
    const q1 = h.thread("C0PUBLIC").at(-1) as Message;
    const yes = buttonsOf(q1)[0];
    const refused = await h.replyTo("a button", () =>
      h.interact(buttonPayload(stranger, { ts: q1.ts }, yes as never, h.fake.responseUrl())),
    );
    expect(shownText(refused)).toContain("can't be opened here");
    await h.settle();
    expect(h.fake.uploads).toEqual([]);
    expect(h.bot.store.events(1)).toEqual([]);
    // Nothing said to the stranger gives the private review away.
    expect(h.fake.ephemerals.map(shownText).join("\n")).not.toContain("payroll");
  });

  it("shows a private channel's review only inside that channel", async () => {
    h = await startHarness();
    await reviewsInTwoChannels();
    const elsewhere = { ...alice, channel: "C0OTHER" };
    const ask = async (text: string) => shownText(await h.replyTo(text, () => h.command(elsewhere, text)));
    expect(await ask("show 2")).toContain("Review #2 can't be opened here");
    expect(await ask("export 2 md")).toContain("Review #2 can't be opened here");
    const listed = await ask("list");
    expect(listed).toContain("#1 public-site");
    expect(listed).not.toContain("payroll");
    expect(await ask("show 1")).toContain("Draft threat model #1\n*public-site*");
    await h.command({ ...alice, channel: "G0PRIVATE" }, "export 2 md");
    const upload = await h.fake.waitFor("the export", () => h.fake.uploads.find((u) => u.completed));
    expect(upload).toMatchObject({ channelId: "G0PRIVATE", filename: "threat-model-2-v1-draft.md" });
    expect(upload.content).toContain("# Threat model: payroll");
  });
});

describe("errors", () => {
  it("tells the person in one short line and logs the details, never a token or the signing secret", async () => {
    h = await startHarness();
    h.fake.failNext("conversations.info", "internal_error");
    h.fake.failNext("chat.postMessage", "fatal_error");
    await h.command(alice, "new container checkout");
    // The thread never started, so the person hears it in their DM with the app.
    const told = await h.fake.waitFor("the error", () =>
      h.fake.messages.find((m) => m.channel === "D0ALICE"),
    );
    expect(shownText(told)).toContain("Something went wrong on my side");
    expect(shownText(told)).not.toMatch(/fatal_error|Error/);
    await h.settle();
    expect(h.bot.reviews.list()).toEqual([]);
    const logs = h.logs.join("");
    expect(logs).toContain("fatal_error");
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, APP_TOKEN]) expect(logs).not.toContain(secret);
    // Trying again works: the failed start left nothing claimed.
    await h.command(alice, "new container checkout");
    await h.waitForQuestion("C0PUBLIC", "Question 1 of");
  });

  it("answers a modal submitted for another workspace without acting on it", async () => {
    h = await startHarness();
    await h.command(alice, "");
    const modal = await h.fake.waitFor("the modal", () => h.fake.views[0]);
    const res = await h.interact(
      viewSubmissionPayload(
        { team: OTHER_TEAM, user: "U0MALLORY" },
        { id: "V1", callback_id: modal.view.callback_id, private_metadata: modal.view.private_metadata },
        {
          name: { value: { type: "plain_text_input", value: "x" } },
          workload: { value: { type: "radio_buttons", selected_option: { value: "vm" } } },
        },
      ),
    );
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.bot.reviews.list()).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { FakeSocketMode } from "../support/fake-slack.js";
import {
  APP_TOKEN,
  alice,
  buttonsOf,
  type Harness,
  shownText,
  startHarness,
  TEAM,
} from "../support/slack-harness.js";
import {
  buttonPayload,
  commandPayload,
  eventEnvelope,
  viewSubmissionPayload,
} from "../support/slack-requests.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("Socket Mode", () => {
  it("connects with the app token and runs commands, clicks, modals and events over the WebSocket", async () => {
    h = await startHarness({ transport: "socket" });
    const socket = h.fake.socketMode as FakeSocketMode;
    const open = h.fake.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(APP_TOKEN);

    const started = performance.now();
    const ack = await socket.deliver(
      "slash_commands",
      commandPayload(alice, "new vm bastion", h.fake.responseUrl()),
    );
    expect(performance.now() - started).toBeLessThan(3000);
    expect(ack.envelope_id).toEqual(expect.any(String));
    const q1 = await h.waitForQuestion("C0PUBLIC", "Question 1 of 3");
    expect(shownText(h.thread("C0PUBLIC")[0] ?? { text: "", blocks: [] })).toContain(
      "Threat review #1: bastion",
    );

    const yes = buttonsOf(q1).find((b) => b.text.text === "Yes");
    await socket.deliver(
      "interactive",
      buttonPayload(alice, { ts: q1.ts, threadTs: q1.threadTs }, yes as never, h.fake.responseUrl()),
    );
    await h.waitForQuestion("C0PUBLIC", "Question 2 of 3");
    expect(h.bot.store.events(1)).toHaveLength(1);

    // A modal's validation errors travel back in the ack's payload.
    await socket.deliver("slash_commands", commandPayload(alice, "", h.fake.responseUrl()));
    const modal = await h.fake.waitFor("the modal", () =>
      h.fake.views.find((v) => v.method === "views.open"),
    );
    const rejected = await socket.deliver(
      "interactive",
      viewSubmissionPayload(
        { team: TEAM, user: alice.user },
        { id: "V1", callback_id: modal.view.callback_id, private_metadata: modal.view.private_metadata },
        {
          name: { value: { type: "plain_text_input", value: " " } },
          workload: { value: { type: "radio_buttons", selected_option: { value: "vm" } } },
        },
      ),
    );
    expect(rejected.payload).toMatchObject({
      response_action: "errors",
      errors: { name: expect.any(String) },
    });

    await socket.deliver(
      "events_api",
      eventEnvelope(TEAM, { type: "app_home_opened", user: alice.user, channel: "D0ALICE", tab: "home" }),
    );
    const home = await h.fake.waitFor("the Home tab", () =>
      h.fake.views.find((v) => v.method === "views.publish"),
    );
    expect(shownText({ text: "", blocks: home.view.blocks })).toContain("#1 bastion");
    expect(socket.acksReceived).toHaveLength(5);
    expect(h.fake.problems).toEqual([]);
  });

  it("acknowledges a thread reply that answers a free-text question only once it is stored", async () => {
    h = await startHarness({ transport: "socket" });
    const socket = h.fake.socketMode as FakeSocketMode;
    const press = async (text: string, label: string) => {
      const q = await h.waitForQuestion("C0PUBLIC", text);
      const b = buttonsOf(q).find((x) => x.text.text === label);
      await socket.deliver(
        "interactive",
        buttonPayload(alice, { ts: q.ts, threadTs: q.threadTs }, b as never, h.fake.responseUrl()),
      );
    };
    await socket.deliver(
      "slash_commands",
      commandPayload(alice, "new serverless orders api", h.fake.responseUrl()),
    );
    await press("Question 1 of 4", "Yes");
    await press("Question 2 of 4", "Internal");
    const q3 = await h.waitForQuestion("C0PUBLIC", "Question 3 of 4");
    // A slow disk: storing the answer takes a while. Slack must not hear back before it is stored.
    const answer = h.bot.reviews.answer.bind(h.bot.reviews);
    h.bot.reviews.answer = async (input) => {
      await new Promise((r) => setTimeout(r, 400));
      return answer(input);
    };
    await socket.deliver(
      "events_api",
      eventEnvelope(TEAM, {
        type: "message",
        channel: "C0PUBLIC",
        channel_type: "channel",
        user: alice.user,
        text: "It takes orders",
        ts: "1800000000.000100",
        thread_ts: q3.threadTs,
      }),
    );
    expect(h.bot.store.events(1).filter((e) => e.type === "answer")).toHaveLength(3);
  });
});

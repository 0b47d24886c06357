import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { alice, type Harness, SIGNING_SECRET, startHarness, TEAM } from "../support/slack-harness.js";
import {
  buttonPayload,
  commandBody,
  eventEnvelope,
  FORM,
  interactionBody,
  JSON_TYPE,
  postToApp,
  viewSubmissionPayload,
} from "../support/slack-requests.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const signed = (body: string, type: string, timestamp?: number) =>
  postToApp(h.url, body, type, { secret: SIGNING_SECRET, ...(timestamp ? { timestamp } : {}) });

/** The app still does real work: a proper slash command starts a review thread. */
async function stillServes(): Promise<void> {
  const ok = await postToApp(h.url, commandBody(alice, "new vm after-fuzz", h.fake.responseUrl()), FORM, {
    secret: SIGNING_SECRET,
  });
  expect(ok.status).toBe(200);
  await h.fake.waitFor("the review thread after hostile requests", () =>
    h.fake.messages.some((m) => m.text.includes("after-fuzz")),
  );
}

describe("hostile signed requests", () => {
  it("answers null, arrays, scalars and broken bodies with 400, and the process lives on", async () => {
    h = await startHarness();
    const bodies: [string, string][] = [
      ["null", JSON_TYPE],
      ["[]", JSON_TYPE],
      ["42", JSON_TYPE],
      ['"text"', JSON_TYPE],
      ["{not json", JSON_TYPE],
      ["payload=null", FORM],
      ["payload=%5B%5D", FORM],
      ["payload=%7Bbroken", FORM],
    ];
    const statuses = [];
    for (const [body, type] of bodies) statuses.push((await signed(body, type)).status);
    expect(statuses).toEqual(bodies.map(() => 400));
    await stillServes();
  });

  it("acknowledges wrong-typed fields at once and never answers 5xx", async () => {
    h = await startHarness();
    const click = buttonPayload(
      alice,
      { ts: "1.1" },
      { action_id: "tb_skip", value: '{"r":1,"q":"x"}' },
      h.fake.responseUrl(),
    );
    const payloads: unknown[] = [
      { ...click, actions: "tb_skip" },
      { ...click, actions: [{ action_id: 5 }] },
      { ...click, user: null },
      { ...click, team: "T", channel: 7 },
      { type: "view_submission", view: null, user: { id: "U" } },
      { type: "view_submission", view: { id: "V", callback_id: 3 }, user: { id: "U" } },
    ];
    const events: unknown[] = [
      { ...eventEnvelope(TEAM, { type: "message" }), event: "message" },
      eventEnvelope(TEAM, { type: "reaction_added", item: "not-an-object" }),
      eventEnvelope(TEAM, { type: "assistant_thread_started", channel: "D1" }),
      eventEnvelope(TEAM, { type: "app_mention", user: "U1", text: 5, ts: "1.2", channel: "C0PUBLIC" }),
      eventEnvelope(TEAM, { type: "message", channel: { nope: 1 }, text: "hi" }),
    ];
    const results = [
      ...(await Promise.all(payloads.map((p) => signed(interactionBody(p), FORM)))),
      ...(await Promise.all(events.map((e) => signed(JSON.stringify(e), JSON_TYPE)))),
    ];
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    // Acknowledged at once, not after Bolt's three-second wait for an ack that never comes.
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(1500);
    await stillServes();
  });

  it("acknowledges unknown action and callback ids at once", async () => {
    h = await startHarness();
    const unknownButton = buttonPayload(
      alice,
      { ts: "1.1" },
      { action_id: "someone_elses_button" },
      h.fake.responseUrl(),
    );
    const unknownModal = viewSubmissionPayload(alice, { id: "V1", callback_id: "not_ours" }, {});
    const r1 = await signed(interactionBody(unknownButton), FORM);
    const r2 = await signed(interactionBody(unknownModal), FORM);
    const r3 = await signed(JSON.stringify({ type: "something_new", team_id: TEAM }), JSON_TYPE);
    expect([r1.status, r2.status, r3.status]).toEqual([200, 200, 200]);
    expect(Math.max(r1.ms, r2.ms, r3.ms)).toBeLessThan(1500);
  });

  it("refuses timestamps more than five minutes away in either direction", async () => {
    h = await startHarness();
    const now = Math.floor(Date.now() / 1000);
    const body = commandBody(alice, "help", h.fake.responseUrl());
    expect((await signed(body, FORM, now + 10 * 60)).status).toBe(401);
    expect((await signed(body, FORM, now + 5 * 60 + 5)).status).toBe(401);
    expect((await signed(body, FORM, now - 5 * 60 - 5)).status).toBe(401);
    expect((await signed(body, FORM, now - 4 * 60)).status).toBe(200);
    expect((await signed(body, FORM, now + 4 * 60)).status).toBe(200);
  });

  it("survives random signed JSON and form bodies with no 5xx and no crash", async () => {
    h = await startHarness();
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.boolean(), async (value, asForm) => {
        const text = JSON.stringify(value) ?? "null";
        const r = asForm
          ? await signed(new URLSearchParams({ payload: text }).toString(), FORM)
          : await signed(text, JSON_TYPE);
        statuses.push(r.status);
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(statuses).toHaveLength(150);
    await stillServes();
  });
});

import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/slack/log.js";
import type { Message } from "../support/fake-slack.js";
import { SECRET_SAMPLES } from "../support/secret-samples.js";
import { alice, bob, type Harness, shownText, startHarness, TEAM } from "../support/slack-harness.js";

const C = "C0PUBLIC";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("secrets typed in Slack", () => {
  it("are masked in the stored answer, the thread, the report and the debug log, and the person is warned", async () => {
    h = await startHarness();
    await h.command(alice, "new serverless orders api");
    await h.click(alice, await h.waitForQuestion(C, "Question 1 of 4"), "No");
    await h.click(alice, await h.waitForQuestion(C, "Question 2 of 4"), "Public");
    await h.waitForQuestion(C, "Question 3 of 4");
    const root = h.thread(C)[0] as Message;
    const text = SECRET_SAMPLES.slice(0, 3)
      .map((s) => s.secret)
      .join(" ");
    const ts = "1800000000.000400";
    await h.event(TEAM, {
      type: "message",
      channel: C,
      channel_type: "channel",
      user: bob.user,
      text: `uses ${text}`,
      ts,
      thread_ts: root.ts,
      event_ts: ts,
    });
    const q4 = await h.waitForQuestion(C, "Question 4 of 4");
    await h.click(alice, q4, "Finish");
    await h.fake.waitFor("the report", () => h.fake.uploads.find((u) => u.completed && u.content));
    await h.settle();

    const everything = [
      ...h.fake.messages.map(shownText),
      ...h.fake.ephemerals.map(shownText),
      ...h.fake.uploads.map((u) => u.content),
      JSON.stringify(h.bot.store.events(1)),
      h.logs.join("\n"),
    ].join("\n");
    for (const s of SECRET_SAMPLES.slice(0, 3)) expect(everything, s.kind).not.toContain(s.secret);
    expect(everything).toContain("[secret masked: JSON Web Token]");
    expect(h.fake.ephemerals.map(shownText).join("\n")).toContain("rotate it");
  });

  it("never reach a log line, whatever logs them", () => {
    const lines: string[] = [];
    const log = createLogger(
      "debug",
      new Writable({
        write(c, _e, done) {
          lines.push(String(c));
          done();
        },
      }),
    );
    for (const s of SECRET_SAMPLES) log.warn(`a request quoted ${s.text}`);
    const all = lines.join("\n");
    for (const s of SECRET_SAMPLES) expect(all, s.kind).not.toContain(s.secret);
  });
});

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/core/knowledge/load.js";
import { type Harness, shownText, startHarness, TEAM } from "../support/slack-harness.js";

const C = "C0PUBLIC";
let h: Harness;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await h?.close();
  for (const c of closers.splice(0)) await c();
});

describe("downloading shared files", () => {
  it("sends the bot token only under SLACK_FILES_URL: a file object pointing elsewhere is refused unfetched", async () => {
    let hits = 0;
    const elsewhere = createServer((_req, res) => {
      hits++;
      res.end("FROM node:latest\n");
    });
    await new Promise<void>((r) => elsewhere.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise((r) => elsewhere.close(() => r())));
    const port = (elsewhere.address() as AddressInfo).port;

    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    await h.command({ team: TEAM, channel: C, user: "U0ALICE" }, "new container api");
    await h.waitForQuestion(C, "Question 1 of");
    const root = h.thread(C)[0];
    const planted = h.fake.shareFile("Dockerfile", "FROM node:latest\n", {
      url_private_download: `http://127.0.0.1:${port}/Dockerfile`,
    });
    const external = h.fake.shareFile("main.tf", 'resource "x" "y" {}\n', {
      mode: "external",
      is_external: true,
    });
    await h.event(TEAM, {
      type: "message",
      subtype: "file_share",
      channel: C,
      channel_type: "channel",
      user: "U0BOB",
      text: "",
      ts: "1800000000.000100",
      thread_ts: root?.ts,
      event_ts: "1800000000.000100",
      files: [{ id: planted.id }, { id: external.id }],
    });
    const reply = await h.fake.waitFor("the files reply", () =>
      h.thread(C).find((m) => shownText(m).includes("shared 2 files")),
    );
    expect(shownText(reply)).toMatch(/Dockerfile: not read: Slack gave no download address/);
    expect(shownText(reply)).toMatch(/main\.tf: not read: a link to a file kept outside Slack/);
    expect(hits).toBe(0);
    expect(h.fake.callsTo("files.download")).toEqual([]);
  });

  it("takes SLACK_FILES_URL from the environment, checked like every setting", () => {
    expect(loadConfig({}).SLACK_FILES_URL).toBe("https://files.slack.com/");
    expect(loadConfig({ SLACK_FILES_URL: "https://files.slack-gov.com" }).SLACK_FILES_URL).toBe(
      "https://files.slack-gov.com/",
    );
    expect(() => loadConfig({ SLACK_FILES_URL: "file:///etc" })).toThrow(ConfigError);
    expect(() => loadConfig({ SLACK_FILES_URL: "file:///etc" })).toThrow(
      /SLACK_FILES_URL: must be an http\(s\) URL/,
    );
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, runMode } from "../../src/config.js";
import { FIXTURE_KB, tempDir } from "../support/core.js";
import { FakeSlack } from "../support/fake-slack.js";
import { APP_TOKEN, BOT_TOKEN, CHANNELS, SIGNING_SECRET } from "../support/slack-harness.js";
import { commandBody, FORM, postToApp } from "../support/slack-requests.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error("expected a configuration error");
}

describe("Slack settings", () => {
  it("picks Socket Mode, HTTP or the terminal from what is set", () => {
    expect(runMode(loadConfig({}))).toEqual({ kind: "terminal" });
    expect(runMode(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN }))).toEqual({
      kind: "socket",
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
    });
    expect(
      runMode(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET })),
    ).toMatchObject({
      kind: "http",
      port: 3000,
    });
    expect(
      runMode(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: "8080" })),
    ).toMatchObject({ kind: "http", port: 8080 });
    // With both, the app token wins: Socket Mode needs no public URL.
    expect(
      runMode(
        loadConfig({
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_APP_TOKEN: APP_TOKEN,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
        }),
      ).kind,
    ).toBe("socket");
    expect(runMode(loadConfig({ SLACK_BOT_TOKEN: "", SLACK_APP_TOKEN: "", PORT: "" })).kind).toBe("terminal");
    expect(loadConfig({ SLACK_API_URL: "http://127.0.0.1:9999/api" }).SLACK_API_URL).toBe(
      "http://127.0.0.1:9999/api/",
    );
  });

  it("names a missing or malformed setting in one line, without echoing its value", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { SLACK_BOT_TOKEN: BOT_TOKEN },
        /^Configuration: SLACK_APP_TOKEN: or SLACK_SIGNING_SECRET is required/,
      ],
      [{ SLACK_APP_TOKEN: APP_TOKEN }, /^Configuration: SLACK_BOT_TOKEN: is required/],
      [
        { SLACK_BOT_TOKEN: "xoxp-user-token-123", SLACK_APP_TOKEN: APP_TOKEN },
        /^Configuration: SLACK_BOT_TOKEN: must be/,
      ],
      [
        { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: "xoxb-wrong-kind" },
        /^Configuration: SLACK_APP_TOKEN: must be/,
      ],
      [
        { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: "short" },
        /^Configuration: SLACK_SIGNING_SECRET: must be/,
      ],
      [{ PORT: "eighty" }, /^Configuration: PORT: must be a port number/],
      [{ PORT: "70000" }, /^Configuration: PORT: must be from 1 to 65535/],
      [{ SLACK_API_URL: "ftp://files.example" }, /^Configuration: SLACK_API_URL: must be an http\(s\) URL/],
    ];
    for (const [env, expected] of cases) {
      const message = configError(env);
      expect(message).toMatch(expected);
      expect(message).not.toContain("\n");
      for (const value of Object.values(env)) if (value.length > 6) expect(message).not.toContain(value);
    }
  });
});

describe("npm start", () => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
    for (const c of cleanups.splice(0)) await c();
  });

  function start(env: Record<string, string>) {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", THREATBOT_KNOWLEDGE: FIXTURE_KB, ...env },
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = once(child, "exit").then(([code]) => code as number | null);
    const waitForOutput = async (pattern: RegExp, timeoutMs = 15_000) => {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(stdout + stderr)) {
        if (Date.now() > until || child.exitCode !== null)
          throw new Error(`no ${pattern} in: ${stdout}${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { child, exited, waitForOutput, out: () => stdout, err: () => stderr };
  }

  async function freePort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const { port } = s.address() as { port: number };
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  it("stops with one clear line when the Slack settings are half there", async () => {
    const p = start({ SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(await p.exited).toBe(2);
    expect(p.err().trim().split("\n")).toEqual([
      expect.stringMatching(/^Configuration: SLACK_APP_TOKEN: or SLACK_SIGNING_SECRET is required/),
    ]);
    expect(p.err()).not.toContain(BOT_TOKEN);
  });

  it("without Slack settings runs the terminal review, after a one-line hint", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const p = start({ THREATBOT_DB: join(dir.dir, "t.db") });
    p.child.stdin?.end();
    await p.exited;
    const [hint] = p.out().split("\n");
    expect(hint).toMatch(/no Slack settings.*SLACK_BOT_TOKEN.*SLACK_APP_TOKEN.*SLACK_SIGNING_SECRET/);
    expect(p.out()).toContain("What kind of workload is this?");
  });

  it("serves HTTP at /slack/events with a bot token and a signing secret, and stops cleanly", async () => {
    const fake = await FakeSlack.start({ botToken: BOT_TOKEN, channels: CHANNELS });
    cleanups.push(() => fake.close());
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const port = await freePort();
    const p = start({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      HTTP_HOST: "127.0.0.1",
      THREATBOT_DB: join(dir.dir, "slack.db"),
    });
    await p.waitForOutput(/listening for Slack on port/);
    const who = { team: "T0FAKE", channel: "C0PUBLIC", user: "U0ALICE" };
    const url = `http://127.0.0.1:${port}/slack/events`;
    const forged = await postToApp(url, commandBody(who, "help", fake.responseUrl()), FORM, {
      secret: "wrong",
    });
    expect(forged.status).toBe(401);
    const res = await postToApp(url, commandBody(who, "help", fake.responseUrl()), FORM, {
      secret: SIGNING_SECRET,
    });
    expect(res.status).toBe(200);
    await fake.waitFor("the help reply", () => fake.ephemerals[0]);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET]) expect(p.out() + p.err()).not.toContain(secret);
  });
});

import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, LogLevel } from "@slack/bolt";
import { openThreatbot } from "../src/core/open.js";
import { createSlackApp } from "../src/slack/app.js";
import { createLogger } from "../src/slack/log.js";
import {
  buttonPayload,
  commandBody,
  FORM,
  interactionBody,
  slackSignature,
  type Who,
} from "../test/support/slack-requests.js";
import { type BenchRow, percentile } from "./report.js";

const BOT_TOKEN = "xoxb-bench-bot-token";
const SECRET = "benchsigningsecret0123456789abcd";
const CONCURRENT = 200;
const ROUNDS = 6;
const CHANNELS = 8;
const SLACK_SIDE = fileURLToPath(new URL("../test/support/slack-load.ts", import.meta.url));

const silent = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** Ask one of Slack's processes to do something and wait for its answer, bounded in time. */
function rpc(child: ChildProcess) {
  let next = 0;
  return <T>(body: Record<string, unknown>, timeoutMs = 120_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => reject(new Error(`Slack side did not answer ${body.type}`)), timeoutMs);
      const onMessage = (msg: { id: number; result?: T; error?: string }) => {
        if (msg.id !== id) return;
        clearTimeout(timer);
        child.off("message", onMessage);
        if (msg.error) reject(new Error(msg.error));
        else resolve(msg.result as T);
      };
      child.on("message", onMessage);
      child.send({ id, body });
    });
}

/** A request exactly as Slack sends it, signed, as raw HTTP/1.1 bytes for the load generator. */
function signedRaw(port: number, body: string): string {
  const ts = Math.floor(Date.now() / 1000);
  return [
    "POST /slack/events HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    `Content-Type: ${FORM}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Slack-Request-Timestamp: ${ts}`,
    `X-Slack-Signature: ${slackSignature(SECRET, ts, body)}`,
    "Connection: keep-alive",
    "",
    body,
  ].join("\r\n");
}

interface Question {
  channel: string;
  ts: string;
  threadTs?: string;
  option: { action_id: string; value: string };
}

/**
 * Slash commands and button clicks through the real HTTP receiver, 200 at a time, each burst sent
 * to Threatbot and to a bare Bolt app that only acks the same requests. Threatbot commits what
 * each request changes before its ack (SQLite, WAL, synchronous=NORMAL, its default) and posts to a
 * loopback Slack after it, so the ratio shows what that work costs the acknowledgements Slack waits for. Latency is from writing a
 * request on an open connection to reading its whole response; Slack's side (the Web API and the
 * load generator) runs in other processes, as it does in production.
 */
export async function benchSlack(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "threatbot-bench-slack-"));
  const spawnSide = (role: "api" | "load") =>
    fork(SLACK_SIDE, [role], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
  const apiChild = spawnSide("api");
  const loadChild = spawnSide("load");
  const api = rpc(apiChild);
  const load = rpc(loadChild);
  const bot = openThreatbot({ dbPath: join(dir, "bench.db") });
  let stopApps = async () => {};
  try {
    const channels = Object.fromEntries(
      Array.from({ length: CHANNELS }, (_, i) => [`C0BENCH${i}`, { isPrivate: false, member: true }]),
    );
    const { apiUrl, baseUrl } = await api<{ apiUrl: string; baseUrl: string }>({
      type: "start",
      botToken: BOT_TOKEN,
      channels,
    });
    const ours = createSlackApp({
      core: bot,
      botToken: BOT_TOKEN,
      transport: { kind: "http", signingSecret: SECRET },
      apiUrl,
      log: createLogger("silent"),
      retryConfig: { retries: 0 },
    });
    const bare = new App({
      token: BOT_TOKEN,
      signingSecret: SECRET,
      clientOptions: { slackApiUrl: apiUrl },
      logger: silent,
      convoStore: false,
    });
    bare.command("/threatmodel", async ({ ack }) => ack());
    bare.action(/.*/, async ({ ack }) => ack());
    stopApps = async () => {
      await ours.stop().catch(() => {});
      await ours.idle();
      await bare.stop().catch(() => {});
    };
    const oursPort = (await ours.start({ port: 0, host: "127.0.0.1" })).port as number;
    const bareAddress = (await bare.start({ port: 0, host: "127.0.0.1" })).address();
    const barePort = typeof bareAddress === "object" && bareAddress ? bareAddress.port : 0;

    const who = (i: number): Who => ({
      team: "T0FAKE",
      channel: `C0BENCH${i % CHANNELS}`,
      user: `U0B${i % 50}`,
    });
    const responseUrl = () => `${baseUrl}/response/${randomUUID()}`;
    let offset = 0;
    const commandBodies = (n: number) => {
      const bodies = Array.from({ length: n }, (_, i) =>
        commandBody(who(i), `new vm bench-${offset + i}`, responseUrl()),
      );
      offset += n;
      return bodies;
    };
    const clickBodies = async (from: number, n: number) => {
      const { questions } = await api<{ questions: Question[] }>({ type: "questions", from });
      if (questions.length < n)
        throw new Error(`expected ${n} questions to click, found ${questions.length}`);
      return questions
        .slice(0, n)
        .map((q, i) =>
          interactionBody(
            buttonPayload(
              { ...who(i), channel: q.channel },
              { ts: q.ts, threadTs: q.threadTs },
              q.option,
              responseUrl(),
            ),
          ),
        );
    };
    const burst = async (port: number, bodies: string[]) =>
      (
        await load<{ ms: number[] }>({
          type: "burst",
          host: "127.0.0.1",
          port,
          requests: bodies.map((b) => signedRaw(port, b)),
        })
      ).ms;
    const asked = async () => (await api<{ total: number }>({ type: "questions", from: 0 })).total;

    // Warm both apps up (JIT, first SQLite statements, the secret scanner) before measuring.
    const warm = commandBodies(20);
    await burst(barePort, warm);
    await burst(oursPort, warm);
    await ours.idle();
    const warmClicks = await clickBodies(0, 20);
    await burst(barePort, warmClicks);
    await burst(oursPort, warmClicks);
    await ours.idle();

    const s = {
      oursCmd: [] as number[],
      bareCmd: [] as number[],
      oursClick: [] as number[],
      bareClick: [] as number[],
    };
    // Each pair of bursts runs in alternating order, with a pause before each burst, so neither app
    // pays for the other's closing connections or always goes second.
    const pause = () => new Promise((r) => setTimeout(r, 200));
    const pair = async (bodies: string[], oursOut: number[], bareOut: number[], oursFirst: boolean) => {
      for (const which of oursFirst ? ["ours", "bare"] : ["bare", "ours"]) {
        await pause();
        if (which === "ours") {
          oursOut.push(...(await burst(oursPort, bodies)));
          await ours.idle();
        } else bareOut.push(...(await burst(barePort, bodies)));
      }
    };
    for (let round = 0; round < ROUNDS; round++) {
      const before = await asked();
      await pair(commandBodies(CONCURRENT), s.oursCmd, s.bareCmd, round % 2 === 1);
      await pair(await clickBodies(before, CONCURRENT), s.oursClick, s.bareClick, round % 2 === 0);
    }
    const { problems } = await api<{ problems: string[] }>({ type: "questions", from: 0 });
    if (problems.length > 0) throw new Error(`the loopback Slack saw problems: ${problems[0]}`);

    const rows: BenchRow[] = [];
    for (const [what, o, b] of [
      ["slash command", s.oursCmd, s.bareCmd],
      ["button click", s.oursClick, s.bareClick],
    ] as const) {
      const p50 = percentile(o, 50);
      const bareP50 = percentile(b, 50);
      const p99 = percentile(o, 99);
      rows.push(
        {
          metric: `${what} ack, ${CONCURRENT} concurrent (p50)`,
          value: p50,
          unit: "ms",
          baseline: { label: "bare Bolt app", value: bareP50 },
          // Threatbot's ack follows the commit of what the request changes.
          target: "<= 1.10x bare app",
          met: p50 <= 1.1 * bareP50,
        },
        {
          metric: `${what} ack, ${CONCURRENT} concurrent (p99)`,
          value: p99,
          unit: "ms",
          baseline: { label: "bare Bolt app", value: percentile(b, 99) },
          target: "< 50 ms",
          met: p99 < 50,
        },
      );
    }
    return rows;
  } finally {
    await stopApps();
    await api({ type: "stop" }, 10_000).catch(() => {});
    apiChild.kill();
    loadChild.kill();
    bot.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

import { Writable } from "node:stream";
import { openThreatbot, type Threatbot } from "../../src/core/open.js";
import type { LlmOptions } from "../../src/qa/service.js";
import { createSlackApp, type SlackBot } from "../../src/slack/app.js";
import { createLogger } from "../../src/slack/log.js";
import type { OutboxTiming } from "../../src/slack/outbox.js";
import { FIXTURE_KB, tempBot } from "./core.js";
import { type Block, type ChannelInfo, type Ephemeral, FakeSlack, type Message } from "./fake-slack.js";
import {
  buttonPayload,
  commandBody,
  eventEnvelope,
  FORM,
  interactionBody,
  JSON_TYPE,
  postToApp,
  type SendOptions,
  type SlackHttpResponse,
  type Who,
} from "./slack-requests.js";

// Shaped like the real thing so configuration checks accept them; they open nothing anywhere.
export const BOT_TOKEN = "xoxb-fake-bot-token-for-tests";
export const APP_TOKEN = "xapp-fake-app-token-for-tests";
export const SIGNING_SECRET = "fakesigningsecret0123456789abcdef";

export const TEAM = "T0FAKE";
export const OTHER_TEAM = "T0OTHER";
export const CHANNELS: Record<string, ChannelInfo> = {
  C0PUBLIC: { isPrivate: false, member: true },
  C0OTHER: { isPrivate: false, member: true },
  G0PRIVATE: { isPrivate: true, member: true },
  C0NOTIN: { isPrivate: false, member: false },
};

export const alice: Who = { team: TEAM, channel: "C0PUBLIC", user: "U0ALICE" };
export const bob: Who = { team: TEAM, channel: "C0PUBLIC", user: "U0BOB" };
export const carol: Who = { team: TEAM, channel: "C0PUBLIC", user: "U0CAROL" };

export interface Harness {
  fake: FakeSlack;
  bot: ReturnType<typeof tempBot>;
  /**
   * Stop the app as a crash would (nothing drained), then start a new one on the same database,
   * as a restarted process does.
   */
  restart(): Promise<void>;
  slack: SlackBot;
  /** The app's Events/interactivity URL (HTTP transport only). */
  url: string;
  logs: string[];
  command(
    who: Who,
    text: string,
    opts?: Partial<SendOptions> & { triggerId?: string },
  ): Promise<SlackHttpResponse>;
  interact(payload: unknown, opts?: Partial<SendOptions>): Promise<SlackHttpResponse>;
  event(
    team: string,
    event: Record<string, unknown>,
    opts?: Partial<SendOptions> & { eventId?: string },
  ): Promise<SlackHttpResponse>;
  /** Press the button labelled `label` on a message the app posted. */
  click(who: Who, message: Message, label: string): Promise<SlackHttpResponse>;
  /** The thread of the newest review root message in a channel. */
  thread(channel: string): Message[];
  /** Wait until the thread's newest message contains `text`. */
  waitForQuestion(channel: string, text: string): Promise<Message>;
  /** Do something and wait for the ephemeral reply it brings (bounded). */
  replyTo(what: string, act: () => Promise<unknown>): Promise<Ephemeral>;
  /** Wait for work queued after acks to finish. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function buttonsOf(m: Message): Block[] {
  return m.blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements as Block[]);
}

/** Every bit of text a message shows, for assertions about what people would read. */
export function shownText(m: { text: string; blocks: Block[] }): string {
  const parts: string[] = [m.text];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "text" && typeof x === "string") parts.push(x);
        else walk(x);
      }
    }
  };
  walk(m.blocks);
  return parts.join("\n");
}

export async function startHarness(
  opts: {
    transport?: "http" | "socket";
    channels?: Record<string, ChannelInfo>;
    /** The knowledge folder; the small fixture by default. */
    knowledgeDir?: string;
    /** The LLM behind answers to questions; none by default (offline answers). */
    llm?: LlmOptions;
    webApiTimeoutMs?: number;
    outboxTiming?: Partial<OutboxTiming>;
  } = {},
): Promise<Harness> {
  const transport = opts.transport ?? "http";
  const fake = await FakeSlack.start({
    botToken: BOT_TOKEN,
    appToken: transport === "socket" ? APP_TOKEN : undefined,
    teamId: TEAM,
    channels: opts.channels ?? CHANNELS,
  });
  const bot = tempBot({ knowledgeDir: opts.knowledgeDir ?? FIXTURE_KB });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const makeApp = (core: Threatbot) =>
    createSlackApp({
      core,
      botToken: BOT_TOKEN,
      transport:
        transport === "socket"
          ? { kind: "socket", appToken: APP_TOKEN }
          : { kind: "http", signingSecret: SIGNING_SECRET },
      apiUrl: fake.apiUrl,
      filesUrl: fake.filesUrl,
      log: createLogger("debug", sink),
      retryConfig: { retries: 0 },
      llm: opts.llm,
      webApiTimeoutMs: opts.webApiTimeoutMs,
      outboxTiming: { checkDelayMs: 50, maxBackoffMs: 400, sweepMs: 200, ...opts.outboxTiming },
    });
  let slack = makeApp(bot);
  const { port } = await slack.start({ port: 0, host: "127.0.0.1" });
  let url = `http://127.0.0.1:${port}/slack/events`;
  const signed = (o: Partial<SendOptions> = {}): SendOptions => ({ secret: SIGNING_SECRET, ...o });

  const h: Harness = {
    fake,
    bot,
    slack,
    url,
    logs,
    restart: async () => {
      await slack.stop(0);
      h.bot.close();
      const reopened = openThreatbot({ dbPath: bot.dbPath, knowledgeDir: opts.knowledgeDir ?? FIXTURE_KB });
      h.bot = {
        ...reopened,
        dbPath: bot.dbPath,
        cleanup: () => {
          reopened.close();
          bot.cleanup();
        },
      };
      slack = makeApp(h.bot);
      h.slack = slack;
      const started = await slack.start({ port: 0, host: "127.0.0.1" });
      url = `http://127.0.0.1:${started.port}/slack/events`;
      h.url = url;
    },
    command: (who, text, o = {}) =>
      postToApp(url, commandBody(who, text, fake.responseUrl(), o.triggerId), FORM, signed(o)),
    interact: (payload, o = {}) => postToApp(url, interactionBody(payload), FORM, signed(o)),
    event: (team, event, o = {}) =>
      postToApp(url, JSON.stringify(eventEnvelope(team, event, o.eventId)), JSON_TYPE, signed(o)),
    click: (who, message, label) => {
      const b = buttonsOf(message).find((x) => x.text?.text === label);
      if (!b) throw new Error(`no button "${label}" on message ${message.ts}: ${shownText(message)}`);
      return h.interact(
        buttonPayload(who, { ts: message.ts, threadTs: message.threadTs }, b as never, fake.responseUrl()),
      );
    },
    thread: (channel) => {
      const roots = fake.messages.filter((m) => m.channel === channel && !m.threadTs);
      const root = roots.at(-1);
      return root ? fake.thread(channel, root.ts) : [];
    },
    waitForQuestion: (channel, text) =>
      fake.waitFor(`a message containing "${text}" in ${channel}`, () => {
        const last = h.thread(channel).at(-1);
        // A copy: the person's client keeps showing the message as it was when they saw it.
        return last && shownText(last).includes(text) ? structuredClone(last) : undefined;
      }),
    replyTo: async (what, act) => {
      const before = fake.ephemerals.length;
      await act();
      return fake.waitFor(`a reply to ${what}`, () => fake.ephemerals[before]);
    },
    settle: () => slack.idle(),
    close: async () => {
      await slack.stop(0);
      await fake.close();
      h.bot.cleanup();
    },
  };
  return h;
}

import type { App } from "@slack/bolt";
import { createSlackApp, type SlackBot } from "../../src/slack/app.js";
import { registerListeners } from "../../src/slack/listeners/index.js";
import { createLogger } from "../../src/slack/log.js";
import { FIXTURE_KB, tempBot } from "./core.js";

/**
 * Listeners called in-process, as Slack's Bolt templates test them: the function the app registers
 * for an action, view, command or event is called with a fake `ack`, a fake `client` and a fake
 * `respond`, each writing into one ordered log, so a test can say what happened first.
 */
export interface Step {
  /** "ack", "respond", or a Web API method such as "chat.postMessage". */
  call: string;
  args: Record<string, unknown>;
  /** For an ack: what the test's `atAck` saw at that moment (what was stored by then, say). */
  seen?: unknown;
}

type Listener = (args: Record<string, unknown>) => Promise<void>;
type Constraint = string | RegExp | Record<string, unknown>;

/** Answers a Web API call the way Slack would, enough for the app to go on. */
function answerFor(method: string, args: Record<string, unknown>, n: number): Record<string, unknown> {
  const channel = typeof args.channel === "string" ? args.channel.replace(/^U/, "D") : "C0PUBLIC";
  if (method === "chat.postMessage")
    return { ok: true, channel, ts: `1700000000.${String(n).padStart(6, "0")}` };
  if (method === "conversations.info") return { ok: true, channel: { id: args.channel, is_private: false } };
  if (method === "conversations.replies" || method === "conversations.history")
    return { ok: true, messages: [] };
  return { ok: true };
}

/** A Web API client that records every call (chat.postMessage, files.uploadV2…) in `log`. */
export function recordingClient(log: Step[]): unknown {
  const make = (path: string[]): unknown =>
    new Proxy(() => {}, {
      get: (_t, key) => (typeof key === "string" && key !== "then" ? make([...path, key]) : undefined),
      apply: async (_t, _this, [args]: [Record<string, unknown>?]) => {
        const method = path.join(".");
        log.push({ call: method, args: args ?? {} });
        return answerFor(method, args ?? {}, log.length);
      },
    });
  return make([]);
}

export interface InProcess {
  bot: SlackBot;
  core: ReturnType<typeof tempBot>;
  /** Everything the listeners and the outbox did, in order. */
  log: Step[];
  /** Call the listener registered for this id (action id, callback id, command, event type). */
  call(
    kind: "action" | "view" | "command" | "event",
    id: string,
    args: Record<string, unknown>,
    atAck?: () => unknown,
  ): Promise<void>;
  /** Let the work queued after acks and the outbox's sends finish. */
  settle(): Promise<void>;
  /** Steps since `from` whose call matches. */
  since(from: number, call?: string): Step[];
  close(): Promise<void>;
}

function matches(kind: string, c: Constraint, id: string): boolean {
  if (typeof c === "string") return c === id;
  if (c instanceof RegExp) return c.test(id);
  const key = kind === "action" ? "action_id" : "callback_id";
  const v = c[key];
  return typeof v === "string" ? v === id : v instanceof RegExp ? v.test(id) : false;
}

export function inProcess(opts: { knowledgeDir?: string } = {}): InProcess {
  const core = tempBot({ knowledgeDir: opts.knowledgeDir ?? FIXTURE_KB });
  const log: Step[] = [];
  const client = recordingClient(log);
  const bot = createSlackApp({
    core,
    botToken: "xoxb-in-process",
    transport: { kind: "http", signingSecret: "in-process-signing-secret" },
    log: createLogger("silent"),
    webClient: client as never,
  });
  // The same registration the app makes, captured instead of handed to Bolt.
  const registered: { kind: string; constraint: Constraint; listener: Listener }[] = [];
  const capture =
    (kind: string) =>
    (constraint: Constraint, ...listeners: Listener[]) => {
      for (const listener of listeners) registered.push({ kind, constraint, listener });
    };
  const recorder = {
    action: capture("action"),
    view: capture("view"),
    command: capture("command"),
    event: capture("event"),
    assistant: () => {},
  };
  registerListeners(recorder as unknown as App, bot.deps);
  return {
    bot,
    core,
    log,
    async call(kind, id, args, atAck) {
      const found = registered.filter((r) => r.kind === kind && matches(kind, r.constraint, id));
      if (found.length !== 1) throw new Error(`${found.length} ${kind} listeners for ${id}`);
      await (found[0] as (typeof found)[number]).listener({
        ack: async (response?: unknown) => {
          log.push({ call: "ack", args: (response ?? {}) as Record<string, unknown>, seen: atAck?.() });
        },
        respond: async (message: Record<string, unknown>) => {
          log.push({ call: "respond", args: message });
        },
        client,
        context: { botUserId: "U0BOT", teamId: "T0FAKE" },
        logger: createLogger("silent"),
        next: async () => {},
        ...args,
      });
    },
    settle: () => bot.idle(),
    since: (from, call) => log.slice(from).filter((s) => call === undefined || s.call === call),
    async close() {
      // The app was never started; only its queues and outbox worker need stopping.
      await bot.stop(0).catch(() => {});
      core.cleanup();
    },
  };
}

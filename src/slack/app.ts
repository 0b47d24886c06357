import type { Server } from "node:http";
import type { ListenOptions } from "node:net";
import { format } from "node:util";
import { App, type Logger as BoltLogger, LogLevel, webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { KnowledgeBase } from "../core/knowledge/load.js";
import type { ReviewService } from "../core/review/service.js";
import { maskSecrets } from "../core/secrets/mask.js";
import { type LlmOptions, QaService } from "../qa/service.js";
import type { ReviewStore } from "../storage/review-store.js";
import type { SlackDeps } from "./deps.js";
import { registerListeners } from "./listeners/index.js";
import { type OutboxTiming, OutboxWorker, outboxContext, planDeliveries } from "./outbox.js";
import { GuardedHttpReceiver } from "./receiver.js";
import { deferredAckSocketReceiver } from "./socket-receiver.js";
import { QuietGate, WorkQueue } from "./work-queue.js";

export type SlackTransport = { kind: "socket"; appToken: string } | { kind: "http"; signingSecret: string };

export interface SlackAppOptions {
  core: { kb: KnowledgeBase; store: ReviewStore; reviews: ReviewService };
  botToken: string;
  transport: SlackTransport;
  /** Web API base URL (GovSlack, a test server); Socket Mode's apps.connections.open follows it. */
  apiUrl?: string | undefined;
  log: Logger;
  /** How the Web API client retries; tests fail fast instead. */
  retryConfig?: webApi.RetryOptions;
  /** Jobs run side by side after acks (per review they always run in order). */
  concurrency?: number;
  /** The LLM behind answers to questions; absent, answers come from the knowledge base alone, offline. */
  llm?: LlmOptions | undefined;
  /** How long the outbox's Web API calls may take before their outcome counts as unknown (default 10 s). */
  webApiTimeoutMs?: number;
  /** How patient the outbox is; tests shorten the waits. */
  outboxTiming?: Partial<OutboxTiming>;
  /** The outbox's Web API client, instead of one built from the token (listeners tested in-process). */
  webClient?: webApi.WebClient;
  /** Where shared files are downloaded from (SLACK_FILES_URL); the bot token goes nowhere else. */
  filesUrl?: string | undefined;
}

/** Slack answers in well under a second; a call still open after this is treated as of unknown outcome. */
const WEB_API_TIMEOUT_MS = 10_000;
const DEFAULT_FILES_URL = "https://files.slack.com/";
const SHUTDOWN_DRAIN_MS = 10_000;

export interface SlackBot {
  app: App;
  deps: SlackDeps;
  /** HTTP: listen (default port 3000, every interface) and return the port. Socket Mode: connect. */
  start(listen?: ListenOptions): Promise<{ port?: number }>;
  /** Stop taking requests, then give what is in flight at most `drainMs` (default 10 s). */
  stop(drainMs?: number): Promise<void>;
  /** Resolves when the work queued after acks, and the outbox's sending, have finished. */
  idle(): Promise<void>;
}

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
};

/** Answers waiting on an LLM at once; each holds little but a socket. */
const QUESTION_CONCURRENCY = 4;

/** Bolt and the Web API client log through pino, so one level and one redaction policy cover everything. */
function boltLogger(log: Logger): BoltLogger {
  const write = (level: "debug" | "info" | "warn" | "error", args: unknown[]) => {
    // Bolt logs several debug lines per request; skip formatting them when the level is off.
    if (!log.isLevelEnabled(level)) return;
    const err = args.find((a): a is Error => a instanceof Error);
    let text = format(...args.filter((a) => a !== err));
    // Bolt's debug output includes whole request bodies, which carry what people typed: never log them.
    if (/^\s*[[{]/.test(text)) text = "[request body redacted]";
    if (err) log[level]({ err }, text);
    else log[level](text);
  };
  return {
    debug: (...a: unknown[]) => write("debug", a),
    info: (...a: unknown[]) => write("info", a),
    warn: (...a: unknown[]) => write("warn", a),
    error: (...a: unknown[]) => write("error", a),
    setLevel: () => {},
    getLevel: () => LEVELS[log.level] ?? LogLevel.ERROR,
    setName: () => {},
  };
}

/** Build the Bolt app on the core, with the receiver the transport calls for, and register every listener. */
export function createSlackApp(opts: SlackAppOptions): SlackBot {
  const log = opts.log;
  const quiet = new QuietGate();
  const work = new WorkQueue(
    (e, key) => log.error({ err: e, key }, "queued Slack work failed"),
    opts.concurrency,
    () => quiet.wait(),
  );
  const questions = new WorkQueue(
    (e, key) => log.error({ err: e, key }, "queued Slack question failed"),
    QUESTION_CONCURRENCY,
    () => quiet.wait(),
  );
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: opts.retryConfig ?? webApi.retryPolicies.fiveRetriesInFiveMinutes,
    timeout: WEB_API_TIMEOUT_MS,
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
  };
  const boltLog = boltLogger(log.child({ component: "bolt" }));
  // The outbox's client: no retries of its own and 429s handed back, so a timed-out post is looked
  // for before it is sent again and one rate-limited call never pauses every other call.
  const api =
    opts.webClient ??
    new webApi.WebClient(opts.botToken, {
      ...clientOptions,
      timeout: opts.webApiTimeoutMs ?? WEB_API_TIMEOUT_MS,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: boltLog,
    });
  const ctx = outboxContext(opts.core);
  const worker = new OutboxWorker(ctx, api, log.child({ component: "outbox" }), opts.outboxTiming, () =>
    quiet.wait(),
  );
  // Every change to a review plans its Slack deliveries inside the change's own transaction.
  opts.core.reviews.onChange((reviewId) => planDeliveries(ctx, reviewId));
  const deps: SlackDeps = {
    kb: opts.core.kb,
    reviews: opts.core.reviews,
    deliveries: ctx,
    worker,
    api,
    log,
    work,
    // One service for the app's lifetime: it builds the search index once and loads the model once.
    qa: new QaService({
      kb: opts.core.kb,
      reviews: opts.core.reviews,
      llm: opts.llm,
      // The event carries no question text, so nothing a person typed reaches the log.
      onFallback: (f) => log.warn({ task: f.task, reason: f.reason, detail: f.detail }, "LLM reply not used"),
    }),
    questions,
    filesUrl: opts.filesUrl ?? DEFAULT_FILES_URL,
  };
  const common = {
    token: opts.botToken,
    logger: boltLog,
    clientOptions,
    // Conversation state lives in SQLite; Bolt's in-memory store would only cost time.
    convoStore: false as const,
  };
  const receiver =
    opts.transport.kind === "http"
      ? new GuardedHttpReceiver({
          signingSecret: opts.transport.signingSecret,
          logger: common.logger,
          onRequest: (_req, res) => {
            quiet.enter();
            let left = false;
            const leave = () => {
              if (!left) quiet.leave();
              left = true;
            };
            res.once("finish", leave);
            res.once("close", leave);
          },
        })
      : deferredAckSocketReceiver({
          appToken: opts.transport.appToken,
          logger: common.logger,
          clientOptions,
          app: () => app,
        });
  // No request is taken before start() has checked the token (init) and then opened the port.
  const app: App = new App({ ...common, receiver, deferInitialization: true });
  app.error(async (error) => {
    log.error({ err: error }, "unhandled error in a Slack listener");
  });
  registerListeners(app, deps);
  // secretlint loads on first use; load it now so the first typed answer is not the slow one.
  void maskSecrets("warm-up").catch((e: unknown) => log.warn({ err: e }, "secret scanner failed to load"));

  const transport = opts.transport.kind;
  return {
    app,
    deps,
    async start(listen) {
      await app.init();
      worker.start();
      if (transport === "socket") {
        await app.start();
        return {};
      }
      const server: Server = await app.start(listen ?? { port: 3000 });
      const address = server.address();
      return { port: typeof address === "object" && address ? address.port : undefined };
    },
    async stop(drainMs = SHUTDOWN_DRAIN_MS) {
      // No new requests first; then at most drainMs for what is being sent. The rest waits in the
      // database for the next start.
      await app.stop();
      await Promise.race([work.idle(), new Promise((r) => setTimeout(r, drainMs).unref())]);
      await worker.drain(drainMs);
    },
    async idle() {
      // Review work can queue a question (a reply in a review thread); questions queue nothing.
      await work.idle();
      await questions.idle();
      await worker.idle();
    },
  };
}

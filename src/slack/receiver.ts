import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { ListenOptions } from "node:net";
import {
  type App,
  type Logger as BoltLogger,
  HTTPModuleFunctions,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from "@slack/bolt";
import { z } from "zod";

/*
 * Why this receiver exists instead of Bolt's HTTPReceiver (Bolt 5.x):
 * - HTTPReceiver reads `body.ssl_check` from whatever the body parsed to. A validly signed body of
 *   `null` (JSON) or `payload=null` (form) makes that throw inside a detached async closure: an
 *   unhandled rejection that ends the process.
 * - A listener that throws turns into HTTP 500, and a request no listener acknowledges waits 3 s
 *   for a 404; Slack then retries it.
 * - Its signature check refuses stale timestamps only; a request stamped in the future passes.
 * - Events are acknowledged before their listeners run, so an answer typed as a thread reply was
 *   acknowledged before it was stored.
 * This one reuses Bolt's signature verification and response helpers, and adds the checks above.
 */

/** How far a request's timestamp may be from now, in either direction (Slack's own rule is five minutes). */
export const MAX_CLOCK_SKEW_S = 5 * 60;
/** Slack's payloads are a few kilobytes; anything near this is not from Slack. */
const BODY_LIMIT = 1024 * 1024;
/** A request whose listeners neither acknowledged nor finished by then gets a 4xx, never a hung socket. */
const HANDLER_LIMIT_MS = 10_000;

const Id = z.string().min(1).max(255);
const Obj = z.record(z.string(), z.unknown());

/**
 * The payload families this app handles, with the fields Bolt and the listeners read typed. Anything
 * else is logged and acknowledged without reaching a listener, so a wrong type is never thrown.
 */
const EventBody = z.looseObject({
  type: z.literal("event_callback"),
  team_id: Id.optional(),
  event: z.looseObject({
    type: Id,
    channel: z.union([Id, z.looseObject({ id: Id })]).optional(),
    channel_id: Id.optional(),
    item: Obj.optional(),
    user: z.union([z.string(), Obj]).optional(),
    text: z.string().optional(),
    ts: z.string().optional(),
    thread_ts: z.string().optional(),
    subtype: z.string().optional(),
    bot_id: z.string().optional(),
    message: Obj.optional(),
    assistant_thread: z.looseObject({ channel_id: Id, thread_ts: Id }).optional(),
  }),
  authorizations: z.array(Obj).optional(),
});
const CommandBody = z.looseObject({
  command: Id,
  team_id: Id,
  channel_id: Id,
  user_id: Id,
  text: z.string().optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});
const Who = z.looseObject({ id: Id, team_id: z.string().optional() });
const ActionsBody = z.looseObject({
  type: z.literal("block_actions"),
  team: z.looseObject({ id: Id }).nullish(),
  user: Who,
  channel: z.looseObject({ id: Id }).optional(),
  response_url: z.string().optional(),
  actions: z
    .array(z.looseObject({ action_id: Id, block_id: z.string().optional(), type: z.string().optional() }))
    .min(1),
});
const ViewBody = z.looseObject({
  type: z.enum(["view_submission", "view_closed"]),
  team: z.looseObject({ id: Id }).nullish(),
  user: Who,
  view: z.looseObject({ id: Id, callback_id: z.string(), private_metadata: z.string().optional() }),
  response_urls: z.array(Obj).optional(),
});
const SlackBody = z.union([EventBody, CommandBody, ActionsBody, ViewBody]);

export type ParsedBody =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: 400; reason: string };

/** Parse a verified body the way Slack sends it: JSON for events, a form for the rest (interactivity in `payload`). */
export function parseSlackBody(raw: string, contentType: string | undefined): ParsedBody {
  let parsed: unknown;
  try {
    if ((contentType ?? "").startsWith("application/json")) parsed = JSON.parse(raw);
    else {
      const form = Object.fromEntries(new URLSearchParams(raw));
      parsed = typeof form.payload === "string" ? JSON.parse(form.payload) : form;
    }
  } catch {
    return { ok: false, status: 400, reason: "body is not JSON or a form" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { ok: false, status: 400, reason: "body is not an object" };
  return { ok: true, body: parsed as Record<string, unknown> };
}

/** The signing check: a timestamp within five minutes either way, then Bolt's HMAC comparison. */
export function verifySignature(
  secret: string,
  headers: IncomingMessage["headers"],
  raw: string,
  nowMs: number,
): string | undefined {
  const tsHeader = headers["x-slack-request-timestamp"];
  const sig = headers["x-slack-signature"];
  if (typeof tsHeader !== "string" || !/^\d{1,12}$/.test(tsHeader)) return "missing or malformed timestamp";
  if (typeof sig !== "string") return "missing signature";
  const ts = Number(tsHeader);
  if (Math.abs(nowMs / 1000 - ts) > MAX_CLOCK_SKEW_S) return "timestamp more than five minutes from now";
  try {
    verifySlackRequest({
      signingSecret: secret,
      body: raw,
      headers: { "x-slack-signature": sig, "x-slack-request-timestamp": ts },
      nowMilliseconds: nowMs,
    });
    return undefined;
  } catch {
    return "signature does not match";
  }
}

export interface GuardedReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  endpoint?: string;
  now?: () => number;
  /** Called for every request as it arrives (the app counts open requests with it). */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Bolt's receiver contract over node:http, guarded so no request can end the process or get a 5xx. */
export class GuardedHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly endpoint: string;
  private readonly now: () => number;

  constructor(private readonly opts: GuardedReceiverOptions) {
    this.endpoint = opts.endpoint ?? "/slack/events";
    this.now = opts.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(listen: ListenOptions): Promise<Server> {
    const server = createServer((req, res) => {
      this.opts.onRequest?.(req, res);
      this.handle(req, res).catch((e: unknown) => {
        this.opts.logger.error("request handling failed", e);
        respond(res, 400);
      });
    });
    server.on("clientError", (_e, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(listen, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    return server;
  }

  /** Stop accepting requests; requests already in flight finish. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "POST" || path !== this.endpoint) return respond(res, 404);
    const raw = await readBody(req);
    if (raw === undefined) return respond(res, 413);
    const problem = verifySignature(this.opts.signingSecret, req.headers, raw, this.now());
    if (problem) {
      this.opts.logger.warn(`refused a request: ${problem}`);
      return respond(res, 401);
    }
    const parsed = parseSlackBody(raw, req.headers["content-type"]);
    if (!parsed.ok) {
      this.opts.logger.warn(`refused a signed request: ${parsed.reason}`);
      return respond(res, parsed.status);
    }
    const body = parsed.body;
    if (body.ssl_check === "1") return respond(res, 200);
    if (body.type === "url_verification" && typeof body.challenge === "string")
      return HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
    const shape = SlackBody.safeParse(body);
    if (!shape.success) {
      this.opts.logger.warn(
        `acknowledged a signed request of a shape this app does not handle (${shape.error.issues[0]?.path.join(".") ?? "?"})`,
      );
      return respond(res, 200);
    }
    await this.dispatch(body, req, res);
  }

  /**
   * Hand the request to Bolt. A listener's ack answers at once, except for events: Bolt acknowledges
   * those before their listeners run, so their response waits for the listeners, which store what
   * must be stored and queue the rest. A request no listener acknowledged is answered when they finish.
   */
  private async dispatch(body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) {
    const isEvent = body.type === "event_callback";
    let acked = false;
    let stored: unknown;
    const timer = setTimeout(() => {
      this.opts.logger.warn("a listener took too long; request answered 408");
      respond(res, 408);
    }, HANDLER_LIMIT_MS);
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        stored = response;
        if (!isEvent) {
          clearTimeout(timer);
          respondWith(res, response);
        }
      },
      retryNum: retryNum(req),
      retryReason: headerOf(req, "x-slack-retry-reason"),
    };
    try {
      await this.app?.processEvent(event);
    } catch (e) {
      this.opts.logger.error("a listener failed", e);
    } finally {
      clearTimeout(timer);
    }
    if (!res.headersSent) respondWith(res, acked ? stored : undefined);
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" ? v : undefined;
}

function retryNum(req: IncomingMessage): number | undefined {
  const n = Number(headerOf(req, "x-slack-retry-num"));
  return Number.isSafeInteger(n) ? n : undefined;
}

function respond(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status).end();
}

function respondWith(res: ServerResponse, body: unknown): void {
  if (res.headersSent) return;
  if (body === undefined || body === null || body === "") respond(res, 200);
  else HTTPModuleFunctions.buildContentResponse(res, body);
}

/** The body as text, or undefined when it is larger than any Slack request. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) over = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

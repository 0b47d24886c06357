import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A stand-in for Slack's side, on 127.0.0.1 only: the Web API methods the app calls, the file
 * upload URL, response_url endpoints and a Socket Mode WebSocket. It records every call, keeps the
 * messages as Slack would show them (posted, updated, deleted), and rejects what Slack rejects:
 * wrong tokens, unknown channels, and blocks over Block Kit's limits.
 */

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
}

export interface ChannelInfo {
  isPrivate: boolean;
  /** Whether the bot is a member (it can only post where it is). */
  member: boolean;
  isIm?: boolean;
}

export interface Message {
  channel: string;
  ts: string;
  threadTs?: string | undefined;
  text: string;
  blocks: Block[];
  /** How many times chat.update changed it. */
  updates: number;
  /** Message metadata the app attached (Slack returns it with include_all_metadata). */
  metadata?: { event_type: string; event_payload: Record<string, unknown> } | undefined;
}

/** A file shared into a channel or thread by files.completeUploadExternal, as conversations.* list it. */
export interface FileMessage {
  channel: string;
  ts: string;
  threadTs?: string | undefined;
  files: { id: string; name: string }[];
}

/**
 * A way for a Web API method to misbehave, for fault tests: answer slowly (after doing the work, as
 * Slack does when it is slow to reply), or refuse with 429 or fail with 500 before doing anything.
 * `rate` is the share of calls affected (a seeded pseudo-random draw, so runs repeat).
 */
export interface Fault {
  delayMs?: number;
  status?: 429 | 500;
  retryAfterS?: number;
  rate?: number;
}

export interface Ephemeral {
  via: "response_url" | "chat.postEphemeral";
  user?: string | undefined;
  channel?: string | undefined;
  text: string;
  blocks: Block[];
}

export interface Upload {
  fileId: string;
  filename: string;
  content: string;
  channelId?: string | undefined;
  threadTs?: string | undefined;
  initialComment?: string | undefined;
  completed: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as the app sent it
export type Block = Record<string, any>;

/** A file a person shared, as files.info describes it; its bytes are served at url_private_download. */
export interface SharedFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  mode: string;
  is_external: boolean;
  url_private: string;
  url_private_download: string;
}

export interface FakeSlackOptions {
  botToken: string;
  appToken?: string;
  teamId?: string;
  channels?: Record<string, ChannelInfo>;
}

const MAX_BODY = 5 * 1024 * 1024;
const JSON_ARGS = new Set(["blocks", "view", "files", "attachments", "metadata", "prompts"]);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The Web API client sends form fields, with nested values as JSON strings. */
function formArgs(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = JSON_ARGS.has(k) ? JSON.parse(v) : v;
  }
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(text);
}

const textOf = (o: unknown): string =>
  typeof o === "object" && o !== null && typeof (o as { text?: unknown }).text === "string"
    ? (o as { text: string }).text
    : "";

/** Block Kit's published limits, checked the way Slack checks them before accepting a message or view. */
export function blockKitProblems(blocks: unknown, surface: "message" | "view"): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ["blocks is not an array"];
  const maxBlocks = surface === "message" ? 50 : 100;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks, more than ${maxBlocks}`);
  const blockIds = new Set<string>();
  for (const [i, b] of (blocks as Block[]).entries()) {
    const at = `block ${i} (${b.type})`;
    if (b.block_id !== undefined) {
      if (String(b.block_id).length > 255) problems.push(`${at}: block_id over 255`);
      if (blockIds.has(b.block_id)) problems.push(`${at}: repeated block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case "section": {
        if (textOf(b.text).length > 3000) problems.push(`${at}: text of ${textOf(b.text).length} chars`);
        if (!b.text && !b.fields) problems.push(`${at}: neither text nor fields`);
        if (b.fields) {
          if (b.fields.length > 10) problems.push(`${at}: ${b.fields.length} fields`);
          for (const f of b.fields) if (textOf(f).length > 2000) problems.push(`${at}: field over 2000`);
        }
        break;
      }
      case "header":
        if (textOf(b.text).length > 150) problems.push(`${at}: header over 150`);
        break;
      case "context":
        if (!Array.isArray(b.elements) || b.elements.length > 10) problems.push(`${at}: context elements`);
        for (const e of b.elements ?? []) if (textOf(e).length > 3000) problems.push(`${at}: context text`);
        break;
      case "actions": {
        if (!Array.isArray(b.elements) || b.elements.length > 25) problems.push(`${at}: actions elements`);
        const actionIds = new Set<string>();
        for (const e of b.elements ?? []) {
          if (actionIds.has(e.action_id)) problems.push(`${at}: repeated action_id ${e.action_id}`);
          actionIds.add(e.action_id);
          if (String(e.action_id ?? "").length > 255) problems.push(`${at}: action_id over 255`);
          if (e.type === "button") {
            if (textOf(e.text).length > 75) problems.push(`${at}: button text of ${textOf(e.text).length}`);
            if (String(e.value ?? "").length > 2000) problems.push(`${at}: button value over 2000`);
          }
        }
        break;
      }
      case "input": {
        if (surface === "message") problems.push(`${at}: input blocks belong in views`);
        if (textOf(b.label).length > 2000) problems.push(`${at}: label over 2000`);
        if (b.hint && textOf(b.hint).length > 2000) problems.push(`${at}: hint over 2000`);
        const el = b.element ?? {};
        if (el.max_length !== undefined && el.max_length > 3000) problems.push(`${at}: max_length over 3000`);
        for (const o of el.options ?? [])
          if (textOf(o.text).length > 75) problems.push(`${at}: option text over 75`);
        if ((el.options ?? []).length > 100) problems.push(`${at}: over 100 options`);
        break;
      }
      case "divider":
        break;
      default:
        problems.push(`${at}: block type not used by this app`);
    }
  }
  return problems;
}

function viewProblems(view: Block): string[] {
  const problems = blockKitProblems(view.blocks, "view");
  if (view.type === "modal") {
    if (textOf(view.title).length > 24) problems.push("modal title over 24");
    if (view.submit && textOf(view.submit).length > 24) problems.push("modal submit over 24");
    if (view.close && textOf(view.close).length > 24) problems.push("modal close over 24");
  }
  if (String(view.private_metadata ?? "").length > 3000) problems.push("private_metadata over 3000");
  return problems;
}

/** Plays Slack's end of Socket Mode: says hello, sends envelopes, and collects the app's acks. */
export class FakeSocketMode {
  private readonly acks = new Map<string, (ack: Record<string, unknown>) => void>();
  private socket: WebSocket | undefined;
  private connected: Promise<void>;
  private markConnected!: () => void;
  readonly acksReceived: Record<string, unknown>[] = [];

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    this.connected = new Promise((resolve) => {
      this.markConnected = resolve;
    });
    wss.on("connection", (ws) => {
      this.socket = ws;
      ws.on("message", (data) => {
        const ack = JSON.parse(String(data)) as Record<string, unknown>;
        this.acksReceived.push(ack);
        const id = String(ack.envelope_id ?? "");
        this.acks.get(id)?.(ack);
        this.acks.delete(id);
      });
      ws.send(
        JSON.stringify({
          type: "hello",
          num_connections: 1,
          debug_info: { host: "fake-slack", approximate_connection_time: 3600 },
          connection_info: { app_id: "A0FAKE" },
        }),
      );
      this.markConnected();
    });
  }

  static async start(): Promise<FakeSocketMode> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/link" });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    const { port } = wss.address() as AddressInfo;
    return new FakeSocketMode(wss, `ws://127.0.0.1:${port}/link`);
  }

  /** Send one envelope and wait (bounded) for the app to acknowledge it. */
  async deliver(
    type: "slash_commands" | "interactive" | "events_api",
    payload: unknown,
    timeoutMs = 3000,
  ): Promise<Record<string, unknown>> {
    await this.connected;
    const envelopeId = randomUUID();
    const ack = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(envelopeId);
        reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(envelopeId, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
    });
    this.socket?.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
        retry_attempt: 0,
        retry_reason: "",
      }),
    );
    return ack;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly messages: Message[] = [];
  readonly ephemerals: Ephemeral[] = [];
  readonly uploads: Upload[] = [];
  readonly fileMessages: FileMessage[] = [];
  /** Files people shared, by id, with the bytes Slack would serve for them. */
  private readonly shared = new Map<string, { file: SharedFile; content: Buffer }>();
  private readonly faults = new Map<string, Fault>();
  private rand = 0x2545f491;
  readonly views: { method: string; view: Block; user?: string | undefined }[] = [];
  /** Anything real Slack would have rejected or that would misbehave there; tests expect none. */
  readonly problems: string[] = [];
  readonly teamId: string;
  socketMode: FakeSocketMode | undefined;
  /** Called as each Web API call arrives, before it is answered: a test can look at the app's state then. */
  readonly observers: ((call: RecordedCall) => void)[] = [];
  private readonly channels: Map<string, ChannelInfo>;
  private readonly failures = new Map<string, string>();
  private clock = 1_700_000_000;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly opts: FakeSlackOptions,
  ) {
    this.teamId = opts.teamId ?? "T0FAKE";
    this.channels = new Map(Object.entries(opts.channels ?? {}));
  }

  static async start(opts: FakeSlackOptions): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      fake?.handle(req, res).catch((e: unknown) => {
        fake?.problems.push(`fake Slack failed on ${req.url}: ${(e as Error).message}`);
        if (!res.headersSent) send(res, 500, { ok: false, error: "fake_failure" });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`, opts);
    if (opts.appToken) fake.socketMode = await FakeSocketMode.start();
    return fake;
  }

  /** What the app's `clientOptions.slackApiUrl` points at. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Where shared files are downloaded from (the app's SLACK_FILES_URL). */
  get filesUrl(): string {
    return `${this.baseUrl}/files-pri/`;
  }

  /**
   * A file as a person's upload leaves it in Slack. `file` overrides what files.info says about it
   * (a size that does not match the bytes, a download URL elsewhere, an external file).
   */
  shareFile(name: string, content: string | Buffer, file: Partial<SharedFile> = {}): SharedFile {
    const id = `F${String(this.shared.size + 1).padStart(4, "0")}SHARED`;
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const path = `${this.teamId}-${id}`;
    const described: SharedFile = {
      id,
      name,
      title: name,
      mimetype: "text/plain",
      filetype: "text",
      size: bytes.length,
      mode: "hosted",
      is_external: false,
      url_private: `${this.filesUrl}${path}/${encodeURIComponent(name)}`,
      url_private_download: `${this.filesUrl}${path}/download/${encodeURIComponent(name)}`,
      ...file,
    };
    this.shared.set(id, { file: described, content: bytes });
    return described;
  }

  /** A fresh response_url, as Slack puts one in every command and message action. */
  responseUrl(): string {
    return `${this.baseUrl}/response/${randomUUID()}`;
  }

  setChannel(id: string, info: ChannelInfo): void {
    this.channels.set(id, info);
  }

  /** Make a method misbehave until cleared with `clearFaults` (see Fault). */
  fault(method: string, f: Fault): void {
    this.faults.set(method, f);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** xorshift32: a repeatable sequence of draws in [0, 1). */
  private draw(): number {
    let x = this.rand;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rand = x >>> 0;
    return this.rand / 0x1_0000_0000;
  }

  /** Make the next call to a method fail with a Slack error code. */
  failNext(method: string, error: string): void {
    this.failures.set(method, error);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages in a thread (the root first), as a person would see them now. */
  thread(channel: string, rootTs: string): Message[] {
    return this.messages.filter((m) => m.channel === channel && (m.ts === rootTs || m.threadTs === rootTs));
  }

  /** Poll until `check` returns something, bounded in time; the error says what never happened. */
  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    await this.socketMode?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextTs(): string {
    this.seq += 1;
    return `${this.clock}.${String(this.seq).padStart(6, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const body = await readBody(req);
    if (req.method === "GET" && url.pathname.startsWith("/files-pri/")) return this.download(req, res, url);
    if (req.method !== "POST") return send(res, 405, { ok: false, error: "method_not_allowed" });

    if (url.pathname.startsWith("/response/")) {
      const posted = JSON.parse(body.toString("utf8")) as Block;
      this.calls.push({ method: "response_url", args: posted, token: undefined });
      if (posted.blocks) this.problems.push(...blockKitProblems(posted.blocks, "message"));
      this.ephemerals.push({
        via: "response_url",
        text: String(posted.text ?? ""),
        blocks: posted.blocks ?? [],
      });
      return send(res, 200, { ok: true });
    }

    if (url.pathname.startsWith("/upload/")) {
      const fileId = url.pathname.slice("/upload/".length);
      const upload = this.uploads.find((u) => u.fileId === fileId);
      if (!upload) return send(res, 404, { ok: false, error: "unknown_upload" });
      const form = await new Request(url, {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"] ?? "") },
        body: new Uint8Array(body),
      }).formData();
      let content = "";
      for (const [, v] of form) if (typeof v !== "string") content += await v.text();
      upload.content = content;
      this.calls.push({ method: "upload", args: { fileId, bytes: content.length }, token: undefined });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`OK - ${content.length}`);
      return;
    }

    if (!url.pathname.startsWith("/api/")) return send(res, 404, { ok: false, error: "not_found" });
    const method = url.pathname.slice("/api/".length);
    const type = String(req.headers["content-type"] ?? "");
    let args: Record<string, unknown>;
    if (type.startsWith("application/x-www-form-urlencoded")) args = formArgs(body.toString("utf8"));
    else if (type.startsWith("application/json")) args = JSON.parse(body.toString("utf8") || "{}");
    else args = {};
    const auth = String(req.headers.authorization ?? "");
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const call = { method, args, token };
    this.calls.push(call);
    for (const o of this.observers) o(call);

    const wanted = method === "apps.connections.open" ? this.opts.appToken : this.opts.botToken;
    if (!token || token !== wanted) {
      this.problems.push(`${method} called without the right token`);
      return send(res, 200, { ok: false, error: "invalid_auth" });
    }
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      return send(res, 200, { ok: false, error: failure });
    }
    const fault = this.faults.get(method);
    const hit = fault && this.draw() < (fault.rate ?? 1);
    if (hit && fault.status === 429) {
      res.setHeader("retry-after", String(fault.retryAfterS ?? 1));
      return send(res, 429, { ok: false, error: "ratelimited" });
    }
    if (hit && fault.status === 500) return send(res, 500, { ok: false, error: "internal_error" });
    if (("link_names" in args && String(args.link_names) !== "false") || "parse" in args) {
      this.problems.push(`${method} sent with link_names or parse, which turns user text into mentions`);
    }
    const answer = this.answer(method, args);
    if (hit && fault.delayMs) {
      // Slack has done the work; only its answer is late.
      await new Promise((r) => setTimeout(r, fault.delayMs));
      if (res.destroyed) return;
    }
    return send(res, 200, answer);
  }

  /**
   * A shared file's bytes, only with the bot token (files:read), as Slack serves url_private_download;
   * without it Slack shows its sign-in page.
   */
  private download(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const auth = String(req.headers.authorization ?? "");
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
    this.calls.push({ method: "files.download", args: { path: url.pathname }, token });
    const id = /^\/files-pri\/[^/]+-([^/]+)\/download\//.exec(url.pathname)?.[1];
    const entry = id ? this.shared.get(id) : undefined;
    if (token !== this.opts.botToken) {
      this.problems.push("a file was downloaded without the bot token");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<html><body>Sign in to Slack</body></html>");
      return;
    }
    if (!entry) {
      send(res, 404, { ok: false, error: "file_not_found" });
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(entry.content);
  }

  /** A message as conversations.history and conversations.replies return it. */
  private listed(m: Message | FileMessage, withMetadata: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { type: "message", ts: m.ts, thread_ts: m.threadTs };
    if ("files" in m) out.files = m.files;
    else {
      out.text = m.text;
      if (withMetadata && m.metadata) out.metadata = m.metadata;
    }
    return out;
  }

  private canPost(channel: string): { ok: true; channel: string } | { ok: false; error: string } {
    // Posting to a user id lands in the app's DM with that user.
    if (/^[UW]/.test(channel)) return { ok: true, channel: `D${channel.slice(1)}` };
    if (channel.startsWith("D") && this.messages.some((m) => m.channel === channel))
      return { ok: true, channel };
    const info = this.channels.get(channel);
    if (!info) return { ok: false, error: "channel_not_found" };
    if (!info.member) return { ok: false, error: "not_in_channel" };
    return { ok: true, channel };
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : undefined);
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://fake.slack.test/",
          team: "Fake",
          user: "threatbot",
          team_id: this.teamId,
          user_id: "UBOT",
          bot_id: "BBOT",
        };
      case "apps.connections.open":
        return this.socketMode ? { ok: true, url: this.socketMode.url } : { ok: false, error: "not_allowed" };
      case "conversations.info": {
        const id = str("channel") ?? "";
        const info = this.channels.get(id);
        if (!info || (info.isPrivate && !info.member)) return { ok: false, error: "channel_not_found" };
        return {
          ok: true,
          channel: {
            id,
            is_channel: !info.isPrivate && !info.isIm,
            is_group: info.isPrivate && !info.isIm,
            is_im: Boolean(info.isIm),
            is_mpim: false,
            is_private: info.isPrivate,
            is_member: info.member,
          },
        };
      }
      case "chat.postMessage": {
        const where = this.canPost(str("channel") ?? "");
        if (!where.ok) return where;
        const blocks = (args.blocks as Block[] | undefined) ?? [];
        const problems = blockKitProblems(blocks, "message");
        if (problems.length > 0) {
          this.problems.push(...problems.map((p) => `chat.postMessage: ${p}`));
          return { ok: false, error: "invalid_blocks" };
        }
        const ts = this.nextTs();
        const m: Message = {
          channel: where.channel,
          ts,
          threadTs: str("thread_ts"),
          text: str("text") ?? "",
          blocks,
          updates: 0,
          metadata: args.metadata as Message["metadata"],
        };
        this.messages.push(m);
        return { ok: true, channel: where.channel, ts, message: { ts, text: m.text } };
      }
      case "conversations.replies": {
        const channel = str("channel") ?? "";
        const ts = str("ts") ?? "";
        const withMeta = String(args.include_all_metadata) === "true";
        const inThread = [
          ...this.messages.filter((m) => m.channel === channel && (m.ts === ts || m.threadTs === ts)),
          ...this.fileMessages.filter((f) => f.channel === channel && f.threadTs === ts),
        ];
        if (inThread.length === 0) return { ok: false, error: "thread_not_found" };
        return { ok: true, messages: inThread.map((m) => this.listed(m, withMeta)), has_more: false };
      }
      case "conversations.history": {
        const channel = str("channel") ?? "";
        const oldest = Number(str("oldest") ?? "0");
        const withMeta = String(args.include_all_metadata) === "true";
        const top = [
          ...this.messages.filter((m) => m.channel === channel && !m.threadTs),
          ...this.fileMessages.filter((f) => f.channel === channel && !f.threadTs),
        ].filter((m) => Number(m.ts) >= oldest);
        return { ok: true, messages: top.map((m) => this.listed(m, withMeta)).reverse(), has_more: false };
      }
      case "chat.update": {
        const m = this.messages.find((x) => x.channel === str("channel") && x.ts === str("ts"));
        if (!m) return { ok: false, error: "message_not_found" };
        const blocks = (args.blocks as Block[] | undefined) ?? m.blocks;
        const problems = blockKitProblems(blocks, "message");
        if (problems.length > 0) {
          this.problems.push(...problems.map((p) => `chat.update: ${p}`));
          return { ok: false, error: "invalid_blocks" };
        }
        m.blocks = blocks;
        m.text = str("text") ?? m.text;
        m.updates += 1;
        return { ok: true, channel: m.channel, ts: m.ts };
      }
      case "chat.delete": {
        const i = this.messages.findIndex((x) => x.channel === str("channel") && x.ts === str("ts"));
        if (i < 0) return { ok: false, error: "message_not_found" };
        this.messages.splice(i, 1);
        return { ok: true };
      }
      case "chat.postEphemeral": {
        const where = this.canPost(str("channel") ?? "");
        if (!where.ok) return where;
        const blocks = (args.blocks as Block[] | undefined) ?? [];
        this.problems.push(...blockKitProblems(blocks, "message").map((p) => `chat.postEphemeral: ${p}`));
        this.ephemerals.push({
          via: "chat.postEphemeral",
          user: str("user"),
          channel: where.channel,
          text: str("text") ?? "",
          blocks,
        });
        return { ok: true, message_ts: this.nextTs() };
      }
      case "views.open":
      case "views.publish":
      case "views.update": {
        const view = args.view as Block | undefined;
        if (!view) return { ok: false, error: "invalid_arguments" };
        if (method === "views.open" && !str("trigger_id")) return { ok: false, error: "invalid_trigger_id" };
        const problems = viewProblems(view);
        if (problems.length > 0) {
          this.problems.push(...problems.map((p) => `${method}: ${p}`));
          return { ok: false, error: "invalid_arguments" };
        }
        this.views.push({ method, view, user: str("user_id") });
        return { ok: true, view: { ...view, id: `V${String(this.views.length).padStart(6, "0")}` } };
      }
      case "files.getUploadURLExternal": {
        const fileId = `F${String(this.uploads.length + 1).padStart(6, "0")}`;
        this.uploads.push({ fileId, filename: str("filename") ?? "", content: "", completed: false });
        return { ok: true, upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal": {
        const files = (args.files as { id: string; title?: string }[] | undefined) ?? [];
        for (const f of files) {
          const u = this.uploads.find((x) => x.fileId === f.id);
          if (!u) return { ok: false, error: "file_not_found" };
          const channel = str("channel_id");
          if (channel) {
            const where = this.canPost(channel);
            if (!where.ok) return where;
            u.channelId = where.channel;
          }
          u.threadTs = str("thread_ts");
          u.initialComment = str("initial_comment");
          u.completed = true;
          if (u.channelId)
            this.fileMessages.push({
              channel: u.channelId,
              ts: this.nextTs(),
              threadTs: u.threadTs,
              files: [{ id: u.fileId, name: u.filename }],
            });
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      case "files.info": {
        const entry = this.shared.get(str("file") ?? "");
        return entry ? { ok: true, file: entry.file } : { ok: false, error: "file_not_found" };
      }
      case "assistant.threads.setStatus":
      case "assistant.threads.setSuggestedPrompts":
      case "assistant.threads.setTitle": {
        // Only an assistant thread takes these: a DM with the app, at a thread's ts.
        const channel = str("channel_id") ?? "";
        if (!channel.startsWith("D") || !str("thread_ts")) return { ok: false, error: "invalid_arguments" };
        if (method === "assistant.threads.setStatus" && str("status") === undefined)
          return { ok: false, error: "invalid_arguments" };
        if (method === "assistant.threads.setSuggestedPrompts") {
          const prompts = args.prompts as { title?: unknown; message?: unknown }[] | undefined;
          if (!Array.isArray(prompts) || prompts.length === 0 || prompts.length > 4)
            return { ok: false, error: "invalid_arguments" };
        }
        return { ok: true };
      }
      default:
        this.problems.push(`unexpected Web API method ${method}`);
        return { ok: false, error: "unknown_method" };
    }
  }
}

/**
 * Slack's side of the Slack benchmark, run as child processes driven over IPC by bench/slack.ts,
 * so that nothing on Slack's side shares an event loop with the app being measured:
 *
 * - `api`: the loopback Web API (FakeSlack) the apps call after their acks;
 * - `load`: a load generator that holds one keep-alive connection per concurrent request, writes
 *   pre-built signed requests in one go and times each from its write to its complete response.
 *   Raw sockets keep the generator's own cost per request to microseconds.
 */
import { connect, type Socket } from "node:net";
import { z } from "zod";
import { type Block, FakeSlack } from "./fake-slack.js";

const ApiRequest = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), botToken: z.string(), channels: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("questions"), from: z.number().int() }),
  z.object({ type: z.literal("stop") }),
]);

const LoadRequest = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("burst"),
    host: z.string(),
    port: z.number().int(),
    requests: z.array(z.string()),
  }),
  z.object({ type: z.literal("stop") }),
]);

let fake: FakeSlack | undefined;

/** The first option of a choice question, or Skip on a free-text one: a click that records an answer. */
function answerButton(blocks: Block[]): Block | undefined {
  const buttons = blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements as Block[]);
  return (
    buttons.find((b) => /^tb_option_/.test(b.action_id)) ?? buttons.find((b) => b.action_id === "tb_skip")
  );
}

async function api(raw: unknown): Promise<unknown> {
  const req = ApiRequest.parse(raw);
  switch (req.type) {
    case "start":
      fake = await FakeSlack.start({
        botToken: req.botToken,
        channels: req.channels as Record<string, { isPrivate: boolean; member: boolean }>,
      });
      return { baseUrl: fake.baseUrl, apiUrl: fake.apiUrl, problems: [] };
    case "questions": {
      // The first question of every review, with its first option, for the next burst of clicks.
      const asked = (fake?.messages ?? []).filter((m) => m.text.startsWith("Question 1 of"));
      return {
        problems: fake?.problems ?? [],
        questions: asked.slice(req.from).map((m) => ({
          channel: m.channel,
          ts: m.ts,
          threadTs: m.threadTs,
          option: answerButton(m.blocks),
        })),
        total: asked.length,
      };
    }
    case "stop":
      await fake?.close();
      return {};
  }
}

/** One keep-alive connection; sends one request at a time and times it to the end of the response. */
class Connection {
  private buffer = "";
  private done: ((ms: number, status: number) => void) | undefined;
  private started = 0;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.check();
    });
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new Connection(socket)));
      socket.once("error", reject);
    });
  }

  send(request: Buffer): Promise<{ ms: number; status: number }> {
    return new Promise((resolve) => {
      this.buffer = "";
      this.done = (ms, status) => resolve({ ms, status });
      this.started = performance.now();
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private check(): void {
    const end = this.buffer.indexOf("\r\n\r\n");
    if (end < 0 || !this.done) return;
    const head = this.buffer.slice(0, end).toLowerCase();
    const status = Number(head.slice(9, 12));
    const length = /content-length: *(\d+)/.exec(head);
    const body = this.buffer.slice(end + 4);
    const complete = length
      ? body.length >= Number(length[1])
      : head.includes("transfer-encoding: chunked")
        ? body.endsWith("0\r\n\r\n")
        : true;
    if (!complete) return;
    const ms = performance.now() - this.started;
    const finish = this.done;
    this.done = undefined;
    finish(ms, status);
  }
}

async function load(raw: unknown): Promise<unknown> {
  const req = LoadRequest.parse(raw);
  if (req.type === "stop") return {};
  // Connections are opened before the clock starts, as Slack's are already open.
  const conns = await Promise.all(req.requests.map(() => Connection.open(req.host, req.port)));
  try {
    const results = await Promise.all(req.requests.map((r, i) => conns[i]?.send(Buffer.from(r, "latin1"))));
    const failed = results.filter((r) => r?.status !== 200);
    if (failed.length > 0) throw new Error(`${failed.length} requests failed (status ${failed[0]?.status})`);
    return { ms: results.map((r) => r?.ms ?? Number.NaN) };
  } finally {
    for (const c of conns) c.close();
  }
}

const role = process.argv[2] === "api" ? api : load;
process.on("message", (msg: { id: number; body: unknown }) => {
  role(msg.body).then(
    (result) => process.send?.({ id: msg.id, result }),
    (e: unknown) => process.send?.({ id: msg.id, error: (e as Error).message }),
  );
});

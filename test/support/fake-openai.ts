import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the server sends for one chat-completions request. */
export type FakeReply =
  | { content: string }
  | { status: number; body: string }
  /** Never answers (until the server closes), to exercise client timeouts. */
  | { hang: true };

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: {
    model?: string;
    messages?: { role: string; content: unknown }[];
    response_format?: unknown;
    tools?: unknown;
    stream?: boolean;
  };
}

export interface FakeOpenAi {
  /** Base URL to give the OpenAI client, e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replies are used in order; the last one repeats. */
  reply(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("request body over 1 MiB"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function completion(model: string | undefined, content: string): string {
  return JSON.stringify({
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: model ?? "fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });
}

/**
 * An OpenAI-compatible chat-completions endpoint on 127.0.0.1 (random port) that answers with
 * scripted replies and records every request, so the real OpenAI client runs end to end offline.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let replies: FakeReply[] = [{ status: 500, body: '{"error":{"message":"no reply scripted"}}' }];
  let served = 0;
  const requests: RecordedRequest[] = [];
  const hanging = new Set<() => void>();

  const server: Server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req);
      const path = req.url ?? "";
      if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(raw) as RecordedRequest["body"];
      requests.push({ path, authorization: req.headers.authorization, body });
      const reply = replies[Math.min(served, replies.length - 1)] as FakeReply;
      served++;
      if ("hang" in reply) {
        hanging.add(() => res.destroy());
        return;
      }
      if ("status" in reply) {
        res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(completion(body.model, reply.content));
    } catch (e) {
      res
        .writeHead(400, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: (e as Error).message } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    reply(...next) {
      replies = next;
      served = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const end of hanging) end();
        hanging.clear();
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

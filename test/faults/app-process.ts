import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { postToApp } from "../support/slack-requests.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A free loopback port, found by binding port 0 and letting it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote (its JSON log and any stderr). */
  output: string[];
  /** Resolves with the exit code or signal when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built app (`node dist/main.js`, as `npm start` runs it) in HTTP mode against the fake Slack. */
export async function startApp(env: Record<string, string>, output: string[] = []): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HTTP_HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => output.push(String(d)));
  child.stderr?.on("data", (d) => output.push(String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}/slack/events`;
  // Ready when the port answers: the app opens it only once it has checked its token.
  const until = Date.now() + 30_000;
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  for (;;) {
    if (ended) throw new Error(`the app exited while starting:\n${output.join("").slice(-2000)}`);
    try {
      await postToApp(url, "x", "text/plain", { secret: undefined }, 1000);
      return { child, url, output, exited };
    } catch {
      if (Date.now() > until) throw new Error("the app did not open its port within 30 s");
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

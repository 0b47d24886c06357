import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = ["--import", "tsx", "src/cli/main.ts"];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real `threatbot` command in its own process, from source so tests never run a stale build. */
export function startCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, THREATBOT_USER: "tester", NO_COLOR: "1", ...env },
  });
}

export function runCliProcess(
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, opts.env);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/** Collects a child's output and resolves when a pattern appears (bounded by a timeout). */
export class OutputWatcher {
  text = "";
  private waiters: { re: RegExp; from: number; resolve: () => void }[] = [];

  constructor(child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (d) => {
      this.text += d;
      this.waiters = this.waiters.filter((w) => {
        if (!w.re.test(this.text.slice(w.from))) return true;
        w.resolve();
        return false;
      });
    });
  }

  waitFor(re: RegExp, timeoutMs = 10_000): Promise<void> {
    const from = this.text.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${re}; output:\n${this.text.slice(-800)}`)),
        timeoutMs,
      );
      this.waiters.push({
        re,
        from,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

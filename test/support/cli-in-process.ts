import { PassThrough, Writable } from "node:stream";
import { runCli } from "../../src/cli/run.js";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command line run in this process with its own stdin, stdout and stderr: same code, no process start-up. */
export async function runCliInProcess(
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<InProcessResult> {
  let stdout = "";
  let stderr = "";
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        add(String(chunk));
        done();
      },
    });
  const stdin = new PassThrough();
  stdin.end(opts.input ?? "");
  const code = await runCli(args, {
    stdin,
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: { ...process.env, THREATBOT_USER: "tester", ...opts.env },
    user: "tester",
  });
  return { code, stdout, stderr };
}

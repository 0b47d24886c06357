import { userInfo } from "node:os";
import { CommanderError } from "commander";
import { InputError, KnowledgeError, NewFindingsError } from "../core/errors.js";
import { buildProgram, type CliIo } from "./program.js";

export const EXIT = { ok: 0, internal: 1, badInput: 2, newFindings: 3 } as const;

function defaultUser(env: NodeJS.ProcessEnv): string {
  try {
    return env.THREATBOT_USER ?? userInfo().username;
  } catch {
    return "terminal";
  }
}

/** Run the command line and map failures to exit codes: 2 for bad input, 1 for everything else. */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const env = io.env ?? process.env;
  const full: CliIo = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env,
    user: io.user ?? defaultUser(env),
  };
  const program = buildProgram(full);
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; usage mistakes are bad input.
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (e instanceof NewFindingsError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.newFindings;
    }
    if (e instanceof InputError) {
      full.stderr.write(`error: ${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof KnowledgeError) {
      full.stderr.write(`${e.message}\n`);
      return EXIT.internal;
    }
    full.stderr.write(
      debug
        ? `${(e as Error).stack}\n`
        : `internal error: ${(e as Error).message} (run with --debug for details)\n`,
    );
    return EXIT.internal;
  }
}

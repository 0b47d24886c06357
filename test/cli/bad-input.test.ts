import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APPLICATION_ID } from "../../src/storage/database.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { tempDir } from "../support/core.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const list = (db: string) => runCliInProcess(["--db", db, "list"]);

describe("--db that is not a Threatbot database", () => {
  it("refuses a text file, a folder, a damaged file and a newer schema with exit 2 and says what to do", async () => {
    const text = join(tmp.dir, "notes.txt");
    writeFileSync(text, "just some notes\n");
    const damaged = join(tmp.dir, "damaged.db");
    writeFileSync(damaged, Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4096, 0xab)]));
    const newer = join(tmp.dir, "newer.db");
    const n = new Database(newer);
    n.pragma(`application_id = ${APPLICATION_ID}`);
    n.pragma("user_version = 999");
    n.close();

    const cases: [string, RegExp][] = [
      [text, /not a SQLite database/],
      [tmp.dir, /is a folder/],
      [damaged, /damaged|not a SQLite database/],
      [newer, /newer than this Threatbot/],
    ];
    for (const [path, message] of cases) {
      const before = path === tmp.dir ? "" : sha(path);
      const r = await list(path);
      expect(r.code, path).toBe(2);
      expect(r.stderr, path).toMatch(message);
      expect(r.stderr).not.toContain("internal error");
      if (before) expect(sha(path), `${path} untouched`).toBe(before);
    }
  });

  it("refuses another application's SQLite file and leaves it byte for byte as it was", async () => {
    const other = join(tmp.dir, "app.sqlite");
    const db = new Database(other);
    db.exec(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'a');",
    );
    db.close();
    const before = sha(other);
    const r = await list(other);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another application's SQLite database/);
    expect(sha(other)).toBe(before);
  });

  it("marks its own databases with an application id", async () => {
    const path = join(tmp.dir, "own.db");
    expect((await list(path)).code).toBe(0);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("application_id", { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });

  it.skipIf(process.getuid?.() === 0)("refuses a read-only database file with exit 2", async () => {
    const path = join(tmp.dir, "ro.db");
    expect((await list(path)).code).toBe(0);
    chmodSync(path, 0o444);
    const r = await list(path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/read-only/);
  });
});

describe("--out", () => {
  it("refuses a folder or a missing folder with exit 2 before doing anything", async () => {
    const db = join(tmp.dir, "t.db");
    const answers = join(tmp.dir, "a.yaml");
    writeFileSync(answers, "context.description: x\n");
    expect(
      (await runCliInProcess(["--db", db, "review", "--workload", "vm", "--name", "n", "--answers", answers]))
        .code,
    ).toBe(0);
    const intoFolder = await runCliInProcess(["--db", db, "export", "1", "--out", tmp.dir]);
    expect(intoFolder.code).toBe(2);
    expect(intoFolder.stderr).toMatch(/is a folder/);
    const missing = await runCliInProcess([
      "--db",
      db,
      "export",
      "1",
      "--out",
      join(tmp.dir, "no", "such", "x.md"),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist; create it first/);
  });
});

describe("answers files", () => {
  const review = (file: string) =>
    runCliInProcess([
      "--db",
      join(tmp.dir, "t.db"),
      "review",
      "--workload",
      "vm",
      "--name",
      "n",
      "--answers",
      file,
    ]);

  it("refuses devices and folders before reading them, and files over 1 MiB by their size", async () => {
    const zero = await review("/dev/zero");
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/not a regular file/);
    const big = join(tmp.dir, "big.yaml");
    writeFileSync(big, `context.description: ${"x".repeat(1024 * 1024)}\n`);
    const r = await review(big);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the 1048576-byte limit/);
    mkdirSync(join(tmp.dir, "folder.yaml"));
    expect((await review(join(tmp.dir, "folder.yaml"))).code).toBe(2);
  });

  it("rejects __proto__-style keys and invalid UTF-8 with a clear message, and saves nothing", async () => {
    const proto = join(tmp.dir, "proto.json");
    writeFileSync(proto, '{"__proto__": {"polluted": "yes"}, "context.description": "x"}');
    const r1 = await review(proto);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/key named "__proto__"/);
    const yaml = join(tmp.dir, "ctor.yaml");
    writeFileSync(yaml, "constructor: x\n");
    expect((await review(yaml)).stderr).toMatch(/key named "constructor"/);
    const latin1 = join(tmp.dir, "latin1.yaml");
    writeFileSync(latin1, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x74, 0xe9, 0x0a]));
    const r3 = await review(latin1);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/not valid UTF-8/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await runCliInProcess(["--db", join(tmp.dir, "t.db"), "list", "--json"])).stdout.trim()).toBe(
      "[]",
    );
  });
});

describe("q", () => {
  it("ends `npm start`'s terminal review at once from the workload prompt, the name prompt and a question", async () => {
    for (const input of ["q\n", "vm\nq\n", "vm\nmy-api\nq\n"]) {
      // Run as `npm start` does (src/main.ts), with the terminal left open: q alone must end it.
      const main = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: join(import.meta.dirname, "../.."),
        env: {
          ...process.env,
          THREATBOT_DB: join(tmp.dir, "q.db"),
          SLACK_BOT_TOKEN: "",
          SLACK_APP_TOKEN: "",
          SLACK_SIGNING_SECRET: "",
        },
      });
      main.stdin.write(input);
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          main.kill("SIGKILL");
          reject(new Error(`still running 15 s after ${JSON.stringify(input)}`));
        }, 15_000);
        main.once("exit", (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code, JSON.stringify(input)).toBe(0);
    }
    // Three process start-ups on a busy machine; the bound on each is the 15 s above.
  }, 90_000);
});

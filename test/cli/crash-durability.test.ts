import { once } from "node:events";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { OutputWatcher, runCliProcess, startCli } from "../support/cli-process.js";
import { FIXTURE_KB, tempDir } from "../support/core.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ANSWERS = ["1", "3", "Stores orders for the shop", "2"];

function storedAnswers(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    return db
      .prepare("SELECT question_id FROM review_events WHERE type = 'answer' ORDER BY seq")
      .all()
      .map((r) => (r as { question_id: string }).question_id);
  } finally {
    db.close();
  }
}

describe("a review survives kill -9", () => {
  it.each([1, 2, 3])(
    "keeps every acknowledged answer when killed after %i answers, and resumes where it stopped",
    async (acknowledged) => {
      const dbPath = join(tmp.dir, `kill-${acknowledged}.db`);
      const env = { THREATBOT_DB: dbPath, THREATBOT_KNOWLEDGE: FIXTURE_KB };
      const child = startCli(["review", "--workload", "serverless", "--name", "orders"], env);
      const out = new OutputWatcher(child);
      await out.waitFor(/Question 1 of/);
      for (let i = 0; i < acknowledged; i++) {
        child.stdin.write(`${ANSWERS[i]}\n`);
        // The next question is the acknowledgement: it is printed only after the answer committed.
        await out.waitFor(new RegExp(`Question ${i + 2} of`));
      }
      // One more answer in flight, not acknowledged, then the process dies without any clean-up.
      child.stdin.write(`${ANSWERS[acknowledged]}\n`);
      child.kill("SIGKILL");
      await once(child, "close");

      const stored = storedAnswers(dbPath);
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged);
      expect(stored.slice(0, acknowledged)).toEqual(
        ["context.internet-facing", "context.data-sensitivity", "context.description"].slice(0, acknowledged),
      );

      const resumed = await runCliProcess(["review", "--resume", "1"], { env, input: "q\n" });
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain('Resuming review #1 "orders" (serverless).');
      // The answer in flight may or may not have committed before the kill; either way the review goes on from there.
      expect(resumed.stdout).toContain(
        stored.length < 4 ? `Question ${stored.length + 1} of 4` : "Every question is answered.",
      );
    },
  );
});

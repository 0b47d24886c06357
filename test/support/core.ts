import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type KnowledgeBase, loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { Workload } from "../../src/core/knowledge/schema.js";
import { openThreatbot, type Threatbot } from "../../src/core/open.js";
import { initialState, type ReviewState, transition } from "../../src/core/review/engine.js";
import type { AnswerValue } from "../../src/core/review/events.js";

export const FIXTURE_KB = fileURLToPath(new URL("../fixtures/knowledge", import.meta.url));
export const fixtureKb = () => loadKnowledgeBase(FIXTURE_KB);

/** A clock that advances one second per reading, so timestamps are distinct and predictable. */
export function steppingClock(start = Date.parse("2026-01-01T00:00:00Z")): () => string {
  let t = start;
  return () => {
    const s = new Date(t).toISOString();
    t += 1000;
    return s;
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "threatbot-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A Threatbot on a fresh database file in a temporary folder. */
export function tempBot(
  opts: { knowledgeDir?: string } = {},
): Threatbot & { dbPath: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, "threatbot.db");
  const bot = openThreatbot({ dbPath, knowledgeDir: opts.knowledgeDir, now: steppingClock() });
  return {
    ...bot,
    dbPath,
    cleanup: () => {
      bot.close();
      cleanup();
    },
  };
}

/** Fold answers through the real engine, failing loudly if the fixture asks something out of order. */
export function answeredState(
  kb: KnowledgeBase,
  workload: Workload,
  answers: readonly (readonly [string, AnswerValue])[],
  at = "2026-01-01T00:00:00.000Z",
): ReviewState {
  let s = initialState(workload);
  for (const [questionId, value] of answers) {
    const t = transition(kb, s, { type: "answer", questionId, value, actor: "alice", at });
    if (!t.ok) throw new Error(`${questionId}: ${t.message}`);
    s = t.state;
  }
  return s;
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KnowledgeBase } from "../src/core/knowledge/load.js";
import { openThreatbot } from "../src/core/open.js";
import type { ReviewView } from "../src/core/review/service.js";
import { openDatabase } from "../src/storage/database.js";
import type { BenchRow } from "./report.js";

const BUDGET_MS = 6000;
const MAX_ANSWERS = 30_000;

/** Answers per second through ReviewService: reviewers answer one question at a time, each waiting for its ack. */
async function serviceRate(dir: string, kb: KnowledgeBase, sync: "FULL" | "NORMAL", reviewers: number) {
  const bot = openThreatbot({ dbPath: join(dir, `service-${sync}-${reviewers}.db`), synchronous: sync });
  let count = 0;
  const t0 = performance.now();
  const reviewer = async (n: number) => {
    while (count < MAX_ANSWERS && performance.now() - t0 < BUDGET_MS) {
      let view: ReviewView = (
        await bot.reviews.start({
          name: `r${n}-${count}`,
          workload: "container",
          actor: "bench",
          origin: "cli",
        })
      ).view;
      for (let q = view.question; q && count < MAX_ANSWERS; q = view.question) {
        const value =
          q.kind === "choice"
            ? { kind: "choice" as const, value: view.options[0]?.value ?? "" }
            : { kind: "skip" as const };
        const out = await bot.reviews.answer({
          reviewId: view.review.id,
          questionId: q.id,
          value,
          actor: `u${n}`,
        });
        if (out.status !== "recorded") throw new Error(`answer not recorded: ${out.status}`);
        count++;
        view = out.view;
      }
    }
  };
  await Promise.all(Array.from({ length: reviewers }, (_, n) => reviewer(n)));
  const rate = count / ((performance.now() - t0) / 1000);
  bot.close();
  if (kb.version !== bot.kb.version) throw new Error("benchmark used a different knowledge base");
  return rate;
}

/** The floor: one bare INSERT per fsync'd transaction into the same table, nothing else. */
function bareRate(dir: string): number {
  const db = openDatabase(join(dir, "bare.db"), { synchronous: "FULL" });
  db.prepare(
    "INSERT INTO reviews (uuid, name, workload, origin, created_by, created_at, updated_at) VALUES ('u', 'n', 'vm', 'cli', 'b', 't', 't')",
  ).run();
  const insert = db.prepare(
    "INSERT INTO review_events (review_id, type, question_id, value, actor, at) VALUES (1, 'answer', 'q', '{}', 'b', 't')",
  );
  const tx = db.transaction(() => insert.run());
  let count = 0;
  const t0 = performance.now();
  while (count < MAX_ANSWERS && performance.now() - t0 < BUDGET_MS) {
    tx.immediate();
    count++;
  }
  const rate = count / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

export async function benchAnswers(kb: KnowledgeBase): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "threatbot-bench-"));
  try {
    const bare = bareRate(dir);
    const one = await serviceRate(dir, kb, "FULL", 1);
    const many = await serviceRate(dir, kb, "FULL", 32);
    const normal = await serviceRate(dir, kb, "NORMAL", 1);
    return [
      {
        metric: "answers/s, 32 reviewers at once, fsync per commit (group commit)",
        value: many,
        unit: "answers/s",
        baseline: { label: "bare INSERT, one fsync each", value: bare },
        target: ">= 2000/s",
        met: many >= 2000,
      },
      {
        metric: "answers/s, one reviewer, fsync per answer",
        value: one,
        unit: "answers/s",
        baseline: { label: "bare INSERT, one fsync each", value: bare },
      },
      {
        metric: "answers/s, one reviewer, synchronous=NORMAL (kill -9 safe, not power-loss safe)",
        value: normal,
        unit: "answers/s",
        baseline: { label: "FULL, one reviewer", value: one },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

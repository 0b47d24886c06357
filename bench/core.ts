import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type KnowledgeBase, loadKnowledgeBase } from "../src/core/knowledge/load.js";
import type { KnowledgeEntry } from "../src/core/knowledge/schema.js";
import { KnowledgeIndex } from "../src/core/knowledge/search.js";
import { renderMarkdown } from "../src/core/report/markdown.js";
import { initialState } from "../src/core/review/engine.js";
import { deriveThreatModel } from "../src/core/threats/derive.js";
import type { ThreatModel } from "../src/core/threats/model.js";
import { type BenchRow, percentile } from "./report.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function timeEach(n: number, fn: (i: number) => void): number[] {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** A model of exactly n threats, derived from the real base and repeated to size. */
function modelWith(kb: KnowledgeBase, n: number): ThreatModel {
  const base = deriveThreatModel(
    kb,
    {
      id: 1,
      uuid: "6f1c8a52-8b1e-4a51-9d55-3f0d1c2b7a10",
      name: "bench",
      workload: "undecided",
      createdBy: "bench",
      createdAt: "2026-01-01T00:00:00Z",
    },
    initialState("undecided"),
    { version: 1, generatedAt: "2026-01-01T00:00:00Z" },
  );
  const threats = Array.from({ length: n }, (_, i) => {
    const t = base.threats[i % base.threats.length];
    if (!t) throw new Error("the knowledge base produced no threats");
    return { ...t, id: `T-${String(i + 1).padStart(3, "0")}` };
  });
  return { ...base, threats };
}

export function benchMarkdown(kb: KnowledgeBase): BenchRow[] {
  const model = modelWith(kb, 100);
  for (let i = 0; i < 50; i++) renderMarkdown(model); // warm-up
  const md = timeEach(500, () => renderMarkdown(model));
  const json = timeEach(500, () => JSON.stringify(model));
  const p50 = percentile(md, 50);
  return [
    {
      metric: "markdown render, 100-threat model (p50)",
      value: p50,
      unit: "ms",
      baseline: { label: "JSON.stringify of the same model", value: percentile(json, 50) },
      target: "< 5 ms",
      met: p50 < 5,
    },
  ];
}

const QUERIES = [
  "lambda wildcard role",
  "secrets in environment variables",
  "container running as root",
  "patch the operating system",
  "seccomp gvisor",
  "image scanning registry",
  "denial of wallet concurrency",
  "cold start",
  "network policy kubernetes",
  "ssh bastion",
  "supply chain dependency",
  "logging short lived containers",
  "shared responsibility provider",
  "security group nacl subnet",
  "event injection queue",
  "timeout",
];

/** A linear scan a first version might do: count query words in each entry's text. */
function naiveSearch(entries: readonly KnowledgeEntry[], texts: string[], query: string): string[] {
  const words = query.toLowerCase().split(/\s+/);
  return entries
    .map((e, i) => ({ id: e.id, score: words.filter((w) => texts[i]?.includes(w)).length }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 10)
    .map((x) => x.id);
}

function syntheticEntries(kb: KnowledgeBase, n: number): KnowledgeEntry[] {
  const vocab = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
  return Array.from({ length: n }, (_, i) => {
    const e = kb.entries[i % kb.entries.length] as KnowledgeEntry;
    const extra = `${vocab[i % 10]} ${vocab[Math.floor(i / 10) % 10]} ${vocab[Math.floor(i / 100) % 10]}`;
    return { ...e, id: `${e.id}-${i}`, title: `${e.title} ${extra}`, summary: `${e.summary} ${extra}` };
  });
}

function searchRows(label: string, entries: readonly KnowledgeEntry[], target: number): BenchRow[] {
  const t0 = performance.now();
  const index = new KnowledgeIndex(entries);
  const buildMs = performance.now() - t0;
  const texts = entries.map((e) => JSON.stringify(e).toLowerCase());
  const rounds = entries.length > 1000 ? 20 : 200;
  for (const q of QUERIES) index.search(q); // warm-up
  const fast = timeEach(rounds * QUERIES.length, (i) => index.search(QUERIES[i % QUERIES.length] as string));
  const naive = timeEach(Math.min(rounds, 20) * QUERIES.length, (i) =>
    naiveSearch(entries, texts, QUERIES[i % QUERIES.length] as string),
  );
  const p95 = percentile(fast, 95);
  return [
    {
      metric: `knowledge search p95, ${label} (${entries.length} entries)`,
      value: p95,
      unit: "ms",
      baseline: { label: "naive linear scan p95", value: percentile(naive, 95) },
      target: `< ${target} ms`,
      met: p95 < target,
    },
    { metric: `knowledge index build, ${label}`, value: buildMs, unit: "ms" },
  ];
}

export function benchSearch(kb: KnowledgeBase): BenchRow[] {
  return [
    ...searchRows("real base", kb.entries, 1),
    ...searchRows("generated base", syntheticEntries(kb, 10_000), 20),
  ];
}

function timeToOutput(cmd: string, args: string[], pattern: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, THREATBOT_DB: join(tmpdir(), "threatbot-bench-cold.db") },
    });
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no '${pattern}' within 10 s`));
    }, 10_000);
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes(pattern)) {
        const ms = performance.now() - t0;
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve(ms);
      }
    });
  });
}

/** Spawn the built CLI until its first prompt appears, next to a bare `node` printing one line. */
export async function benchColdStart(): Promise<BenchRow[]> {
  const runs = 15;
  const cli: number[] = [];
  const firstQuestion: number[] = [];
  const bare: number[] = [];
  const named = ["dist/cli/main.js", "review", "--workload", "serverless", "--name", "bench"];
  for (let i = 0; i < runs; i++) {
    cli.push(await timeToOutput(process.execPath, ["dist/cli/main.js", "review"], "What kind of workload"));
    // With the workload and name given up front, the first question needs the knowledge base and database.
    firstQuestion.push(await timeToOutput(process.execPath, named, "Question 1 of"));
    bare.push(await timeToOutput(process.execPath, ["-e", "process.stdout.write('ready')"], "ready"));
  }
  const p50 = percentile(cli, 50);
  return [
    {
      metric: `CLI cold start to first prompt (p50 of ${runs})`,
      value: p50,
      unit: "ms",
      baseline: { label: "bare node printing a line", value: percentile(bare, 50) },
      target: "< 600 ms",
      met: p50 < 600,
    },
    { metric: `CLI cold start to first prompt (p95 of ${runs})`, value: percentile(cli, 95), unit: "ms" },
    {
      metric: `CLI cold start to the first question, workload and name given (p50 of ${runs})`,
      value: percentile(firstQuestion, 50),
      unit: "ms",
      baseline: { label: "bare node printing a line", value: percentile(bare, 50) },
    },
  ];
}

export function realKnowledgeBase(): KnowledgeBase {
  return loadKnowledgeBase();
}

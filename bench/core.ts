import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type KnowledgeBase, loadKnowledgeBase } from "../src/core/knowledge/load.js";
import type { AskedQuestion, KnowledgeEntry, QuestionSet } from "../src/core/knowledge/schema.js";
import { KnowledgeIndex } from "../src/core/knowledge/search.js";
import { renderMarkdown } from "../src/core/report/markdown.js";
import { initialState } from "../src/core/review/engine.js";
import { deriveThreatModel } from "../src/core/threats/derive.js";
import type { ThreatModel } from "../src/core/threats/model.js";
import { retrieve } from "../src/qa/retrieve.js";
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

/** The keyword queries above plus every question of the Q&A question set, as users type them. */
function searchQueries(set: QuestionSet): string[] {
  return [...QUERIES, ...set.questions.map((q) => q.question)];
}

/**
 * At most n items spread evenly over the list: the question set grows with every block of asked
 * questions, and the large base's timings need a sample, not all of them, to stay bounded.
 */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

/** Searches timed per base: enough for a stable p95, bounded however large the question set grows. */
const TIMED_SEARCHES = { real: 20_000, large: 2_000 };
const LARGE_BASE_QUESTIONS = 400;

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

/** mulberry32: a small seeded generator, so every run measures the same generated base. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OWN_WORDS = 0.75;
export const GENERATED_LABEL =
  "each entry resamples one real entry's words, 1 in 4 drawn from the whole base";

/**
 * A base of n entries built from the real one's vocabulary and field sizes. Entry i takes real
 * entry i mod 45 as its topic and keeps its deployment models, threats and mitigations; its title,
 * tags and summary have the topic's own lengths, and each word is drawn from the topic's own words
 * with probability 3/4, otherwise from the whole base, so topics overlap the way related entries
 * do. Word frequencies, and so the postings each query walks, follow the real text.
 */
export function generatedBase(kb: KnowledgeBase, n: number, seed = 42): KnowledgeEntry[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const words = (s: string) => s.split(/\s+/).filter((w) => w.length > 0);
  const allTitles = kb.entries.flatMap((e) => words(e.title));
  const allSummaries = kb.entries.flatMap((e) => words(e.summary));
  const allTags = kb.entries.flatMap((e) => e.tags);
  return Array.from({ length: n }, (_, i) => {
    const topic = kb.entries[i % kb.entries.length] as KnowledgeEntry;
    const own = [...words(topic.title), ...words(topic.summary)];
    const ownSummary = words(topic.summary);
    return {
      ...topic,
      id: `${topic.id}-${i}`,
      title: words(topic.title)
        .map(() => (random() < OWN_WORDS ? pick(own) : pick(allTitles)))
        .join(" "),
      tags: topic.tags.map(() => (random() < OWN_WORDS ? pick(topic.tags) : pick(allTags))),
      summary: ownSummary.map(() => (random() < OWN_WORDS ? pick(ownSummary) : pick(allSummaries))).join(" "),
    };
  });
}

/** Generated entries are named after their topic: "cold-starts-812" is about cold-starts. */
const topicOf = (id: string) => id.replace(/-\d+$/, "");

function topicRecall(index: KnowledgeIndex, set: QuestionSet): number {
  let sum = 0;
  for (const q of set.questions) {
    const topics = retrieve(index, q.question).hits.map((h) => topicOf(h.entry.id));
    sum += q.expect.filter((id) => topics.includes(id)).length / q.expect.length;
  }
  return sum / set.questions.length;
}

function searchRows(
  label: string,
  entries: readonly KnowledgeEntry[],
  set: QuestionSet,
  target: number,
  description = "",
  asked: readonly AskedQuestion[] = [],
): BenchRow[] {
  const large = entries.length > 1000;
  const sampled = large ? { ...set, questions: spread(set.questions, LARGE_BASE_QUESTIONS) } : set;
  const queries = searchQueries(sampled);
  const t0 = performance.now();
  const index = new KnowledgeIndex(entries, { asked });
  const buildMs = performance.now() - t0;
  const texts = entries.map((e) => JSON.stringify(e).toLowerCase());
  // The first pass meets each term for the first time (MiniSearch scores it, the index remembers it).
  const firstPass = timeEach(queries.length, (i) => index.search(queries[i] as string));
  const timed = large ? TIMED_SEARCHES.large : TIMED_SEARCHES.real;
  const fast = timeEach(Math.max(timed, queries.length), (i) =>
    index.search(queries[i % queries.length] as string),
  );
  const naive = timeEach(Math.max(timed / 5, queries.length), (i) =>
    naiveSearch(entries, texts, queries[i % queries.length] as string),
  );
  const p95 = percentile(fast, 95);
  const rows: BenchRow[] = [
    {
      metric: `knowledge search p95 over ${label} (${entries.length} entries${description}; ${queries.length} queries: ${QUERIES.length} keyword queries and the Q&A question set)`,
      value: p95,
      unit: "ms",
      baseline: { label: "naive linear scan p95", value: percentile(naive, 95) },
      target: `< ${target} ms`,
      met: p95 < target,
    },
    { metric: `knowledge search p50 over ${label}`, value: percentile(fast, 50), unit: "ms" },
    {
      metric: `knowledge search p95 over ${label}, first pass (each term scored at first use)`,
      value: percentile(firstPass, 95),
      unit: "ms",
    },
    { metric: `knowledge index build, ${label}`, value: buildMs, unit: "ms" },
  ];
  if (large) {
    // The same base scored exactly (every term, however common), to show what the cutoff trades.
    const exact = new KnowledgeIndex(entries, { skipCommonTerms: false });
    const exactTimes = timeEach(queries.length, (i) => exact.search(queries[i % queries.length] as string));
    rows.push(
      {
        metric: `knowledge search p95 over ${label}, scoring every term (no common-term cutoff)`,
        value: percentile(exactTimes, 95),
        unit: "ms",
      },
      {
        metric: `question-set recall@3 by topic over ${label} (with the cutoff; ${sampled.questions.length} questions spread over the set)`,
        value: topicRecall(index, sampled),
        unit: "",
        baseline: { label: "scoring every term", value: topicRecall(exact, sampled) },
      },
    );
  }
  return rows;
}

export function benchSearch(kb: KnowledgeBase): BenchRow[] {
  return [
    ...searchRows(
      "the real base",
      kb.entries,
      kb.asked,
      1,
      ", learning from its asked questions",
      kb.asked.questions,
    ),
    ...searchRows(
      "a generated 10,000-entry base",
      generatedBase(kb, 10_000),
      kb.asked,
      20,
      `: ${GENERATED_LABEL}`,
    ),
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

import type { Vocabulary } from "../core/facts/vocabulary.js";
import type { KnowledgeBase } from "../core/knowledge/load.js";
import type { DeploymentModel, KnowledgeEntry } from "../core/knowledge/schema.js";
import { processTerm } from "../core/knowledge/search.js";
import { mitigationText } from "../core/knowledge/wording.js";
import { appliesTo, type Retrieval } from "./retrieve.js";
import type { Answer, AnswerPoint, Citation } from "./schema.js";

export const DONT_KNOW =
  "I don't know. Nothing in the knowledge base answers that, and I only answer from it. I cover security design for VM, container and serverless workloads; to assess a specific system, start a review with /threatmodel in Slack or `threatbot review` in a terminal.";

export const CLARIFY =
  "Which workload is this about: virtual machines, containers (Kubernetes, ECS, Fargate) or serverless functions, and what does it do with which data? Tell me that, or ask about one concern (secrets, network exposure, permissions, patching…), and I can answer from the knowledge base. For a full review of the system, start one with /threatmodel in Slack or `threatbot review` in a terminal.";

const MODEL_WORDS: Record<DeploymentModel, string> = {
  vm: "VMs",
  container: "containers",
  serverless: "functions",
};

export const MAX_ACTIONS_FIRST = 3;
export const MAX_ACTIONS_OTHERS = 2;
const LEAD_SENTENCES = 2;

export function citationFor(kb: KnowledgeBase, entry: KnowledgeEntry): Citation {
  return {
    entryId: entry.id,
    title: entry.title,
    deploymentModels: entry.deploymentModels,
    sources: entry.sources.flatMap((id) => {
      const s = kb.source(id);
      return s ? [s] : [];
    }),
    frameworks: entry.references,
  };
}

/**
 * "Those stores…", "It keeps…", "A flaw in any of them…": a sentence that only makes sense after the one
 * before. The base's summaries are written to avoid them; this keeps an answer readable if one slips in.
 */
const REFERS_BACK =
  /^(?:It|Its|This|That|These|Those|They|Their|Such|Both|Neither|The same)\b|^(?:\S+\s+){0,4}(?:of|inside|in|on) (?:it|them)\b/;

/**
 * Sentences of a paragraph; the knowledge base writes "for example", not "e.g.", so a plain split
 * holds. A question stays with the sentence that answers it ("Should ...? Almost never: ..."), and a
 * sentence that refers back stays with the one it refers to, so neither is quoted alone.
 */
export function sentences(text: string): string[] {
  const parts = text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"(])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const out: string[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (last !== undefined && (last.endsWith("?") || REFERS_BACK.test(part)))
      out[out.length - 1] = `${last} ${part}`;
    else out.push(part);
  }
  return out;
}

/** How much a piece of text says about the question: the weights of the question's terms it contains. */
function relevance(text: string, weights: ReadonlyMap<string, number>): number {
  const seen = new Set<string>();
  for (const raw of text.split(/[\n\r\p{Z}\p{P}]+/u)) {
    const t = raw ? processTerm(raw) : null;
    if (t) seen.add(t);
  }
  let score = 0;
  for (const t of seen) score += weights.get(t) ?? 0;
  return score;
}

function termWeights(r: Retrieval): Map<string, number> {
  const w = new Map<string, number>();
  for (const t of r.query.expansions) w.set(t, 0.4);
  for (const t of r.query.platform) w.set(t, 0.25);
  for (const t of r.query.terms) w.set(t, 1);
  return w;
}

function modelsShown(entry: KnowledgeEntry, r: Retrieval): DeploymentModel[] {
  if (r.workload !== "undecided") return [r.workload];
  const named = entry.deploymentModels.filter((m) => r.mentioned.includes(m));
  return named.length > 0 ? named : entry.deploymentModels;
}

/** Order by relevance, keeping the entry's own order among equals. */
function byRelevance<T>(items: T[], text: (t: T) => string, weights: ReadonlyMap<string, number>): T[] {
  return items
    .map((item, i) => ({ item, i, score: relevance(text(item), weights) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((x) => x.item);
}

export function pointFor(
  entry: KnowledgeEntry,
  r: Retrieval,
  maxActions: number,
  v: Vocabulary,
): AnswerPoint {
  const weights = termWeights(r);
  const owners = modelsShown(entry, r).flatMap((model) => {
    const resp = entry.responsibility[model];
    return resp ? [{ model, owner: resp.owner, note: resp.note }] : [];
  });
  // A question that names a platform ("on EKS") gets that platform's wording of each action.
  const named = v.platformsNamed(r.query.platform, processTerm);
  const actions = byRelevance(
    entry.mitigations
      .filter((m) => v.covers(m.platforms, r.workload))
      .map((m) => mitigationText(m, named, v)),
    (text) => text,
    weights,
  ).slice(0, maxActions);
  const why = byRelevance(sentences(entry.summary), (s) => s, weights)[0] ?? entry.summary;
  return { entryId: entry.id, title: entry.title, owners, why, actions };
}

/** The lead: the sentences of the best entry (its summary, and who owns it for this workload) closest to the question. */
function lead(entry: KnowledgeEntry, r: Retrieval): string {
  const weights = termWeights(r);
  const note = r.workload !== "undecided" ? entry.responsibility[r.workload]?.note : undefined;
  const candidates = [...sentences(entry.summary), ...(note ? [note] : [])];
  const ranked = candidates
    .map((text, i) => ({ text, i, score: relevance(text, weights) }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  // A second sentence must share one of the asker's own words, not only a synonym or a platform name.
  const own = new Map(r.query.terms.map((t) => [t, 1]));
  const chosen = ranked.filter((c, n) => n === 0 || relevance(c.text, own) > 0).slice(0, LEAD_SENTENCES);
  // Read in the entry's own order, so the sentences still follow on from each other.
  return chosen
    .sort((a, b) => a.i - b.i)
    .map((c) => c.text)
    .join(" ");
}

export function dontKnow(r: Pick<Retrieval, "workload" | "workloadFrom" | "notes">): Answer {
  return {
    answer: DONT_KNOW,
    workload: r.workload,
    workloadFrom: r.workloadFrom,
    grounded: false,
    points: [],
    citations: [],
    generatedBy: "knowledge-base",
    notes: [...r.notes],
  };
}

/** A question too vague to answer: ask for the workload and offer a review instead of guessing. */
export function clarify(r: Pick<Retrieval, "workload" | "workloadFrom" | "notes">): Answer {
  return { ...dontKnow(r), answer: CLARIFY, intent: "clarify" };
}

/** For a question that names two or more models without weighing them: who owns the concern in each. */
function forEachModel(entry: KnowledgeEntry, models: readonly DeploymentModel[]): string {
  const parts = models.flatMap((m) => {
    const note = entry.responsibility[m]?.note;
    return note ? [`For ${MODEL_WORDS[m]}: ${note}`] : [];
  });
  return parts.join(" ");
}

/** The opening of the answer, shaped by what the question asks. */
function opening(first: KnowledgeEntry, r: Retrieval): string {
  const base = lead(first, r);
  if (r.mentioned.length > 1) {
    if (r.difference) return `${r.difference} ${base}`;
    return [base, forEachModel(first, r.mentioned)].filter(Boolean).join(" ");
  }
  if (r.intent === "which-threat") return `That falls under "${first.title}". ${base}`;
  return base;
}

/** A grounded answer built only from the retrieved entries: no model, no network, same output every time. */
export function composeAnswer(kb: KnowledgeBase, r: Retrieval): Answer {
  if (r.intent === "clarify") return clarify(r);
  // Retrieval already filters by workload; this guard keeps the promise even if a caller passes other hits.
  const entries = r.hits.map((h) => h.entry).filter((e) => appliesTo(e.deploymentModels, r.workload));
  const first = entries[0];
  if (!r.answerable || !first) return dontKnow(r);
  return {
    answer: opening(first, r),
    workload: r.workload,
    workloadFrom: r.workloadFrom,
    intent: r.intent,
    grounded: true,
    points: entries.map((e, i) =>
      pointFor(e, r, i === 0 ? MAX_ACTIONS_FIRST : MAX_ACTIONS_OTHERS, kb.vocabulary),
    ),
    citations: entries.map((e) => citationFor(kb, e)),
    generatedBy: "knowledge-base",
    notes: [...r.notes],
  };
}

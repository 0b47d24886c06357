import type { DeploymentModel, Workload } from "../core/knowledge/schema.js";
import {
  type AnalysedQuery,
  analyse,
  type KnowledgeIndex,
  processTerm,
  type SearchHit,
} from "../core/knowledge/search.js";
import type { Answer } from "./schema.js";
import { detectWorkload } from "./workload.js";

/**
 * A question counts as answerable when more than half of its topic words are words the knowledge
 * base uses (directly or through a synonym) and at least one applicable entry matches. Questions
 * the base can answer are written mostly in its vocabulary; off-topic ones ("best pizza in Rome",
 * "center a div") share a word with it at most by accident.
 */
export const MIN_COVERAGE = 0.5;
/** Entries scoring below this share of the best entry's score are too weak to cite. */
export const MIN_RELATIVE_SCORE = 0.3;
export const MAX_CITED = 3;

// Weighing models against each other, or moving between them, is a question of who owns which layer.
const COMPARISON_TERMS = ["shared", "responsibility", "provider"].flatMap((w) => processTerm(w) ?? []);

export interface RetrieveOptions {
  /** The workload set by the caller (--workload, a review's workload); the question's words decide otherwise. */
  workload?: Workload | undefined;
  workloadFrom?: "caller" | "review";
  limit?: number;
}

export interface Retrieval {
  workload: Workload;
  workloadFrom: Answer["workloadFrom"];
  /** Models the question itself names. */
  mentioned: DeploymentModel[];
  query: AnalysedQuery;
  coverage: number;
  answerable: boolean;
  /** The entries to cite, best first; every one applies to the workload. */
  hits: SearchHit[];
  notes: string[];
}

export function appliesTo(models: readonly DeploymentModel[], workload: Workload): boolean {
  return workload === "undecided" || models.includes(workload);
}

function chooseWorkload(
  question: string,
  opts: RetrieveOptions,
): Pick<Retrieval, "workload" | "workloadFrom" | "mentioned" | "notes"> {
  const detected = detectWorkload(question);
  const notes: string[] = [];
  if (opts.workload && opts.workload !== "undecided") {
    const other = detected.workload !== "undecided" && detected.workload !== opts.workload;
    if (other) {
      const where = opts.workloadFrom === "review" ? "this review's" : "the requested";
      notes.push(
        `The question mentions ${detected.workload}, but this answer is for ${where} ${opts.workload} workload. Ask again with that workload for a ${detected.workload} answer.`,
      );
    }
    return {
      workload: opts.workload,
      workloadFrom: opts.workloadFrom ?? "caller",
      mentioned: detected.mentioned,
      notes,
    };
  }
  // An undecided review compares every model, so a question naming one model narrows it.
  if (detected.workload !== "undecided") {
    return { workload: detected.workload, workloadFrom: "question", mentioned: detected.mentioned, notes };
  }
  const from = opts.workload ? (opts.workloadFrom ?? "caller") : "none";
  return { workload: "undecided", workloadFrom: from, mentioned: detected.mentioned, notes };
}

/** Find the entries that answer a question for the workload it is about, and decide whether it is answerable. */
export function retrieve(index: KnowledgeIndex, question: string, opts: RetrieveOptions = {}): Retrieval {
  const chosen = chooseWorkload(question, opts);
  const analysed = analyse(question);
  const query =
    chosen.mentioned.length > 1
      ? { ...analysed, expansions: [...new Set([...analysed.expansions, ...COMPARISON_TERMS])] }
      : analysed;
  // A bare platform name ("and on Fargate?") asks for that model's overview.
  const coverage = query.terms.length === 0 && query.platform.length > 0 ? 1 : index.coverage(question);
  const model = chosen.workload === "undecided" ? undefined : chosen.workload;
  const all = index
    .search(query, { deploymentModel: model, limit: 10 })
    // Comparing two models: entries about neither have no place in the answer.
    .filter(
      (h) =>
        chosen.mentioned.length < 2 || h.entry.deploymentModels.some((m) => chosen.mentioned.includes(m)),
    )
    .filter((h) => appliesTo(h.entry.deploymentModels, chosen.workload));
  const best = all[0]?.score ?? 0;
  const hits = all.filter((h) => h.score >= best * MIN_RELATIVE_SCORE).slice(0, opts.limit ?? MAX_CITED);
  const answerable = hits.length > 0 && coverage > MIN_COVERAGE;
  return { ...chosen, query, coverage, answerable, hits: answerable ? hits : [] };
}

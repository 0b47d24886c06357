import type { FactValue } from "../knowledge/schema.js";

/** Where a fact came from: an answer in the review, or a line of a file the team gave. */
export type FactSource =
  | { kind: "answer"; questionId: string; answer: string }
  | { kind: "file"; file: string; line: number; excerpt: string };

export interface KnownFact {
  value: FactValue;
  source: FactSource;
}

/**
 * What a review has established. A fact is known (with its source), open (a question that would set
 * it was answered "unsure", skipped or not reached) or simply not established (nobody asked).
 */
export interface FactState {
  readonly known: ReadonlyMap<string, KnownFact>;
  /** fact id -> the questions whose answers would settle it */
  readonly open: ReadonlyMap<string, readonly string[]>;
}

export function describeSource(s: FactSource): string {
  return s.kind === "answer" ? `${s.questionId}: "${s.answer}"` : `${s.file}:${s.line} ${s.excerpt}`;
}

export function formatValue(v: FactValue): string {
  return typeof v === "boolean" ? (v ? "yes" : "no") : v;
}

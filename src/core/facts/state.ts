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

/** A fact read from a file the team gave (Dockerfile, manifest, template), with where it was seen. */
export interface FileFact {
  fact: string;
  value: FactValue;
  /** Path as the team gave it (relative to the folder they named). */
  file: string;
  /** 1-based line of the evidence. */
  line: number;
  /** The evidence itself, secrets masked, e.g. "FROM node:latest". */
  excerpt: string;
  /** The resource it belongs to, e.g. "Deployment/payments" or "aws_instance.web". */
  resource?: string;
  /** The platform the file shows, when it shows one (e.g. a SAM function with PackageType Image). */
  platform?: string;
}

import type { FactCondition } from "../knowledge/schema.js";
import type { FactState } from "./state.js";
import type { Vocabulary } from "./vocabulary.js";

/** Kleene's three-valued logic: a condition on a fact nobody established is unknown, never true. */
export type Truth = true | false | "unknown";

export interface Evaluation {
  truth: Truth;
  /** Known facts the result rests on. */
  used: Set<string>;
  /** Facts whose absence left the result unknown. */
  missing: Set<string>;
}

const merge = (into: Evaluation, from: Evaluation) => {
  for (const f of from.used) into.used.add(f);
  for (const f of from.missing) into.missing.add(f);
};

/** Evaluate a condition for one concrete platform. */
export function evaluate(
  c: FactCondition,
  facts: FactState,
  platform: string,
  vocabulary: Vocabulary,
): Evaluation {
  if ("platform" in c) {
    return { truth: vocabulary.resolve(c.platform).includes(platform), used: new Set(), missing: new Set() };
  }
  if ("not" in c) {
    const inner = evaluate(c.not, facts, platform, vocabulary);
    return { ...inner, truth: inner.truth === "unknown" ? "unknown" : !inner.truth };
  }
  if ("all" in c || "any" in c) {
    const isAll = "all" in c;
    const parts = (isAll ? c.all : c.any).map((x) => evaluate(x, facts, platform, vocabulary));
    const decisive = parts.filter((p) => p.truth === !isAll);
    const out: Evaluation = { truth: "unknown", used: new Set(), missing: new Set() };
    if (decisive.length > 0) {
      // One false settles "all" (one true settles "any"): only the decisive parts are the evidence.
      out.truth = !isAll;
      for (const p of decisive) merge(out, p);
      out.missing.clear();
      return out;
    }
    for (const p of parts) merge(out, p);
    if (parts.every((p) => p.truth === isAll)) out.truth = isAll;
    return out;
  }
  const known = facts.known.get(c.fact);
  if (!known) return { truth: "unknown", used: new Set(), missing: new Set([c.fact]) };
  const holds = "is" in c ? known.value === c.is : c.in.includes(String(known.value));
  return { truth: holds, used: new Set([c.fact]), missing: new Set() };
}

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { load as parseYaml } from "js-yaml";
import { z } from "zod";
import { KnowledgeError } from "../errors.js";

import { Claim, type Condition, KnowledgeEntry, Question, SourceArticle } from "./schema.js";

export interface KnowledgeBase {
  readonly entries: readonly KnowledgeEntry[];
  readonly questions: readonly Question[];
  readonly sources: readonly SourceArticle[];
  /** What each article says, located by a quote, and the entries that hold each statement. */
  readonly claims: readonly Claim[];
  /** A content hash, printed in every threat model so readers know which base produced it. */
  readonly version: string;
  entry(id: string): KnowledgeEntry | undefined;
  question(id: string): Question | undefined;
  source(id: string): SourceArticle | undefined;
}

/** The knowledge/ folder shipped with the package (two levels above src/core/knowledge or dist/core/knowledge). */
export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL("../../../knowledge", import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => join(dir, f));
}

function formatIssues(file: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${basename(file)}: ${i.path.join(".") || "(root)"}: ${i.message}`);
}

function readYaml(file: string, problems: string[]): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`${basename(file)}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function conditionRefs(c: Condition): { question: string; values: string[] }[] {
  if ("all" in c) return c.all.flatMap(conditionRefs);
  if ("any" in c) return c.any.flatMap(conditionRefs);
  return [{ question: c.question, values: "in" in c ? c.in : c.notIn }];
}

/**
 * Claims name real sources and entries, ids are unique, and an entry cites exactly the articles
 * whose claims it holds: no citation without a located statement, no statement left uncited.
 */
function claimProblems(
  claims: readonly Claim[],
  entries: readonly KnowledgeEntry[],
  sourceById: ReadonlyMap<string, SourceArticle>,
): string[] {
  const problems: string[] = [];
  const entryIds = new Set(entries.map((e) => e.id));
  const seen = new Set<string>();
  const held = new Map<string, Set<string>>();
  for (const c of claims) {
    if (seen.has(c.id)) problems.push(`claim ${c.id}: id used twice`);
    seen.add(c.id);
    if (!sourceById.has(c.source)) problems.push(`claim ${c.id}: unknown source ${c.source}`);
    for (const e of c.entries) {
      if (!entryIds.has(e)) problems.push(`claim ${c.id}: unknown entry ${e}`);
      const set = held.get(e) ?? new Set<string>();
      held.set(e, set.add(c.source));
    }
  }
  for (const e of entries) {
    const backed = held.get(e.id) ?? new Set<string>();
    for (const s of e.sources)
      if (!backed.has(s))
        problems.push(`entry ${e.id}: cites ${s}, but no claim from ${s} names this entry (see claims.yaml)`);
    for (const s of backed)
      if (!e.sources.includes(s))
        problems.push(`entry ${e.id}: holds a claim from ${s} but does not cite it`);
  }
  return problems;
}

/** Load and cross-check the knowledge base; every problem is reported at once with its file and path. */
export function loadKnowledgeBase(dir: string = DEFAULT_KNOWLEDGE_DIR): KnowledgeBase {
  const problems: string[] = [];
  const entries: KnowledgeEntry[] = [];
  const questions: Question[] = [];

  for (const file of yamlFiles(join(dir, "entries"))) {
    const parsed = KnowledgeEntry.safeParse(readYaml(file, problems));
    if (!parsed.success) problems.push(...formatIssues(file, parsed.error));
    else if (`${parsed.data.id}.yaml` !== basename(file))
      problems.push(`${basename(file)}: file name must be <id>.yaml`);
    else entries.push(parsed.data);
  }
  for (const file of yamlFiles(join(dir, "questions"))) {
    const parsed = z.array(Question).safeParse(readYaml(file, problems));
    if (!parsed.success) problems.push(...formatIssues(file, parsed.error));
    else questions.push(...parsed.data);
  }
  const sourcesFile = join(dir, "sources.yaml");
  const sourcesParsed = z.array(SourceArticle).safeParse(readYaml(sourcesFile, problems));
  const sources = sourcesParsed.success ? sourcesParsed.data : [];
  if (!sourcesParsed.success) problems.push(...formatIssues(sourcesFile, sourcesParsed.error));

  const claimsFile = join(dir, "claims.yaml");
  // A base that cites no article needs no claims file.
  const claimsParsed = existsSync(claimsFile)
    ? z.array(Claim).safeParse(readYaml(claimsFile, problems))
    : { success: true as const, data: [] };
  const claims = claimsParsed.success ? claimsParsed.data : [];
  if (!claimsParsed.success) problems.push(...formatIssues(claimsFile, claimsParsed.error));

  const entryById = new Map(entries.map((e) => [e.id, e]));
  const questionById = new Map(questions.map((q) => [q.id, q]));
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  if (entryById.size !== entries.length) problems.push("two entries share an id");
  if (questionById.size !== questions.length) {
    const seen = new Set<string>();
    for (const q of questions)
      if (seen.has(q.id) || !seen.add(q.id)) problems.push(`question id ${q.id} is used twice`);
  }

  problems.push(...claimProblems(claims, entries, sourceById));
  for (const e of entries) {
    for (const s of e.sources) if (!sourceById.has(s)) problems.push(`entry ${e.id}: unknown source ${s}`);
    for (const q of e.questions)
      if (!questionById.has(q)) problems.push(`entry ${e.id}: unknown question ${q}`);
    const mitigationIds = e.mitigations.map((m) => m.id);
    if (new Set(mitigationIds).size !== mitigationIds.length)
      problems.push(`entry ${e.id}: mitigation ids repeat`);
  }
  for (const q of questions) {
    for (const o of q.options) {
      for (const target of Object.keys(o.effects)) {
        if (!entryById.has(target))
          problems.push(`question ${q.id} option ${o.value}: unknown entry ${target}`);
      }
    }
    for (const ref of q.askWhen ? conditionRefs(q.askWhen) : []) {
      const asked = questionById.get(ref.question);
      if (!asked) {
        problems.push(`question ${q.id}: askWhen names unknown question ${ref.question}`);
        continue;
      }
      if (asked.order >= q.order) problems.push(`question ${q.id}: askWhen must look at an earlier question`);
      const known = new Set([...asked.options.map((o) => o.value), "unsure", "skip"]);
      for (const v of ref.values) {
        if (!known.has(v))
          problems.push(`question ${q.id}: askWhen value ${v} is not an option of ${ref.question}`);
      }
    }
  }
  if (problems.length > 0) throw new KnowledgeError(problems);

  const sortedQuestions = [...questions].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const version = createHash("sha256")
    .update(JSON.stringify([entries, sortedQuestions, sources, claims]))
    .digest("hex")
    .slice(0, 12);
  return {
    entries,
    questions: sortedQuestions,
    sources,
    claims,
    version,
    entry: (id) => entryById.get(id),
    question: (id) => questionById.get(id),
    source: (id) => sourceById.get(id),
  };
}

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { load as parseYaml } from "js-yaml";
import { z } from "zod";
import { KnowledgeError } from "../errors.js";
import { factsIn, Vocabulary } from "../facts/vocabulary.js";
import { platformWordProblems } from "./platform-lint.js";
import {
  Claim,
  FactVocabulary,
  KnowledgeEntry,
  LegacyQuestion,
  Question,
  QuestionSet,
  SourceArticle,
  type ThreatRule,
} from "./schema.js";

export interface KnowledgeBase {
  readonly entries: readonly KnowledgeEntry[];
  readonly questions: readonly Question[];
  readonly sources: readonly SourceArticle[];
  /** What each article says, located by a quote, and the entries that hold each statement. */
  readonly claims: readonly Claim[];
  readonly vocabulary: Vocabulary;
  /** Questions teams asked, with the entries that answer them (empty when the base has no asked.yaml). */
  readonly asked: QuestionSet;
  /** A content hash, printed in every threat model so readers know which base produced it. */
  readonly version: string;
  entry(id: string): KnowledgeEntry | undefined;
  question(id: string): Question | undefined;
  source(id: string): SourceArticle | undefined;
  /** A question of an earlier bank that stored reviews may have answered. */
  legacy(questionId: string): LegacyQuestion | undefined;
  /** A threat rule by its stable id, "<entry id>/<rule id>". */
  rule(ruleId: string): { entry: KnowledgeEntry; rule: ThreatRule } | undefined;
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

/** A file the base may leave out: `empty` when absent; when invalid, its problems are reported and `empty` stands in. */
function readOptional<T>(file: string, schema: z.ZodType<T>, empty: T, problems: string[]): T {
  if (!existsSync(file)) return empty;
  const parsed = schema.safeParse(readYaml(file, problems));
  if (parsed.success) return parsed.data;
  problems.push(...formatIssues(file, parsed.error));
  return empty;
}

const NO_ASKED_QUESTIONS: QuestionSet = { questions: [], clarify: [], offTopic: [] };

function questionProblems(q: Question, v: Vocabulary, setBefore: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const where = `question ${q.id}`;
  for (const p of q.platforms ?? []) if (!v.knows(p)) problems.push(`${where}: unknown platform ${p}`);
  // A flag set by several options of a multi-select must agree, so that "not chosen" has one meaning.
  const flagValues = new Map<string, boolean>();
  for (const o of q.options) {
    for (const p of o.platforms ?? [])
      if (!v.knows(p)) problems.push(`${where} option ${o.value}: unknown platform ${p}`);
    if (o.platform && !v.platforms.includes(o.platform))
      problems.push(`${where} option ${o.value}: unknown platform ${o.platform}`);
    for (const [fact, value] of Object.entries(o.sets)) {
      const bad = v.checkValue(fact, value);
      if (bad) problems.push(`${where} option ${o.value}: ${bad}`);
      if (q.kind === "multi") {
        if (typeof value !== "boolean")
          problems.push(`${where} option ${o.value}: a multi-select sets flags only`);
        else if (flagValues.get(fact) === !value)
          problems.push(`${where}: options set ${fact} both true and false`);
        else flagValues.set(fact, value);
      }
    }
    if (o.exclusive && q.kind !== "multi") problems.push(`${where}: only multi-select options are exclusive`);
  }
  for (const fact of q.askWhen ? factsIn(q.askWhen) : []) {
    if (!setBefore.has(fact))
      problems.push(`${where}: askWhen reads ${fact}, which no earlier question sets`);
  }
  if (q.askWhen) problems.push(...v.checkCondition(q.askWhen).map((m) => `${where}: askWhen: ${m}`));
  return problems;
}

function entryProblems(e: KnowledgeEntry, v: Vocabulary): string[] {
  const problems: string[] = [];
  const mitigationIds = new Set(e.mitigations.map((m) => m.id));
  if (mitigationIds.size !== e.mitigations.length) problems.push(`entry ${e.id}: mitigation ids repeat`);
  const ruleIds = e.threats.map((t) => t.id);
  if (new Set(ruleIds).size !== ruleIds.length) problems.push(`entry ${e.id}: threat ids repeat`);
  const entryPlatforms = new Set(e.deploymentModels.flatMap((m) => v.platformsOf(m)));
  const checkPlatforms = (where: string, refs: readonly string[] | undefined) => {
    for (const r of refs ?? []) {
      if (!v.knows(r)) problems.push(`${where}: unknown platform ${r}`);
      else if (!v.resolve([r]).some((p) => entryPlatforms.has(p)))
        problems.push(`${where}: ${r} is outside the entry's deployment models`);
    }
  };
  const used = new Set<string>();
  for (const t of e.threats) {
    const where = `entry ${e.id} threat ${t.id}`;
    checkPlatforms(where, t.platforms);
    for (const w of t.wording) checkPlatforms(`${where} wording`, w.platforms);
    if (!t.inherent && !t.when)
      problems.push(`${where}: a threat needs a "when" condition unless it is inherent`);
    for (const c of [t.when, t.unless])
      if (c) problems.push(...v.checkCondition(c).map((m) => `${where}: ${m}`));
    for (const m of t.mitigations) {
      if (!mitigationIds.has(m)) problems.push(`${where}: unknown mitigation ${m}`);
      used.add(m);
    }
  }
  for (const m of e.mitigations) {
    const where = `entry ${e.id} mitigation ${m.id}`;
    checkPlatforms(where, m.platforms);
    for (const w of m.wording) checkPlatforms(`${where} wording`, w.platforms);
    if (m.inPlaceWhen) problems.push(...v.checkCondition(m.inPlaceWhen).map((x) => `${where}: ${x}`));
    if (!used.has(m.id)) problems.push(`${where}: no threat names it`);
  }
  return problems;
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

  const factsFile = join(dir, "facts.yaml");
  const vocabParsed = FactVocabulary.safeParse(readYaml(factsFile, problems));
  if (!vocabParsed.success) {
    problems.push(...formatIssues(factsFile, vocabParsed.error));
    throw new KnowledgeError(problems);
  }
  const vocabulary = new Vocabulary(vocabParsed.data);

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

  // A base that cites no article needs no claims file; legacy answers and asked questions are optional too.
  const claims = readOptional(join(dir, "claims.yaml"), z.array(Claim), [], problems);
  const legacyQuestions = readOptional(
    join(dir, "legacy-questions.yaml"),
    z.array(LegacyQuestion),
    [],
    problems,
  );
  const asked = readOptional(join(dir, "asked.yaml"), QuestionSet, NO_ASKED_QUESTIONS, problems);
  const legacy = new Map(legacyQuestions.map((l) => [l.question, l]));
  for (const l of legacy.values()) {
    // An id the new bank reuses is fine as long as no old value could be read as a new option.
    const reused = questions.find((q) => q.id === l.question);
    for (const value of Object.keys(l.options))
      if (reused?.options.some((o) => o.value === value))
        problems.push(
          `legacy question ${l.question}: value ${value} is also an option of the current question`,
        );
    for (const [value, o] of Object.entries(l.options)) {
      for (const [fact, v] of Object.entries(o.sets)) {
        const bad = vocabulary.checkValue(fact, v);
        if (bad) problems.push(`legacy question ${l.question} option ${value}: ${bad}`);
      }
      if (o.platform && !vocabulary.platforms.includes(o.platform))
        problems.push(`legacy question ${l.question} option ${value}: unknown platform ${o.platform}`);
    }
  }

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
  for (const q of asked.questions)
    for (const id of q.expect)
      if (!entryById.has(id)) problems.push(`asked.yaml: "${q.question}" expects unknown entry ${id}`);
  const sortedQuestions = [...questions].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const setBefore = new Set<string>();
  for (const q of sortedQuestions) {
    problems.push(...questionProblems(q, vocabulary, setBefore));
    for (const o of q.options) for (const f of Object.keys(o.sets)) setBefore.add(f);
  }
  const rules = new Map<string, { entry: KnowledgeEntry; rule: ThreatRule }>();
  for (const e of entries) {
    for (const s of e.sources) if (!sourceById.has(s)) problems.push(`entry ${e.id}: unknown source ${s}`);
    problems.push(...entryProblems(e, vocabulary), ...platformWordProblems(e, vocabulary));
    for (const rule of e.threats) rules.set(`${e.id}/${rule.id}`, { entry: e, rule });
  }
  if (problems.length > 0) throw new KnowledgeError(problems);

  const version = createHash("sha256")
    .update(JSON.stringify([vocabParsed.data, entries, sortedQuestions, sources, claims, asked]))
    .digest("hex")
    .slice(0, 12);
  return {
    entries,
    questions: sortedQuestions,
    sources,
    claims,
    vocabulary,
    asked,
    version,
    entry: (id) => entryById.get(id),
    question: (id) => questionById.get(id),
    source: (id) => sourceById.get(id),
    rule: (id) => rules.get(id),
    legacy: (id) => legacy.get(id),
  };
}

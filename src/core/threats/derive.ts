import { v5 as uuidv5 } from "uuid";
import { type Evaluation, evaluate } from "../facts/evaluate.js";
import type { FactState } from "../facts/state.js";
import type { Vocabulary } from "../facts/vocabulary.js";
import type { KnowledgeBase } from "../knowledge/load.js";
import type {
  DeploymentModel,
  FrameworkRef,
  KnowledgeEntry,
  Owner,
  ThreatRule,
  Workload,
} from "../knowledge/schema.js";
import {
  mitigationPlatforms,
  mitigationText,
  rulePlatforms,
  ruleStatement,
  threatSentence,
} from "../knowledge/wording.js";
import type { ReviewState } from "../review/engine.js";
import { answerLabel, pinsPlatform, type Walk, walkReview } from "../review/walk.js";
import {
  type Evidence,
  type FactEvidence,
  type ModelMitigation,
  type ModelThreat,
  type OpenQuestion,
  SEVERITIES,
  type Severity,
  type ThreatModel,
} from "./model.js";
import { rankThreats } from "./rank.js";
import { type EvidenceStrength, type ExposureContext, score, severity } from "./severity.js";

/** Namespace for the stable UUIDs of threats and mitigations (uuid v5 of review + rule ids). */
const UUID_NAMESPACE = "1b671a64-40d5-491e-99b0-da01ff1f3341";

export interface ReviewMeta {
  id: number;
  uuid: string;
  name: string;
  workload: Workload;
  createdBy: string;
  createdAt: string;
}

type Outcome =
  | { kind: "absent" }
  | { kind: "confirmed" | "mitigated" | "inherent"; used: Set<string> }
  | { kind: "unconfirmed"; used: Set<string>; missing: Set<string> };

const TRUE: Evaluation = { truth: true, used: new Set(), missing: new Set() };
const FALSE: Evaluation = { truth: false, used: new Set(), missing: new Set() };

/** What one rule says on one platform, from its `when` and `unless` conditions. */
function outcomeOn(rule: ThreatRule, platform: string, facts: FactState, kb: KnowledgeBase): Outcome {
  const v = kb.vocabulary;
  const when = rule.when ? evaluate(rule.when, facts, platform, v) : TRUE;
  if (when.truth === false) return { kind: "absent" };
  if (rule.inherent && when.truth === true) return { kind: "inherent", used: when.used };
  const raw = rule.unless ? evaluate(rule.unless, facts, platform, v) : FALSE;
  // An exception no open question can still establish is not in place; otherwise a threat the team
  // confirmed would vanish because nothing asks about its exception.
  const settleable = [...raw.missing].some((f) => facts.open.has(f));
  const unless = raw.truth === "unknown" && !settleable ? { ...raw, truth: false as const } : raw;
  const used = new Set([...when.used, ...unless.used]);
  if (unless.truth === true) return when.truth === true ? { kind: "mitigated", used } : { kind: "absent" };
  if (when.truth === true && unless.truth === false) return { kind: "confirmed", used: when.used };
  return { kind: "unconfirmed", used, missing: new Set([...when.missing, ...unless.missing]) };
}

function exposureOf(facts: FactState): ExposureContext {
  const internet = facts.known.get("exposure.internet")?.value;
  const data = facts.known.get("data.sensitivity")?.value;
  return {
    internetFacing: typeof internet === "boolean" ? internet : undefined,
    dataSensitivity:
      data === "public" || data === "internal" || data === "confidential" || data === "restricted"
        ? data
        : undefined,
  };
}

function evidenceOf(facts: FactState, ids: Iterable<string>): FactEvidence[] {
  return [...new Set(ids)].sort().flatMap((fact) => {
    const k = facts.known.get(fact);
    return k ? [{ fact, value: k.value, source: k.source }] : [];
  });
}

interface Candidate {
  entry: KnowledgeEntry;
  rule: ThreatRule;
  evidence: Evidence;
  status: "open" | "mitigated";
  platforms: string[];
  used: Set<string>;
  dependsOn: string[];
}

/**
 * Combine a rule's outcome over the platforms the review may be about. A decided review whose platform
 * nobody pinned confirms a threat only if it holds on every platform of the workload; an undecided
 * review shows it once, on the candidates where it holds.
 */
function judge(entry: KnowledgeEntry, rule: ThreatRule, walk: Walk, kb: KnowledgeBase, workload: Workload) {
  const possible = rulePlatforms(entry, rule, kb.vocabulary).filter((p) => walk.platforms.includes(p));
  const results = possible
    .map((p) => ({ p, o: outcomeOn(rule, p, walk.facts, kb) }))
    .filter((r) => r.o.kind !== "absent");
  if (results.length === 0) return undefined;
  const platformOpen = !walk.platformsKnown && workload !== "undecided";
  const holdsEverywhere = results.length === walk.platforms.length;
  const used = new Set<string>();
  const missing = new Set<string>();
  for (const { o } of results) {
    if (o.kind === "absent") continue;
    for (const f of o.used) used.add(f);
    if (o.kind === "unconfirmed") for (const f of o.missing) missing.add(f);
  }
  const kinds = new Set(results.map((r) => r.o.kind));
  let evidence: Evidence;
  let status: "open" | "mitigated" = "open";
  if (kinds.has("inherent") && kinds.size === 1) evidence = "inherent";
  else if (kinds.has("confirmed")) evidence = "confirmed";
  else if (kinds.has("mitigated") && !kinds.has("unconfirmed")) {
    evidence = "confirmed";
    status = "mitigated";
  } else evidence = "unconfirmed";

  const dependsOn = new Set<string>();
  for (const f of missing) for (const q of walk.facts.open.get(f) ?? []) dependsOn.add(q);
  if (platformOpen && !holdsEverywhere && evidence !== "inherent") {
    // Whether it applies at all depends on the platform nobody pinned.
    evidence = "unconfirmed";
    if (walk.platformQuestion) dependsOn.add(walk.platformQuestion);
  }
  // A threat nobody could settle by answering anything is not reported: it rests on no question.
  if (evidence === "unconfirmed" && dependsOn.size === 0) return undefined;
  // A confirmed threat is shown on the options where it is confirmed, not where it merely might hold.
  const shownOn =
    evidence === "confirmed"
      ? results.filter((r) => r.o.kind === (status === "open" ? "confirmed" : "mitigated"))
      : results;
  return {
    entry,
    rule,
    evidence,
    status,
    platforms: shownOn.map((r) => r.p),
    used,
    dependsOn: [...dependsOn],
  } satisfies Candidate;
}

/** Context facts describe the workload, not a risk the team took. */
const CONTEXT_FACTS = new Set(["exposure.internet", "data.sensitivity", "api.present"]);

/**
 * "stated" when a fact the threat rests on is something the team said is so (a risky flag set, a
 * risky choice made); "missing-control" when it rests only on controls they did not pick.
 */
function strengthOf(used: Set<string>, facts: FactState, v: Vocabulary): EvidenceStrength {
  for (const f of used) {
    if (CONTEXT_FACTS.has(f)) continue;
    const value = facts.known.get(f)?.value;
    if (value === true || (typeof value === "string" && v.fact(f)?.kind === "one")) return "stated";
  }
  return "missing-control";
}

const emptyCounts = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

const pad = (n: number) => String(n).padStart(3, "0");

const EVIDENCE_ORDER: Record<Evidence, number> = { confirmed: 0, unconfirmed: 1, inherent: 2 };

/** Turn a review's answers, files and the knowledge base into a threat model. Pure and deterministic. */
export function deriveThreatModel(
  kb: KnowledgeBase,
  review: ReviewMeta,
  state: ReviewState,
  opts: { version: number; generatedAt: string },
): ThreatModel {
  const v = kb.vocabulary;
  const walk = walkReview(kb, state);
  const exposure = exposureOf(walk.facts);
  const modelOf = (p: string) => v.model(p) as DeploymentModel;
  const entries = [...kb.entries].sort((a, b) => a.id.localeCompare(b.id));

  const candidates = entries.flatMap((entry) =>
    entry.threats.flatMap((rule) => judge(entry, rule, walk, kb, review.workload) ?? []),
  );
  const scored = candidates.map((c) => {
    const strength = strengthOf(c.used, walk.facts, v);
    const { likelihood, impact } = score(c.rule, exposure, strength);
    return { ...c, strength, likelihood, impact, severity: severity(likelihood, impact) };
  });
  const confirmedOpen = rankThreats(
    scored.filter((c) => c.evidence === "confirmed" && c.status === "open"),
    exposure,
  );
  const rest = scored
    .filter((c) => !(c.evidence === "confirmed" && c.status === "open"))
    .sort(
      (a, b) =>
        EVIDENCE_ORDER[a.evidence] - EVIDENCE_ORDER[b.evidence] ||
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        b.likelihood * b.impact - a.likelihood * a.impact,
    );
  const ordered = [...confirmedOpen, ...rest];

  const threats: ModelThreat[] = [];
  const mitigations = new Map<string, ModelMitigation>();
  for (const [i, c] of ordered.entries()) {
    const threatId = `T-${pad(i + 1)}`;
    const ruleId = `${c.entry.id}/${c.rule.id}`;
    const statement = ruleStatement(c.rule, c.platforms, v);
    const mitigationIds: string[] = [];
    for (const mid of c.rule.mitigations) {
      const m = c.entry.mitigations.find((x) => x.id === mid);
      if (!m) continue;
      const where = mitigationPlatforms(c.entry, m, v).filter((p) => c.platforms.includes(p));
      if (where.length === 0) continue;
      const text = mitigationText(m, where, v);
      // One mitigation per wording: threats on different platforms may need it said differently.
      const key = `${c.entry.id}/${m.id}\n${text}`;
      let mm = mitigations.get(key);
      if (!mm) {
        const inPlaceWhen = m.inPlaceWhen;
        const inPlace = inPlaceWhen ? where.map((p) => evaluate(inPlaceWhen, walk.facts, p, v)) : [];
        const implemented = inPlace.length > 0 && inPlace.every((e) => e.truth === true);
        mm = {
          id: `M-${pad(mitigations.size + 1)}`,
          uuid: uuidv5(`${review.uuid}/mitigation/${key}`, UUID_NAMESPACE),
          knowledgeId: c.entry.id,
          mitigationId: `${c.entry.id}/${m.id}`,
          text,
          platforms: where,
          threats: [],
          status: implemented ? "implemented" : "recommended",
          because: implemented
            ? evidenceOf(
                walk.facts,
                inPlace.flatMap((e) => [...e.used]),
              )
            : [],
        };
        mitigations.set(key, mm);
      }
      for (const p of where) if (!mm.platforms.includes(p)) mm.platforms.push(p);
      mm.threats.push(threatId);
      mitigationIds.push(mm.id);
    }
    const rank = c.evidence === "confirmed" && c.status === "open" ? i + 1 : undefined;
    threats.push({
      id: threatId,
      uuid: uuidv5(`${review.uuid}/threat/${ruleId}`, UUID_NAMESPACE),
      ruleId,
      knowledgeId: c.entry.id,
      evidence: c.evidence,
      platforms: c.platforms,
      deploymentModels: [...new Set(c.platforms.map(modelOf))],
      statement: threatSentence(statement),
      ...statement,
      stride: c.rule.stride,
      likelihood: c.likelihood,
      impact: c.impact,
      severity: c.severity,
      status: c.status,
      ...(rank ? { rank } : {}),
      because: evidenceOf(walk.facts, c.used),
      dependsOn: c.dependsOn,
      mitigations: mitigationIds,
      sources: c.entry.sources,
    });
  }

  const openQuestions = openQuestionsOf(state, walk, threats);
  const usedEntries = entries.filter((e) => threats.some((t) => t.knowledgeId === e.id));
  const models = [...new Set(walk.platforms.map(modelOf))];
  const owners: Record<Owner, number> = { team: 0, provider: 0, shared: 0 };
  for (const e of usedEntries)
    for (const m of models) {
      const owner = e.responsibility[m]?.owner;
      if (owner) owners[owner] += 1;
    }

  const confirmed = threats.filter((t) => t.evidence === "confirmed");
  const bySeverity = emptyCounts();
  for (const t of confirmed) if (t.status === "open") bySeverity[t.severity] += 1;

  const answered = state.answers
    .filter((a) => walk.questions.some((q) => q.id === a.questionId) || kb.legacy(a.questionId))
    .map((a) => {
      const q = kb.question(a.questionId);
      const legacy = kb.legacy(a.questionId);
      const legacyLabel = a.value.kind === "choice" ? legacy?.options[a.value.value]?.label : undefined;
      return {
        questionId: a.questionId,
        question: q?.text ?? (legacy ? `${legacy.text} (earlier question bank)` : a.questionId),
        answer: legacyLabel ?? answerLabel(q, a.value),
        answeredBy: a.actor,
        answeredAt: a.at,
      };
    });
  const isContext = (id: string) => kb.question(id)?.section === "context";

  const sourceIds = new Set(usedEntries.flatMap((e) => e.sources));
  const refs = new Map<string, FrameworkRef>();
  for (const e of usedEntries)
    for (const r of e.references) refs.set(`${r.framework}|${r.version}|${r.id}`, r);

  return {
    schemaVersion: 2,
    review: {
      ...review,
      status: state.finished ? "finished" : "in_progress",
      platforms: walk.platforms,
      platformsConfirmed: walk.platformsKnown,
    },
    platformNames: Object.fromEntries(walk.platforms.map((p) => [p, v.label(p)])),
    version: opts.version,
    generatedAt: opts.generatedAt,
    knowledgeBaseVersion: kb.version,
    summary: {
      confirmed: confirmed.length,
      open: confirmed.filter((t) => t.status === "open").length,
      mitigated: confirmed.filter((t) => t.status === "mitigated").length,
      bySeverity,
      unconfirmed: threats.filter((t) => t.evidence === "unconfirmed").length,
      inherent: threats.filter((t) => t.evidence === "inherent").length,
      openQuestions: openQuestions.length,
      questionsAsked: walk.questions.length,
      top: threats.filter((t) => t.rank !== undefined && t.rank <= 5).map((t) => t.id),
      teamOwned: owners.team,
      providerOwned: owners.provider,
      sharedOwned: owners.shared,
    },
    context: answered.filter((a) => isContext(a.questionId)),
    answers: answered.filter((a) => !isContext(a.questionId)),
    files: state.fileFacts.map((f) => ({
      fact: f.fact,
      value: f.value,
      file: f.file,
      line: f.line,
      excerpt: f.excerpt,
    })),
    responsibility: usedEntries.map((e) => ({
      knowledgeId: e.id,
      concern: e.title,
      owners: Object.fromEntries(
        models.flatMap((m) => {
          const r = e.responsibility[m];
          return r ? [[m, { owner: r.owner, note: r.note }]] : [];
        }),
      ),
    })),
    threats,
    mitigations: [...mitigations.values()],
    openQuestions,
    ...(review.workload === "undecided"
      ? { comparison: compare(usedEntries, walk.platforms, threats, modelOf, v.label.bind(v)) }
      : {}),
    sources: kb.sources.filter((s) => sourceIds.has(s.id)),
    references: [...refs.values()].sort(
      (a, b) => a.framework.localeCompare(b.framework) || a.id.localeCompare(b.id, "en", { numeric: true }),
    ),
  };
}

/** Every question asked and not answered, with the unconfirmed threats that hang on it. */
function openQuestionsOf(state: ReviewState, walk: Walk, threats: ModelThreat[]): OpenQuestion[] {
  const answers = new Map(state.answers.map((a) => [a.questionId, a]));
  return walk.questions.flatMap((q) => {
    const a = answers.get(q.id);
    if (a && a.value.kind !== "unsure" && a.value.kind !== "skip") return [];
    if (q.kind === "text") return [];
    const hanging = threats.filter((t) => t.evidence === "unconfirmed" && t.dependsOn.includes(q.id));
    const worst = SEVERITIES.find((s) => hanging.some((t) => t.severity === s));
    const reason = !a ? "unanswered" : a.value.kind === "unsure" ? "unsure" : "skipped";
    // The platform question's threats are every one that differs by platform: too many to list.
    const listed = pinsPlatform(q) ? [] : hanging.map((t) => t.id);
    return [
      {
        questionId: q.id,
        text: q.text,
        reason,
        threats: listed,
        ...(worst && listed.length > 0 ? { potential: worst } : {}),
      } satisfies OpenQuestion,
    ];
  });
}

/** Per concern, what each platform on the table means for the team, and what changes between them. */
function compare(
  entries: KnowledgeEntry[],
  platforms: string[],
  threats: ModelThreat[],
  modelOf: (p: string) => DeploymentModel,
  label: (p: string) => string,
) {
  return entries.flatMap((e) => {
    const options: Record<string, { owner: Owner; note: string; threats: string[] }> = {};
    for (const p of platforms) {
      const r = e.responsibility[modelOf(p)];
      if (!r) continue;
      options[p] = {
        owner: r.owner,
        note: r.note,
        threats: threats.filter((t) => t.knowledgeId === e.id && t.platforms.includes(p)).map((t) => t.id),
      };
    }
    const present = Object.entries(options);
    if (present.length === 0) return [];
    const absent = platforms.filter((p) => !options[p]).map(label);
    const owners = new Set(present.map(([, o]) => o.owner));
    const threatSets = new Set(present.map(([, o]) => o.threats.join(",")));
    const parts: string[] = [];
    if (absent.length > 0) parts.push(`Does not arise on ${absent.join(", ")}.`);
    if (owners.size > 1)
      parts.push(`Ownership moves: ${present.map(([p, o]) => `${o.owner} on ${label(p)}`).join(", ")}.`);
    if (threatSets.size > 1) {
      const only = present
        .filter(([, o]) => o.threats.length > 0)
        .map(([p, o]) => `${o.threats.join(", ")} on ${label(p)}`);
      parts.push(only.length > 0 ? `Threats differ: ${only.join("; ")}.` : "Threats differ by option.");
    }
    return [
      {
        knowledgeId: e.id,
        concern: e.title,
        options,
        difference: parts.length > 0 ? parts.join(" ") : "The same under every option.",
      },
    ];
  });
}

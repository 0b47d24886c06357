import { v5 as uuidv5 } from "uuid";
import type { KnowledgeBase } from "../knowledge/load.js";
import {
  DEPLOYMENT_MODELS,
  type DeploymentModel,
  type FrameworkRef,
  type KnowledgeEntry,
  type Owner,
  type Question,
  type Signal,
  type Workload,
} from "../knowledge/schema.js";
import { applicableQuestions, effectiveAnswers, type ReviewState } from "../review/engine.js";
import type { RecordedAnswer } from "../review/events.js";
import {
  type ModelMitigation,
  type ModelThreat,
  type OpenQuestion,
  SEVERITIES,
  type Severity,
  type ThreatModel,
} from "./model.js";
import { type ExposureContext, score, severity } from "./severity.js";

/** Namespace for the stable UUIDs of threats and mitigations (uuid v5 of review + knowledge ids). */
const UUID_NAMESPACE = "1b671a64-40d5-491e-99b0-da01ff1f3341";

export interface ReviewMeta {
  id: number;
  uuid: string;
  name: string;
  workload: Workload;
  createdBy: string;
  createdAt: string;
}

type EntrySignal = Signal | "baseline";
interface Finding {
  signal: EntrySignal;
  reasons: string[];
}

export function modelsFor(workload: Workload): DeploymentModel[] {
  return workload === "undecided" ? [...DEPLOYMENT_MODELS] : [workload];
}

export function describeAnswer(q: Question | undefined, a: RecordedAnswer): string {
  switch (a.value.kind) {
    case "choice": {
      const v = a.value.value;
      return q?.options.find((o) => o.value === v)?.label ?? v;
    }
    case "text":
      return a.value.text;
    case "unsure":
      return "Unsure";
    case "skip":
      return "Skipped";
  }
}

/** Every entry a question can say something about. */
function entriesTouchedBy(q: Question): string[] {
  return [...new Set(q.options.flatMap((o) => Object.keys(o.effects)))].sort();
}

// Conservative precedence: any sign of risk wins over a claim that it is handled.
const PRECEDENCE: EntrySignal[] = ["present", "unknown", "mitigated", "not-applicable", "baseline"];

function findings(
  kb: KnowledgeBase,
  state: ReviewState,
): {
  byEntry: Map<string, Finding>;
  open: OpenQuestion[];
} {
  const collected = new Map<string, { signals: EntrySignal[]; reasons: string[] }>();
  const note = (entryId: string, signal: EntrySignal, reason: string) => {
    const f = collected.get(entryId) ?? { signals: [], reasons: [] };
    f.signals.push(signal);
    f.reasons.push(reason);
    collected.set(entryId, f);
  };
  const open: OpenQuestion[] = [];
  const answers = new Map(effectiveAnswers(kb, state).map((a) => [a.questionId, a]));

  for (const q of applicableQuestions(kb, state)) {
    const a = answers.get(q.id);
    if (a?.value.kind === "choice") {
      const chosen = a.value.value;
      const option = q.options.find((o) => o.value === chosen);
      for (const [entryId, signal] of Object.entries(option?.effects ?? {})) {
        note(entryId, signal, `${q.id}: "${option?.label}"`);
      }
      continue;
    }
    if (a?.value.kind === "text") continue;
    const reason = !a ? "unanswered" : a.value.kind === "unsure" ? "unsure" : "skipped";
    const touched = entriesTouchedBy(q);
    open.push({ questionId: q.id, text: q.text, reason, knowledgeIds: touched });
    for (const entryId of touched) note(entryId, "unknown", `${q.id}: ${reason}`);
  }

  const byEntry = new Map<string, Finding>();
  for (const [entryId, f] of collected) {
    const signal = PRECEDENCE.find((s) => f.signals.includes(s)) ?? "baseline";
    byEntry.set(entryId, { signal, reasons: f.reasons });
  }
  return { byEntry, open };
}

function exposureOf(state: ReviewState): ExposureContext {
  const choice = (id: string) => {
    const a = state.answers.find((x) => x.questionId === id);
    return a?.value.kind === "choice" ? a.value.value : undefined;
  };
  const internet = choice("context.internet-facing");
  const data = choice("context.data-sensitivity");
  return {
    internetFacing: internet === "yes" ? true : internet === "no" ? false : undefined,
    dataSensitivity:
      data === "public" || data === "internal" || data === "confidential" || data === "restricted"
        ? data
        : undefined,
  };
}

function basisText(f: Finding | undefined, model: DeploymentModel): string {
  if (!f || f.signal === "baseline") return `Baseline concern for every ${model} workload.`;
  const verb =
    f.signal === "present"
      ? "Answers indicate the risk is present"
      : f.signal === "mitigated"
        ? "Answers indicate it is handled"
        : "Not confirmed either way";
  return `${verb} (${f.reasons.join("; ")}).`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function threatSentence(t: {
  threatSource: string;
  prerequisites: string;
  threatAction: string;
  threatImpact: string;
  impactedAssets: string[];
}): string {
  return `${capitalise(t.threatSource)} ${t.prerequisites} can ${t.threatAction}, which leads to ${t.threatImpact}, negatively impacting ${t.impactedAssets.join(", ")}.`;
}

const emptyCounts = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

const pad = (n: number) => String(n).padStart(3, "0");

/** Turn a review's answers and the knowledge base into a threat model. Pure and deterministic. */
export function deriveThreatModel(
  kb: KnowledgeBase,
  review: ReviewMeta,
  state: ReviewState,
  opts: { version: number; generatedAt: string },
): ThreatModel {
  const models = modelsFor(review.workload);
  const { byEntry, open } = findings(kb, state);
  const exposure = exposureOf(state);
  const entries = [...kb.entries].sort((a, b) => a.id.localeCompare(b.id));

  const threats: ModelThreat[] = [];
  const mitigations = new Map<string, ModelMitigation>();
  const usedEntries = new Set<KnowledgeEntry>();

  for (const model of models) {
    for (const entry of entries) {
      if (!entry.deploymentModels.includes(model)) continue;
      const finding = byEntry.get(entry.id);
      if (finding?.signal === "not-applicable") continue;
      usedEntries.add(entry);
      entry.threats.forEach((statement, index) => {
        if (statement.appliesTo && !statement.appliesTo.includes(model)) return;
        const { likelihood, impact } = score(statement, exposure);
        const threatId = `T-${pad(threats.length + 1)}`;
        const mitigationIds: string[] = [];
        for (const m of entry.mitigations) {
          if (m.appliesTo && !m.appliesTo.includes(model)) continue;
          const key = `${entry.id}/${m.id}`;
          let mm = mitigations.get(key);
          if (!mm) {
            mm = {
              id: `M-${pad(mitigations.size + 1)}`,
              uuid: uuidv5(`${review.uuid}/mitigation/${key}`, UUID_NAMESPACE),
              knowledgeId: entry.id,
              text: m.text,
              threats: [],
              status: "recommended",
            };
            mitigations.set(key, mm);
          }
          mm.threats.push(threatId);
          mitigationIds.push(mm.id);
        }
        threats.push({
          id: threatId,
          uuid: uuidv5(`${review.uuid}/threat/${model}/${entry.id}/${index}`, UUID_NAMESPACE),
          knowledgeId: entry.id,
          deploymentModel: model,
          statement: threatSentence(statement),
          threatSource: statement.threatSource,
          prerequisites: statement.prerequisites,
          threatAction: statement.threatAction,
          threatImpact: statement.threatImpact,
          impactedAssets: statement.impactedAssets,
          stride: statement.stride,
          likelihood,
          impact,
          severity: severity(likelihood, impact),
          status: finding?.signal === "mitigated" ? "mitigated" : "open",
          basis: basisText(finding, model),
          mitigations: mitigationIds,
          sources: entry.sources,
        });
      });
    }
  }

  const byId = new Map(threats.map((t) => [t.id, t]));
  for (const m of mitigations.values()) {
    if (m.threats.every((id) => byId.get(id)?.status === "mitigated")) m.status = "implemented";
  }

  const ownership = (model: DeploymentModel) => {
    const counts: Record<Owner, number> = { team: 0, provider: 0, shared: 0 };
    for (const e of usedEntries) {
      const owner = e.responsibility[model]?.owner;
      if (owner && e.deploymentModels.includes(model)) counts[owner] += 1;
    }
    return counts;
  };
  const countFor = (list: ModelThreat[]) => {
    const bySeverity = emptyCounts();
    for (const t of list) if (t.status === "open") bySeverity[t.severity] += 1;
    return bySeverity;
  };

  const answered = effectiveAnswers(kb, state).map((a) => {
    const q = kb.question(a.questionId);
    return {
      questionId: a.questionId,
      question: q?.text ?? a.questionId,
      answer: describeAnswer(q, a),
      answeredBy: a.actor,
      answeredAt: a.at,
    };
  });
  const contextIds = new Set(kb.questions.filter((q) => q.section === "context").map((q) => q.id));

  const totals = models.map(ownership).reduce(
    (acc, c) => ({
      team: acc.team + c.team,
      provider: acc.provider + c.provider,
      shared: acc.shared + c.shared,
    }),
    { team: 0, provider: 0, shared: 0 },
  );

  const usedSorted = [...usedEntries].sort((a, b) => a.id.localeCompare(b.id));
  const sourceIds = new Set(usedSorted.flatMap((e) => e.sources));
  const refs = new Map<string, FrameworkRef>();
  for (const e of usedSorted)
    for (const r of e.references) refs.set(`${r.framework}|${r.version}|${r.id}`, r);

  return {
    schemaVersion: 1,
    review: { ...review, status: state.finished ? "finished" : "in_progress" },
    version: opts.version,
    generatedAt: opts.generatedAt,
    knowledgeBaseVersion: kb.version,
    summary: {
      threats: threats.length,
      open: threats.filter((t) => t.status === "open").length,
      bySeverity: countFor(threats),
      openQuestions: open.length,
      teamOwned: totals.team,
      providerOwned: totals.provider,
      sharedOwned: totals.shared,
    },
    context: answered.filter((a) => contextIds.has(a.questionId)),
    answers: answered.filter((a) => !contextIds.has(a.questionId)),
    responsibility: usedSorted.map((e) => ({
      knowledgeId: e.id,
      concern: e.title,
      owners: Object.fromEntries(
        models.flatMap((m) => {
          const r = e.responsibility[m];
          return r && e.deploymentModels.includes(m) ? [[m, { owner: r.owner, note: r.note }]] : [];
        }),
      ),
    })),
    threats,
    mitigations: [...mitigations.values()],
    openQuestions: open,
    ...(review.workload === "undecided"
      ? {
          comparison: models.map((m) => {
            const own = ownership(m);
            const mine = threats.filter((t) => t.deploymentModel === m);
            return {
              deploymentModel: m,
              bySeverity: countFor(mine),
              open: mine.filter((t) => t.status === "open").length,
              teamOwned: own.team,
              providerOwned: own.provider,
              sharedOwned: own.shared,
            };
          }),
        }
      : {}),
    sources: kb.sources.filter((s) => sourceIds.has(s.id)),
    references: [...refs.values()].sort(
      (a, b) => a.framework.localeCompare(b.framework) || a.id.localeCompare(b.id, "en", { numeric: true }),
    ),
  };
}

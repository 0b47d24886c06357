import { z } from "zod";
import {
  DeploymentModel,
  FactValue,
  FrameworkRef,
  Owner,
  SourceArticle,
  Stride,
  Workload,
} from "../knowledge/schema.js";

export const Severity = z.enum(["critical", "high", "medium", "low"]);
export type Severity = z.infer<typeof Severity>;
export const SEVERITIES: readonly Severity[] = Severity.options;

/** OWASP Threat Dragon's risk treatments. */
export const ThreatStatus = z.enum([
  "open",
  "mitigated",
  "accepted",
  "transferred",
  "avoided",
  "not-applicable",
]);
export type ThreatStatus = z.infer<typeof ThreatStatus>;

/**
 * How sure the model is that a threat applies: confirmed by what the team said or a file showed,
 * unconfirmed (it would apply if an open question turns out badly), or inherent to the platform.
 */
export const Evidence = z.enum(["confirmed", "unconfirmed", "inherent"]);
export type Evidence = z.infer<typeof Evidence>;

const Score = z.number().int().min(1).max(5);

export const FactSourceShape = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("answer"), questionId: z.string(), answer: z.string() }),
  z.strictObject({ kind: z.literal("file"), file: z.string(), line: z.number().int(), excerpt: z.string() }),
]);

/** A fact a threat or mitigation rests on, with where it came from. */
export const FactEvidence = z.strictObject({
  fact: z.string(),
  value: FactValue,
  source: FactSourceShape,
});
export type FactEvidence = z.infer<typeof FactEvidence>;

export const ModelThreat = z.strictObject({
  id: z.string().regex(/^T-\d{3,}$/),
  uuid: z.uuid(),
  /** The stable threat rule id, "<knowledge entry>/<rule>": the threat's identity across versions. */
  ruleId: z.string(),
  knowledgeId: z.string(),
  evidence: Evidence,
  /** The platforms it applies to (one for a decided review; the candidates it holds on when undecided). */
  platforms: z.array(z.string()).min(1),
  deploymentModels: z.array(DeploymentModel).min(1),
  statement: z.string(),
  threatSource: z.string(),
  prerequisites: z.string(),
  threatAction: z.string(),
  threatImpact: z.string(),
  impactedAssets: z.array(z.string()),
  stride: z.array(Stride).min(1),
  likelihood: Score,
  impact: Score,
  /** For unconfirmed threats, the severity they would have if confirmed. */
  severity: Severity,
  status: ThreatStatus,
  /** 1 for the first thing to fix; only confirmed open threats are ranked. */
  rank: z.number().int().positive().optional(),
  /** The facts it rests on: answers and file lines. */
  because: z.array(FactEvidence),
  /** Open questions whose answers would confirm or rule it out (unconfirmed threats). */
  dependsOn: z.array(z.string()),
  mitigations: z.array(z.string().regex(/^M-\d{3,}$/)),
  sources: z.array(z.string()),
});
export type ModelThreat = z.infer<typeof ModelThreat>;

export const ModelMitigation = z.strictObject({
  id: z.string().regex(/^M-\d{3,}$/),
  uuid: z.uuid(),
  knowledgeId: z.string(),
  /** "<knowledge entry>/<mitigation id>" */
  mitigationId: z.string(),
  text: z.string(),
  /** The platforms it applies to (a threat may hold on more of the options compared). */
  platforms: z.array(z.string()).min(1),
  threats: z.array(z.string()),
  /** "implemented" only when the team's answers (or files) show it in place. */
  status: z.enum(["implemented", "recommended"]),
  because: z.array(FactEvidence),
});
export type ModelMitigation = z.infer<typeof ModelMitigation>;

export const OpenQuestion = z.strictObject({
  questionId: z.string(),
  text: z.string(),
  reason: z.enum(["unsure", "skipped", "unanswered"]),
  /** Unconfirmed threats that would apply if the answer turns out badly. */
  threats: z.array(z.string()),
  /** The highest severity among them. */
  potential: Severity.optional(),
});
export type OpenQuestion = z.infer<typeof OpenQuestion>;

export const OwnerNote = z.strictObject({ owner: Owner, note: z.string() });

export const ResponsibilityRow = z.strictObject({
  knowledgeId: z.string(),
  concern: z.string(),
  owners: z.partialRecord(DeploymentModel, OwnerNote),
});

/** Undecided reviews: one concern side by side under each platform on the table. */
export const ComparisonRow = z.strictObject({
  knowledgeId: z.string(),
  concern: z.string(),
  options: z.record(
    z.string(),
    z.strictObject({ owner: Owner, note: z.string(), threats: z.array(z.string()) }),
  ),
  /** What changes between the options (ownership, or threats that hold on some only). */
  difference: z.string(),
});

export const ContextAnswer = z.strictObject({
  questionId: z.string(),
  question: z.string(),
  answer: z.string(),
  answeredBy: z.string(),
  answeredAt: z.string(),
});

export const FileEvidence = z.strictObject({
  fact: z.string(),
  value: FactValue,
  file: z.string(),
  line: z.number().int(),
  excerpt: z.string(),
});

const Counts = z.record(Severity, z.number().int());

export const ThreatModel = z.strictObject({
  schemaVersion: z.literal(2),
  review: z.strictObject({
    id: z.number().int().positive(),
    uuid: z.uuid(),
    name: z.string(),
    workload: Workload,
    status: z.enum(["in_progress", "finished"]),
    createdBy: z.string(),
    createdAt: z.string(),
    /** The pinned platform, the candidates (undecided), or every platform of the workload if nobody said. */
    platforms: z.array(z.string()).min(1),
    platformsConfirmed: z.boolean(),
  }),
  /** Display names of the platforms named anywhere in the model. */
  platformNames: z.record(z.string(), z.string()),
  version: z.number().int().positive(),
  generatedAt: z.string(),
  knowledgeBaseVersion: z.string(),
  summary: z.strictObject({
    /** Confirmed findings (open or mitigated); only these are scored and counted. */
    confirmed: z.number().int(),
    open: z.number().int(),
    mitigated: z.number().int(),
    bySeverity: Counts,
    unconfirmed: z.number().int(),
    inherent: z.number().int(),
    openQuestions: z.number().int(),
    questionsAsked: z.number().int(),
    /** The first five things to fix, in order. */
    top: z.array(z.string()),
    teamOwned: z.number().int(),
    providerOwned: z.number().int(),
    sharedOwned: z.number().int(),
  }),
  context: z.array(ContextAnswer),
  answers: z.array(ContextAnswer),
  files: z.array(FileEvidence),
  responsibility: z.array(ResponsibilityRow),
  threats: z.array(ModelThreat),
  mitigations: z.array(ModelMitigation),
  openQuestions: z.array(OpenQuestion),
  comparison: z.array(ComparisonRow).optional(),
  sources: z.array(SourceArticle),
  references: z.array(FrameworkRef),
});
export type ThreatModel = z.infer<typeof ThreatModel>;

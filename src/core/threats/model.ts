import { z } from "zod";
import {
  DeploymentModel,
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

const Score = z.number().int().min(1).max(3);

export const ModelThreat = z.strictObject({
  id: z.string().regex(/^T-\d{3,}$/),
  uuid: z.uuid(),
  knowledgeId: z.string(),
  deploymentModel: DeploymentModel,
  statement: z.string(),
  threatSource: z.string(),
  prerequisites: z.string(),
  threatAction: z.string(),
  threatImpact: z.string(),
  impactedAssets: z.array(z.string()),
  stride: z.array(Stride).min(1),
  likelihood: Score,
  impact: Score,
  severity: Severity,
  status: ThreatStatus,
  /** Why the threat is in the model: the answers (or the baseline rule) that put it there. */
  basis: z.string(),
  mitigations: z.array(z.string().regex(/^M-\d{3,}$/)),
  sources: z.array(z.string()),
});
export type ModelThreat = z.infer<typeof ModelThreat>;

export const ModelMitigation = z.strictObject({
  id: z.string().regex(/^M-\d{3,}$/),
  uuid: z.uuid(),
  knowledgeId: z.string(),
  text: z.string(),
  threats: z.array(z.string()),
  /** "implemented" when the team's answers say it is in place. */
  status: z.enum(["implemented", "recommended"]),
});
export type ModelMitigation = z.infer<typeof ModelMitigation>;

export const OpenQuestion = z.strictObject({
  questionId: z.string(),
  text: z.string(),
  reason: z.enum(["unsure", "skipped", "unanswered"]),
  knowledgeIds: z.array(z.string()),
});
export type OpenQuestion = z.infer<typeof OpenQuestion>;

export const ResponsibilityRow = z.strictObject({
  knowledgeId: z.string(),
  concern: z.string(),
  owners: z.partialRecord(DeploymentModel, z.strictObject({ owner: Owner, note: z.string() })),
});

export const ContextAnswer = z.strictObject({
  questionId: z.string(),
  question: z.string(),
  answer: z.string(),
  answeredBy: z.string(),
  answeredAt: z.string(),
});

export const ThreatModel = z.strictObject({
  schemaVersion: z.literal(1),
  review: z.strictObject({
    id: z.number().int().positive(),
    uuid: z.uuid(),
    name: z.string(),
    workload: Workload,
    status: z.enum(["in_progress", "finished"]),
    createdBy: z.string(),
    createdAt: z.string(),
  }),
  version: z.number().int().positive(),
  generatedAt: z.string(),
  knowledgeBaseVersion: z.string(),
  summary: z.strictObject({
    threats: z.number().int(),
    open: z.number().int(),
    bySeverity: z.record(Severity, z.number().int()),
    openQuestions: z.number().int(),
    teamOwned: z.number().int(),
    providerOwned: z.number().int(),
    sharedOwned: z.number().int(),
  }),
  context: z.array(ContextAnswer),
  answers: z.array(ContextAnswer),
  responsibility: z.array(ResponsibilityRow),
  threats: z.array(ModelThreat),
  mitigations: z.array(ModelMitigation),
  openQuestions: z.array(OpenQuestion),
  /** Undecided reviews: the same concerns side by side for each model. */
  comparison: z
    .array(
      z.strictObject({
        deploymentModel: DeploymentModel,
        bySeverity: z.record(Severity, z.number().int()),
        open: z.number().int(),
        teamOwned: z.number().int(),
        providerOwned: z.number().int(),
        sharedOwned: z.number().int(),
      }),
    )
    .optional(),
  sources: z.array(SourceArticle),
  references: z.array(FrameworkRef),
});
export type ThreatModel = z.infer<typeof ThreatModel>;

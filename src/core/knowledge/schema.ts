import { z } from "zod";
import { WORKLOADS } from "./workloads.js";

/** The three concrete deployment models a knowledge entry can apply to. */
export const DeploymentModel = z.enum(["vm", "container", "serverless"]);
export type DeploymentModel = z.infer<typeof DeploymentModel>;
export const DEPLOYMENT_MODELS: readonly DeploymentModel[] = DeploymentModel.options;

/** What a team chooses when it starts a review: a model, or "undecided" to compare all three. */
export const Workload = z.enum(WORKLOADS);
export type Workload = z.infer<typeof Workload>;

export const Stride = z.enum(["S", "T", "R", "I", "D", "E"]);
export type Stride = z.infer<typeof Stride>;
export const STRIDE_NAMES: Record<Stride, string> = {
  S: "Spoofing",
  T: "Tampering",
  R: "Repudiation",
  I: "Information disclosure",
  D: "Denial of service",
  E: "Elevation of privilege",
};

export const Level = z.enum(["low", "medium", "high"]);
export type Level = z.infer<typeof Level>;

export const Owner = z.enum(["team", "provider", "shared"]);
export type Owner = z.infer<typeof Owner>;

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, "ids are lower-case words joined by '-' or '.'")
  .max(80);
const sentence = z.string().trim().min(3).max(600);

/** Threat Composer's threat grammar: "A [source] [with prerequisites] can [action], which leads to [impact], negatively impacting [assets]." */
export const ThreatStatement = z.strictObject({
  // 200 characters each, as Threat Composer accepts, so exported models import without truncation.
  threatSource: z.string().trim().min(3).max(200),
  prerequisites: z.string().trim().min(3).max(200),
  threatAction: z.string().trim().min(3).max(200),
  threatImpact: z.string().trim().min(3).max(200),
  impactedGoal: z.array(z.enum(["confidentiality", "integrity", "availability"])).min(1),
  impactedAssets: z.array(z.string().trim().min(2).max(100)).min(1),
  stride: z.array(Stride).min(1),
  likelihood: Level,
  impact: Level,
  /** Threats reachable from the internet get more likely when the workload is internet-facing. */
  exposure: z.enum(["external", "internal"]).default("internal"),
  /** Restrict a statement to some of the entry's models (default: all of them). */
  appliesTo: z.array(DeploymentModel).min(1).optional(),
});
export type ThreatStatement = z.infer<typeof ThreatStatement>;

export const Mitigation = z.strictObject({
  id,
  text: sentence,
  appliesTo: z.array(DeploymentModel).min(1).optional(),
});
export type Mitigation = z.infer<typeof Mitigation>;

export const Responsibility = z.strictObject({
  owner: Owner,
  note: sentence,
});
export type Responsibility = z.infer<typeof Responsibility>;

/**
 * Frameworks that publish no version or year. Their references carry none, so a reader is never shown
 * a year the framework does not claim (the OWASP Docker Top 10 is an undated draft).
 */
export const UNVERSIONED_FRAMEWORKS: ReadonlySet<string> = new Set([
  "OWASP Docker Top 10",
  "AWS Shared Responsibility Model",
  "Kubernetes Pod Security Standards",
]);

/**
 * Every other framework's ids carry its version, so a reader never confuses CIS 1.6.0 §5.1 with an
 * older numbering.
 */
export const FrameworkRef = z
  .strictObject({
    framework: z.enum([
      "NIST SP 800-190",
      "NIST SP 800-123",
      "NIST SP 800-125A",
      "NIST SP 800-125B",
      "NIST SP 800-70",
      "NIST SP 800-40",
      "NIST SP 800-144",
      "NIST SP 800-53",
      "CIS Docker Benchmark",
      "CIS Kubernetes Benchmark",
      "Kubernetes Pod Security Standards",
      "OWASP Serverless Top 10",
      "CSA Serverless Top 12",
      "OWASP Kubernetes Top 10",
      "OWASP Docker Top 10",
      "OWASP API Security Top 10",
      "OWASP Top 10",
      "MITRE ATT&CK",
      "AWS Shared Responsibility Model",
      "CSA Cloud Controls Matrix",
    ]),
    version: z.string().trim().min(1).max(40).optional(),
    id: z.string().trim().min(1).max(40),
    title: z.string().trim().min(2).max(200),
  })
  .superRefine((ref, ctx) => {
    const unversioned = UNVERSIONED_FRAMEWORKS.has(ref.framework);
    if (!unversioned && !ref.version)
      ctx.addIssue({
        code: "custom",
        path: ["version"],
        message: `${ref.framework} publishes versions: give one`,
      });
    if (unversioned && ref.version)
      ctx.addIssue({
        code: "custom",
        path: ["version"],
        message: `${ref.framework} publishes no version; leave it out`,
      });
  });
export type FrameworkRef = z.infer<typeof FrameworkRef>;

/** "CIS Docker Benchmark 1.6.0 4.1", or "OWASP Docker Top 10 D01" for an unversioned framework. */
export function frameworkLabel(f: Pick<FrameworkRef, "framework" | "version" | "id">): string {
  return [f.framework, f.version, f.id].filter(Boolean).join(" ");
}

export const SourceArticle = z.strictObject({
  id: id,
  title: z.string().trim().min(3),
  author: z.string().trim().min(2).optional(),
  publisher: z.string().trim().min(2).optional(),
  date: z.string().trim().min(4),
  url: z.url().optional(),
});
export type SourceArticle = z.infer<typeof SourceArticle>;

/** At most seven words, so a quote never reaches the eight-word runs the copy check looks for. */
export const MAX_QUOTE_WORDS = 7;

/**
 * One statement a source article makes, located by a short quote from its text, with the entries
 * that rely on it. An entry may cite an article only through such claims.
 */
export const Claim = z.strictObject({
  id,
  source: id,
  quote: z
    .string()
    .trim()
    .min(3)
    .refine((q) => q.split(/\s+/).length <= MAX_QUOTE_WORDS, `a quote has at most ${MAX_QUOTE_WORDS} words`),
  /** Our own paraphrase of what the article says there. */
  claim: z.string().trim().min(10).max(400),
  entries: z.array(id).min(1),
  /** "argument": the author's opinion or advice, stated as theirs; "fact": what the article reports. */
  kind: z.enum(["fact", "argument"]),
});
export type Claim = z.infer<typeof Claim>;

export const KnowledgeEntry = z
  .strictObject({
    id,
    title: z.string().trim().min(3).max(120),
    deploymentModels: z.array(DeploymentModel).min(1),
    stride: z.array(Stride).min(1),
    tags: z.array(z.string().trim().min(2).max(40)).default([]),
    summary: z.string().trim().min(40).max(1200),
    /** Who owns the concern in each model it applies to. */
    responsibility: z.partialRecord(DeploymentModel, Responsibility),
    threats: z.array(ThreatStatement).min(1),
    mitigations: z.array(Mitigation).min(1),
    /** Ids of the questions that detect this concern (see knowledge/questions). */
    questions: z.array(id).default([]),
    /** Articles behind the entry; empty when its content comes from the frameworks alone. */
    sources: z.array(id).default([]),
    references: z.array(FrameworkRef).min(1),
  })
  .superRefine((entry, ctx) => {
    for (const model of entry.deploymentModels) {
      if (!entry.responsibility[model]) {
        ctx.addIssue({
          code: "custom",
          path: ["responsibility", model],
          message: `entry applies to ${model} but says nothing of who owns it there`,
        });
      }
    }
    for (const [i, t] of entry.threats.entries()) {
      for (const m of t.appliesTo ?? []) {
        if (!entry.deploymentModels.includes(m)) {
          ctx.addIssue({
            code: "custom",
            path: ["threats", i, "appliesTo"],
            message: `${m} is not one of the entry's deployment models`,
          });
        }
      }
    }
  });
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

/** A condition over earlier answers, evaluated by the engine (like pytm's applicability conditions). */
export type Condition =
  | { question: string; in: string[] }
  | { question: string; notIn: string[] }
  | { all: Condition[] }
  | { any: Condition[] };
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ question: id, in: z.array(z.string()).min(1) }),
    z.strictObject({ question: id, notIn: z.array(z.string()).min(1) }),
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
  ]),
);

/** What choosing an option says about a knowledge entry. */
export const Signal = z.enum(["present", "mitigated", "unknown", "not-applicable"]);
export type Signal = z.infer<typeof Signal>;

export const QuestionOption = z.strictObject({
  value: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().trim().min(1).max(75),
  /** knowledge entry id -> what this answer says about it */
  effects: z.record(id, Signal).default({}),
});
export type QuestionOption = z.infer<typeof QuestionOption>;

export const Question = z
  .strictObject({
    id,
    text: z.string().trim().min(8).max(300),
    why: z.string().trim().min(8).max(300),
    /** Workloads this question is asked for; "undecided" reviews ask only questions listing it. */
    appliesTo: z.array(Workload).min(1),
    /** Context questions shape severity and the report's scope section. */
    section: z.enum(["context", "identity", "network", "compute", "supply-chain", "data", "operations"]),
    kind: z.enum(["choice", "text"]),
    options: z.array(QuestionOption).default([]),
    askWhen: Condition.optional(),
    /** Free-text questions may be optional; choice questions always offer Unsure and Skip. */
    maxLength: z.number().int().positive().max(4000).default(1000),
    order: z.number().int(),
  })
  .superRefine((q, ctx) => {
    if (q.kind === "choice" && q.options.length < 2) {
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "a choice question needs two options or more",
      });
    }
    if (q.kind === "text" && q.options.length > 0) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "a text question has no options" });
    }
    const values = q.options.map((o) => o.value);
    if (new Set(values).size !== values.length) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "option values must be unique" });
    }
    if (values.includes("unsure") || values.includes("skip")) {
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "'unsure' and 'skip' are offered by the engine on every question; do not list them",
      });
    }
  });
export type Question = z.infer<typeof Question>;

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

/** A platform id or a group name from knowledge/facts.yaml (checked when the base loads). */
export const PlatformRef = z.string().regex(/^[a-z0-9-]+$/);
export const PlatformRefs = z.array(PlatformRef).min(1);

/**
 * A condition over facts, evaluated in three-valued logic (true, false, unknown) so that a threat is
 * confirmed only by facts someone established. `platform` holds when the review's platform is one of
 * those named.
 */
export type FactCondition =
  | { fact: string; is: string | boolean }
  | { fact: string; in: string[] }
  | { platform: string[] }
  | { all: FactCondition[] }
  | { any: FactCondition[] }
  | { not: FactCondition };
export const FactCondition: z.ZodType<FactCondition> = z.lazy(() =>
  z.union([
    z.strictObject({ fact: id, is: z.union([z.string(), z.boolean()]) }),
    z.strictObject({ fact: id, in: z.array(z.string()).min(1) }),
    z.strictObject({ platform: PlatformRefs }),
    z.strictObject({ all: z.array(FactCondition).min(1) }),
    z.strictObject({ any: z.array(FactCondition).min(1) }),
    z.strictObject({ not: FactCondition }),
  ]),
);

const grammarPart = z.string().trim().min(3).max(200);

/** Platform-specific wording: the fields given replace the base text on those platforms. */
export const ThreatWording = z.strictObject({
  platforms: PlatformRefs,
  threatSource: grammarPart.optional(),
  prerequisites: grammarPart.optional(),
  threatAction: grammarPart.optional(),
  threatImpact: grammarPart.optional(),
  impactedAssets: z.array(z.string().trim().min(2).max(100)).min(1).optional(),
});
export type ThreatWording = z.infer<typeof ThreatWording>;

/**
 * A threat rule: one statement in Threat Composer's grammar ("A [source] [with prerequisites] can
 * [action], which leads to [impact], negatively impacting [assets]."), with a stable id and the facts
 * under which it holds (like pytm's SIDs and conditions).
 */
export const ThreatRule = z.strictObject({
  /** Stable within the entry; the threat's identity is "<entry id>/<id>" in stored models and exports. */
  id,
  /** The facts under which the threat holds. Omitted only for inherent threats. */
  when: FactCondition.optional(),
  /** The facts that close it (a control in place). */
  unless: FactCondition.optional(),
  /** Comes with the platform itself: reported in one compact section, not ranked as a finding. */
  inherent: z.boolean().default(false),
  /** Platforms (or groups) the threat can occur on; default: every platform of the entry's models. */
  platforms: PlatformRefs.optional(),
  // 200 characters each, as Threat Composer accepts, so exported models import without truncation.
  threatSource: grammarPart,
  prerequisites: grammarPart,
  threatAction: grammarPart,
  threatImpact: grammarPart,
  impactedGoal: z.array(z.enum(["confidentiality", "integrity", "availability"])).min(1),
  impactedAssets: z.array(z.string().trim().min(2).max(100)).min(1),
  stride: z.array(Stride).min(1),
  likelihood: Level,
  impact: Level,
  /** Threats reachable from the internet get more likely when the workload is internet-facing. */
  exposure: z.enum(["external", "internal"]).default("internal"),
  wording: z.array(ThreatWording).default([]),
  /** Ids of this entry's mitigations that address this threat. */
  mitigations: z.array(id).min(1),
});
export type ThreatRule = z.infer<typeof ThreatRule>;
/** The grammar fields of a rule, as rendered for one platform. */
export type ThreatStatement = Pick<
  ThreatRule,
  "threatSource" | "prerequisites" | "threatAction" | "threatImpact" | "impactedAssets"
>;

export const Mitigation = z.strictObject({
  id,
  text: sentence,
  platforms: PlatformRefs.optional(),
  wording: z.array(z.strictObject({ platforms: PlatformRefs, text: sentence })).default([]),
  /** The facts that show the mitigation is in place. */
  inPlaceWhen: FactCondition.optional(),
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
    threats: z.array(ThreatRule).min(1),
    mitigations: z.array(Mitigation).min(1),
    /**
     * Source articles that hold what the entry says. Empty when the concern comes from frameworks
     * alone; the framework references below are then its only citation, so they stay required.
     */
    sources: z.array(id).default([]),
    references: z.array(FrameworkRef).min(1),
    /** Everyday words and phrases for the concern, in the base's own words; only Q&A retrieval reads them. */
    keywords: z.array(z.string().trim().min(2).max(60)).default([]),
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
  });
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

export const FactValue = z.union([z.string(), z.boolean()]);
export type FactValue = z.infer<typeof FactValue>;

export const QuestionOption = z.strictObject({
  value: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().trim().min(1).max(75),
  /** The facts this answer establishes. What an answer to the question leaves unset is false. */
  sets: z.record(z.string(), FactValue).default({}),
  /** Offer the option only on these platforms (e.g. no privileged containers on Fargate). */
  platforms: PlatformRefs.optional(),
  /** The one platform this option pins (the platform questions). */
  platform: PlatformRef.optional(),
  /** A multi-select option that cannot be chosen with others ("None of these"). */
  exclusive: z.boolean().default(false),
});
export type QuestionOption = z.infer<typeof QuestionOption>;

export const Question = z
  .strictObject({
    id,
    text: z.string().trim().min(8).max(300),
    why: z.string().trim().min(8).max(300),
    /** Workloads this question is asked for; "undecided" reviews ask only questions listing it. */
    appliesTo: z.array(Workload).min(1),
    /** Asked only on these platforms (when the platform is unknown, on every platform of the workload). */
    platforms: PlatformRefs.optional(),
    /** Context questions shape severity and the report's scope section. */
    section: z.enum(["context", "identity", "network", "compute", "supply-chain", "data", "operations"]),
    /** multi: any number of options may hold together (Slack checkboxes, "1,3" in the terminal). */
    kind: z.enum(["choice", "multi", "text"]),
    options: z.array(QuestionOption).default([]),
    /** Asked only when this holds on what is known so far (unknown counts as "ask"). */
    askWhen: FactCondition.optional(),
    /** Free-text questions may be optional; choice questions always offer Unsure and Skip. */
    maxLength: z.number().int().positive().max(4000).default(1000),
    order: z.number().int(),
  })
  .superRefine((q, ctx) => {
    if (q.kind !== "text" && q.options.length < 2) {
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

/** One entry of the fact vocabulary (knowledge/facts.yaml). */
export const Fact = z.discriminatedUnion("kind", [
  z.strictObject({ id, kind: z.literal("flag"), description: sentence }),
  z.strictObject({
    id,
    kind: z.literal("one"),
    values: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(2),
    description: sentence,
  }),
]);
export type Fact = z.infer<typeof Fact>;

export const FactVocabulary = z.strictObject({
  platforms: z
    .array(
      z.strictObject({
        id: PlatformRef,
        model: DeploymentModel,
        label: z.string().trim().min(3).max(75),
        /** Words people use for it in questions ("eks", "fargate"), lower case. */
        aliases: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
      }),
    )
    .min(1),
  platformGroups: z.record(PlatformRef, z.array(PlatformRef).min(1)),
  platformWords: z.array(
    z.strictObject({ words: z.array(z.string().trim().min(2)).min(1), platforms: PlatformRefs }),
  ),
  facts: z.array(Fact).min(1),
});
export type FactVocabulary = z.infer<typeof FactVocabulary>;

/**
 * A question of an earlier question bank: stored reviews answered it, so its answers are read as the
 * facts they established, and the questions that settle those facts are not asked again.
 */
export const LegacyQuestion = z.strictObject({
  question: id,
  text: z.string().trim().min(8).max(300),
  options: z.record(
    z.string(),
    z.strictObject({
      label: z.string().trim().min(1).max(120),
      sets: z.record(z.string(), FactValue).default({}),
      platform: PlatformRef.optional(),
    }),
  ),
});
export type LegacyQuestion = z.infer<typeof LegacyQuestion>;

/**
 * Questions teams asked in design channels, each with the entries a good answer cites
 * (knowledge/asked.yaml). The search index learns from the words of the answered ones; vague and
 * off-topic ones say what must be asked back or declined. Tests and `npm run bench` measure the base
 * against the same set, and an organisation can keep one for its own base.
 */
export const QuestionSet = z.strictObject({
  questions: z
    .array(
      z.strictObject({
        question: z.string().trim().min(8),
        /** The workload the question is about ("undecided" when it names none or compares several). */
        workload: Workload,
        expect: z.array(z.string()).min(1),
      }),
    )
    .min(1),
  /** Questions too vague to answer: the bot must ask which workload and offer a review. */
  clarify: z.array(z.string().trim().min(3)).default([]),
  /** Questions that must get "I don't know". */
  offTopic: z.array(z.string().trim().min(3)).default([]),
});
export type QuestionSet = z.infer<typeof QuestionSet>;
/** An answered question: its words and the entries that answer it. */
export type AskedQuestion = QuestionSet["questions"][number];

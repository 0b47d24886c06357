import { v5 as uuidv5 } from "uuid";
import { z } from "zod";
import type { Severity, ThreatModel, ThreatStatus } from "../threats/model.js";
import { evidenceText } from "./markdown.js";

/**
 * The subset of Threat Composer's workspace file (schema 1) that Threatbot writes, with the limits its
 * importer enforces, so a team can keep editing the model in Threat Composer.
 */
const Uuid = z.uuid();
const Tag = z.string().min(1).max(30);
const Comments = z.strictObject({ key: z.literal("Comments"), value: z.string().max(1000) });
const Custom = z.strictObject({
  key: z
    .string()
    .max(50)
    .regex(/^custom:/),
  value: z.union([z.string(), z.array(z.string())]),
});

export const ThreatComposerFile = z.strictObject({
  schema: z.literal(1),
  applicationInfo: z.strictObject({ name: z.string().max(200), description: z.string().max(100_000) }),
  architecture: z.strictObject({ description: z.string().max(100_000) }),
  dataflow: z.strictObject({ description: z.string().max(100_000) }),
  assumptions: z.array(
    z.strictObject({
      id: Uuid,
      numericId: z.number(),
      displayOrder: z.number(),
      content: z.string().max(1000),
      tags: z.array(Tag),
      metadata: z.array(z.union([Comments, Custom])),
    }),
  ),
  mitigations: z.array(
    z.strictObject({
      id: Uuid,
      numericId: z.number(),
      displayOrder: z.number(),
      content: z.string().max(1000),
      status: z.enum([
        "mitigationIdentified",
        "mitigationInProgress",
        "mitigationResolved",
        "mitigationResolvedWillNotAction",
      ]),
      tags: z.array(Tag),
      metadata: z.array(z.union([Comments, Custom])),
    }),
  ),
  assumptionLinks: z.array(
    z.strictObject({ type: z.enum(["Threat", "Mitigation"]), assumptionId: Uuid, linkedId: Uuid }),
  ),
  mitigationLinks: z.array(z.strictObject({ mitigationId: Uuid, linkedId: Uuid })),
  threats: z.array(
    z.strictObject({
      id: Uuid,
      numericId: z.number(),
      displayOrder: z.number(),
      statement: z.string().max(1400),
      threatSource: z.string().max(200),
      prerequisites: z.string().max(200),
      threatAction: z.string().max(200),
      threatImpact: z.string().max(200),
      impactedGoal: z.array(z.string().max(200)),
      impactedAssets: z.array(z.string().max(200)),
      status: z.enum(["threatIdentified", "threatResolved", "threatResolvedNotUseful"]),
      tags: z.array(Tag),
      metadata: z.array(
        z.union([
          Comments,
          Custom,
          z.strictObject({
            key: z.literal("STRIDE"),
            value: z.array(z.enum(["S", "T", "R", "I", "D", "E"])),
          }),
          z.strictObject({ key: z.literal("Priority"), value: z.enum(["High", "Medium", "Low"]) }),
        ]),
      ),
    }),
  ),
});
export type ThreatComposerFile = z.infer<typeof ThreatComposerFile>;

const PRIORITY: Record<Severity, "High" | "Medium" | "Low"> = {
  critical: "High",
  high: "High",
  medium: "Medium",
  low: "Low",
};
const THREAT_STATUS: Record<ThreatStatus, ThreatComposerFile["threats"][number]["status"]> = {
  open: "threatIdentified",
  mitigated: "threatResolved",
  accepted: "threatResolved",
  transferred: "threatResolved",
  avoided: "threatResolved",
  "not-applicable": "threatResolvedNotUseful",
};
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Threat Composer's goals are the CIA triad words; ours are derived from STRIDE where the entry names none. */
function goalsOf(stride: string[]): string[] {
  const goals = new Set<string>();
  for (const s of stride) {
    if (s === "I") goals.add("confidentiality");
    if (s === "T" || s === "S" || s === "R" || s === "E") goals.add("integrity");
    if (s === "D") goals.add("availability");
  }
  return [...goals];
}

export function toThreatComposer(model: ThreatModel): ThreatComposerFile {
  const threatUuid = new Map(model.threats.map((t) => [t.id, t.uuid]));
  // Open questions become assumptions to confirm, linked to the threats they leave uncertain.
  const assumptions = model.openQuestions.map((q, i) => ({
    id: uuidFor(model, `assumption/${q.questionId}`),
    numericId: i + 1,
    displayOrder: i + 1,
    content: clip(`Not yet confirmed (${q.reason}): ${q.text}`, 1000),
    tags: ["threatbot"],
    metadata: [{ key: "custom:questionId" as const, value: q.questionId }],
  }));
  const assumptionLinks = model.openQuestions.flatMap((q, i) =>
    q.threats.flatMap((id) => {
      const linkedId = threatUuid.get(id);
      return linkedId ? [{ type: "Threat" as const, assumptionId: assumptions[i]?.id ?? "", linkedId }] : [];
    }),
  );
  const context = model.context.map((c) => `- **${c.question}** ${c.answer}`).join("\n");
  return ThreatComposerFile.parse({
    schema: 1,
    applicationInfo: {
      name: clip(model.review.name, 200),
      description: `Threatbot review #${model.review.id} (${model.review.workload}), model version ${model.version}.\n\n${context}`,
    },
    architecture: { description: "" },
    dataflow: { description: "" },
    assumptions,
    mitigations: model.mitigations.map((m, i) => ({
      id: m.uuid,
      numericId: i + 1,
      displayOrder: i + 1,
      content: clip(m.text, 1000),
      status: m.status === "implemented" ? "mitigationResolved" : "mitigationIdentified",
      tags: ["threatbot"],
      metadata: [{ key: "custom:knowledgeId", value: m.knowledgeId }],
    })),
    assumptionLinks,
    mitigationLinks: model.mitigations.flatMap((m) =>
      m.threats.flatMap((t) => {
        const linkedId = threatUuid.get(t);
        return linkedId ? [{ mitigationId: m.uuid, linkedId }] : [];
      }),
    ),
    threats: model.threats.map((t, i) => ({
      id: t.uuid,
      numericId: i + 1,
      displayOrder: i + 1,
      statement: clip(t.statement, 1400),
      threatSource: t.threatSource,
      prerequisites: t.prerequisites,
      threatAction: t.threatAction,
      threatImpact: t.threatImpact,
      impactedGoal: goalsOf(t.stride),
      impactedAssets: t.impactedAssets,
      status: THREAT_STATUS[t.status],
      tags: [...t.platforms, t.severity, t.evidence],
      metadata: [
        { key: "STRIDE", value: t.stride },
        { key: "Priority", value: PRIORITY[t.severity] },
        {
          key: "Comments",
          value: clip(
            `${t.id} (${t.evidence}). ${t.evidence === "inherent" ? "Comes with the platform." : `Because: ${t.because.map(evidenceText).join("; ") || `open questions ${t.dependsOn.join(", ")}`}.`} Sources: ${t.sources.join(", ")}.`,
            1000,
          ),
        },
        { key: "custom:knowledgeId", value: t.knowledgeId },
        { key: "custom:ruleId", value: t.ruleId },
      ],
    })),
  });
}

const NAMESPACE = "0b8f6d1e-5a7c-4c1e-9a55-2f0f3c6b9d21";
function uuidFor(model: ThreatModel, key: string): string {
  return uuidv5(`${model.review.uuid}/${key}`, NAMESPACE);
}

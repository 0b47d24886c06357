import { describe, expect, it } from "vitest";
import { initialState, type ReviewState } from "../../../src/core/review/engine.js";
import type { AnswerValue } from "../../../src/core/review/events.js";
import { deriveThreatModel, type ReviewMeta } from "../../../src/core/threats/derive.js";
import { ThreatModel } from "../../../src/core/threats/model.js";
import { answeredState, fixtureKb } from "../../support/core.js";

const kb = fixtureKb();
const at = "2026-01-01T00:00:00.000Z";
const meta = (workload: ReviewMeta["workload"]): ReviewMeta => ({
  id: 7,
  uuid: "6f1c8a52-8b1e-4a51-9d55-3f0d1c2b7a10",
  name: "orders",
  workload,
  createdBy: "alice",
  createdAt: at,
});

const answered = (workload: ReviewMeta["workload"], answers: Record<string, AnswerValue>): ReviewState =>
  answeredState(kb, workload, Object.entries(answers));
const c = (value: string): AnswerValue => ({ kind: "choice", value });
const derive = (w: ReviewMeta["workload"], s: ReviewState) =>
  deriveThreatModel(kb, meta(w), s, { version: 1, generatedAt: at });

describe("threat derivation", () => {
  it("marks a threat mitigated when the answers say so, and open when they reveal it", () => {
    const base = {
      "context.internet-facing": c("yes"),
      "context.data-sensitivity": c("internal"),
      "context.description": { kind: "skip" } as AnswerValue,
    };
    const good = derive("serverless", answered("serverless", { ...base, "serverless.role": c("no") }));
    const bad = derive("serverless", answered("serverless", { ...base, "serverless.role": c("yes") }));
    const perms = (m: ThreatModel) => m.threats.find((t) => t.knowledgeId === "fn-perms");
    expect(perms(good)?.status).toBe("mitigated");
    expect(perms(bad)?.status).toBe("open");
    expect(perms(bad)?.basis).toContain('serverless.role: "Yes"');
    expect(good.mitigations.find((m) => m.knowledgeId === "fn-perms")?.status).toBe("implemented");
  });

  it("turns Unsure into an open question instead of a silent gap", () => {
    const m = derive(
      "serverless",
      answered("serverless", {
        "context.internet-facing": c("yes"),
        "context.data-sensitivity": c("internal"),
        "context.description": { kind: "unsure" },
        "serverless.role": { kind: "unsure" },
      }),
    );
    expect(m.openQuestions.map((q) => [q.questionId, q.reason])).toEqual([
      ["context.description", "unsure"],
      ["serverless.role", "unsure"],
    ]);
    expect(m.openQuestions[1]?.knowledgeIds).toEqual(["fn-perms"]);
    expect(m.threats.find((t) => t.knowledgeId === "fn-perms")?.status).toBe("open");
  });

  it("lists questions never reached as unanswered open questions", () => {
    const m = derive("serverless", initialState("serverless"));
    expect(m.openQuestions.every((q) => q.reason === "unanswered")).toBe(true);
    expect(m.openQuestions).toHaveLength(4);
  });

  it("drops a concern the answers rule out (no NetworkPolicy threat on ECS)", () => {
    const common = {
      "context.internet-facing": c("no"),
      "context.data-sensitivity": c("internal"),
      "context.description": { kind: "skip" } as AnswerValue,
    };
    const ecs = derive("container", answered("container", { ...common, "container.orchestrator": c("ecs") }));
    const k8s = derive(
      "container",
      answered("container", {
        ...common,
        "container.orchestrator": c("kubernetes"),
        "container.netpol": c("no"),
      }),
    );
    expect(ecs.threats.map((t) => t.knowledgeId)).not.toContain("k8s-netpol");
    expect(k8s.threats.map((t) => t.knowledgeId)).toContain("k8s-netpol");
  });

  it("raises severity for internet-facing workloads with sensitive data", () => {
    const exposed = derive(
      "serverless",
      answered("serverless", {
        "context.internet-facing": c("yes"),
        "context.data-sensitivity": c("restricted"),
        "context.description": { kind: "skip" },
        "serverless.role": c("yes"),
      }),
    );
    const internal = derive(
      "serverless",
      answered("serverless", {
        "context.internet-facing": c("no"),
        "context.data-sensitivity": c("public"),
        "context.description": { kind: "skip" },
        "serverless.role": c("yes"),
      }),
    );
    const sev = (m: ThreatModel) => m.threats.find((t) => t.knowledgeId === "fn-perms");
    expect(sev(exposed)).toMatchObject({ likelihood: 3, impact: 3, severity: "critical" });
    expect(sev(internal)).toMatchObject({ likelihood: 1, impact: 2, severity: "low" });
  });

  it("says who owns each concern, and compares all three models for undecided workloads", () => {
    const m = derive("undecided", answered("undecided", { "context.internet-facing": c("yes") }));
    expect(m.comparison?.map((x) => x.deploymentModel)).toEqual(["vm", "container", "serverless"]);
    const shared = m.responsibility.find((r) => r.knowledgeId === "shared-model");
    expect(shared?.owners).toMatchObject({
      vm: { owner: "team" },
      container: { owner: "shared" },
      serverless: { owner: "provider" },
    });
    expect(new Set(m.threats.map((t) => t.deploymentModel))).toEqual(
      new Set(["vm", "container", "serverless"]),
    );
  });

  it("gives every threat a knowledge citation, sources, mitigations and a valid shape; same input, same output", () => {
    const s = answered("serverless", { "context.internet-facing": c("yes") });
    const a = derive("serverless", s);
    expect(ThreatModel.parse(a)).toEqual(a);
    for (const t of a.threats) {
      const entry = kb.entry(t.knowledgeId);
      expect(entry).toBeDefined();
      // Framework-only entries cite no article; their framework references are the citation.
      expect(t.sources.length + (entry?.references.length ?? 0)).toBeGreaterThan(0);
      expect(t.mitigations.length).toBeGreaterThan(0);
    }
    expect(a.threats.map((t) => t.id)).toEqual(
      a.threats.map((_, i) => `T-${String(i + 1).padStart(3, "0")}`),
    );
    expect(derive("serverless", s)).toEqual(a);
  });
});

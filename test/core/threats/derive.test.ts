import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../../src/core/knowledge/load.js";
import type { Workload } from "../../../src/core/knowledge/schema.js";
import { currentQuestion, initialState, type ReviewState } from "../../../src/core/review/engine.js";
import type { AnswerValue } from "../../../src/core/review/events.js";
import { deriveThreatModel, type ReviewMeta } from "../../../src/core/threats/derive.js";
import { ThreatModel } from "../../../src/core/threats/model.js";
import { answeredState, fixtureKb } from "../../support/core.js";

const kb = fixtureKb();
const realKb = loadKnowledgeBase();
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
const multi = (...values: string[]): AnswerValue => ({ kind: "multi", values });
const derive = (w: ReviewMeta["workload"], s: ReviewState) =>
  deriveThreatModel(kb, meta(w), s, { version: 1, generatedAt: at });

/** A finished review on the real knowledge base; answers are replayed as stored (no ordering needed). */
function real(workload: Workload, answers: Record<string, AnswerValue>): ThreatModel {
  const state: ReviewState = {
    workload,
    answers: Object.entries(answers).map(([questionId, value]) => ({
      questionId,
      value,
      actor: "alice",
      at,
    })),
    finished: true,
    fileFacts: [],
  };
  return deriveThreatModel(realKb, meta(workload), state, { version: 1, generatedAt: at });
}
const byRule = (m: ThreatModel, ruleId: string) => m.threats.find((t) => t.ruleId === ruleId);

describe("threat derivation", () => {
  it("confirms a threat the answers reveal, citing the answer, and drops it when they rule it out", () => {
    const base = {
      "context.internet-facing": c("yes"),
      "context.data-sensitivity": c("internal"),
      "context.description": { kind: "skip" } as AnswerValue,
    };
    const good = derive("serverless", answered("serverless", { ...base, "serverless.role": c("no") }));
    const bad = derive("serverless", answered("serverless", { ...base, "serverless.role": c("yes") }));
    expect(byRule(good, "fn-perms/wildcard-role")).toBeUndefined();
    expect(good.summary.confirmed).toBe(0);
    const perms = byRule(bad, "fn-perms/wildcard-role");
    expect(perms).toMatchObject({ evidence: "confirmed", status: "open", rank: 1 });
    expect(perms?.because).toEqual([
      {
        fact: "fn.wildcard",
        value: true,
        source: { kind: "answer", questionId: "serverless.role", answer: "Yes" },
      },
    ]);
    expect(bad.summary.top).toEqual([perms?.id]);
  });

  it("marks a mitigation implemented from the answer that establishes it, closing only the threats it answers", () => {
    // Rotation is in place, but secrets also sit in plain environment variables.
    const m = real("serverless", {
      "context.platform": c("lambda-zip"),
      "common.secrets": multi("rotated", "env"),
    });
    expect(byRule(m, "secrets-management/secrets-never-rotated")).toBeUndefined();
    const plain = byRule(m, "secrets-management/secrets-in-plain-config");
    expect(plain).toMatchObject({ evidence: "confirmed", status: "open" });
    const mitigations = m.mitigations.filter((x) => plain?.mitigations.includes(x.id));
    const status = Object.fromEntries(mitigations.map((x) => [x.mitigationId, x.status]));
    expect(status).toEqual({
      "secrets-management/rotate": "implemented",
      "secrets-management/secret-store": "recommended",
    });
    const rotate = mitigations.find((x) => x.mitigationId === "secrets-management/rotate");
    expect(
      rotate?.because.map((b) => [b.fact, b.value, b.source.kind === "answer" && b.source.questionId]),
    ).toEqual([["secrets.rotation", true, "common.secrets"]]);

    // A secret manager alone does not make rotation implemented.
    const managerOnly = real("serverless", {
      "context.platform": c("lambda-zip"),
      "common.secrets": multi("manager"),
    });
    expect(byRule(managerOnly, "secrets-management/secrets-never-rotated")?.evidence).toBe("confirmed");
    expect(managerOnly.mitigations.find((x) => x.mitigationId === "secrets-management/rotate")?.status).toBe(
      "recommended",
    );

    // A concern answered as handled stays closed when unrelated questions are skipped.
    const skippedElsewhere = real("serverless", {
      "context.platform": c("lambda-zip"),
      "common.secrets": multi("rotated"),
      "common.permissions": { kind: "skip" },
      "common.logging": { kind: "unsure" },
    });
    expect(skippedElsewhere.threats.filter((t) => t.knowledgeId === "secrets-management")).toEqual([]);
  });

  it("hangs an Unsure answer's threat on that open question, with its potential severity, uncounted", () => {
    const m = derive(
      "serverless",
      answered("serverless", {
        "context.internet-facing": c("yes"),
        "context.data-sensitivity": c("restricted"),
        "context.description": { kind: "unsure" },
        "serverless.role": { kind: "unsure" },
      }),
    );
    const perms = byRule(m, "fn-perms/wildcard-role");
    expect(perms).toMatchObject({
      evidence: "unconfirmed",
      // Likely (internet-facing) and severe (restricted data), but nobody stated it: High, not Critical.
      severity: "high",
      dependsOn: ["serverless.role"],
    });
    expect(perms?.rank).toBeUndefined();
    // Free-text questions never hold a threat, so only the choice question is open.
    expect(m.openQuestions).toEqual([
      {
        questionId: "serverless.role",
        text: "Do function roles use wildcard actions?",
        reason: "unsure",
        threats: [perms?.id],
        potential: "high",
      },
    ]);
    expect(m.summary).toMatchObject({
      confirmed: 0,
      unconfirmed: 1,
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
      top: [],
    });
  });

  it("lists questions never reached as unanswered open questions", () => {
    const m = derive("container", initialState("container"));
    expect(m.openQuestions.map((q) => [q.questionId, q.reason])).toEqual([
      ["context.internet-facing", "unanswered"],
      ["context.data-sensitivity", "unanswered"],
      ["container.orchestrator", "unanswered"],
      ["container.netpol", "unanswered"],
    ]);
    const flat = byRule(m, "k8s-netpol/flat-network");
    expect(flat).toMatchObject({ evidence: "unconfirmed", platforms: ["k8s"] });
    expect(m.openQuestions.find((q) => q.questionId === "container.netpol")?.threats).toEqual([flat?.id]);
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
    expect(ecs.review.platforms).toEqual(["ecs"]);
    expect(byRule(k8s, "k8s-netpol/flat-network")).toMatchObject({
      evidence: "confirmed",
      platforms: ["k8s"],
    });
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
    // Stated by the team (+1), reachable from the internet (+1), restricted data (+2 impact).
    expect(sev(exposed)).toMatchObject({ likelihood: 4, impact: 5, severity: "critical" });
    expect(exposed.summary.bySeverity.critical).toBe(1);
    // Internal only (-1) and public data (-1 impact).
    expect(sev(internal)).toMatchObject({ likelihood: 2, impact: 2, severity: "medium" });
  });

  it("reports an inherent concern once, in its own evidence level, and says who owns it on each platform", () => {
    const m = derive("undecided", answered("undecided", { "context.internet-facing": c("yes") }));
    const gap = m.threats.filter((t) => t.ruleId === "shared-model/ownership-gap");
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ evidence: "inherent", platforms: ["fn", "k8s", "ecs", "vms"] });
    expect(m.summary).toMatchObject({ confirmed: 0, inherent: 1 });
    const shared = m.responsibility.find((r) => r.knowledgeId === "shared-model");
    expect(shared?.owners).toMatchObject({
      vm: { owner: "team" },
      container: { owner: "shared" },
      serverless: { owner: "provider" },
    });
    const row = m.comparison?.find((r) => r.knowledgeId === "shared-model");
    expect(Object.fromEntries(Object.entries(row?.options ?? {}).map(([p, o]) => [p, o.owner]))).toEqual({
      fn: "provider",
      k8s: "shared",
      ecs: "shared",
      vms: "team",
    });
    expect(row?.difference).toBe(
      "Ownership moves: provider on Functions, shared on Kubernetes, shared on ECS, team on VMs.",
    );
  });

  it("shows an undecided review each threat once, on the candidate platforms it holds on, and what changes", () => {
    const m = real("undecided", {
      "context.candidates": multi("ecs-fargate", "lambda-zip"),
      "common.permissions": multi("action-wildcard", "pass-role"),
      "common.secrets": multi("env"),
    });
    expect(m.review).toMatchObject({ platforms: ["lambda-zip", "ecs-fargate"], platformsConfirmed: true });
    const ruleIds = m.threats.map((t) => t.ruleId);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const t of m.threats) {
      expect(t.platforms.length, t.ruleId).toBeGreaterThan(0);
      for (const p of t.platforms) expect(["lambda-zip", "ecs-fargate"], t.ruleId).toContain(p);
    }
    // Both candidates keep secrets in plain variables: one threat, on both.
    expect(byRule(m, "secrets-management/secrets-in-plain-config")).toMatchObject({
      evidence: "confirmed",
      platforms: ["lambda-zip", "ecs-fargate"],
    });
    // Function-role threats hold on Lambda only.
    const fnOnly = m.threats.filter((t) => t.knowledgeId === "excessive-function-permissions");
    expect(fnOnly.length).toBeGreaterThan(0);
    for (const t of fnOnly) expect(t.platforms).toEqual(["lambda-zip"]);

    const rows = new Map((m.comparison ?? []).map((r) => [r.knowledgeId, r]));
    const fnRow = rows.get("excessive-function-permissions");
    expect(Object.keys(fnRow?.options ?? {})).toEqual(["lambda-zip"]);
    expect(fnRow?.difference).toMatch(/^Does not arise on ECS on Fargate/);
    const secrets = rows.get("secrets-management");
    expect(secrets?.options["lambda-zip"]?.owner).not.toBe(secrets?.options["ecs-fargate"]?.owner);
    expect(secrets?.difference).toMatch(/^Ownership moves: /);
    const differing = [...rows.values()].find((r) => r.difference.includes("Threats differ"));
    expect(differing, "a concern whose threats differ between the candidates").toBeDefined();
    const [lambda, fargate] = ["lambda-zip", "ecs-fargate"].map((p) => differing?.options[p]?.threats ?? []);
    expect(lambda).not.toEqual(fargate);
    for (const id of [...(lambda ?? []), ...(fargate ?? [])]) expect(differing?.difference).toContain(id);
  });

  it("gives a review with every question skipped no confirmed threat and no Critical, on every workload", () => {
    for (const workload of ["vm", "container", "serverless", "undecided"] as const) {
      let state = initialState(workload);
      // Skip every question the real engine asks, in order, until none is left.
      for (let i = 0; i < 100; i++) {
        const q = walkNext(state);
        if (!q) break;
        state = {
          ...state,
          answers: [...state.answers, { questionId: q, value: { kind: "skip" }, actor: "a", at }],
        };
      }
      const m = deriveThreatModel(
        realKb,
        meta(workload),
        { ...state, finished: true },
        { version: 1, generatedAt: at },
      );
      expect(m.summary.questionsAsked, workload).toBeGreaterThan(3);
      expect(
        m.threats.filter((t) => t.evidence === "confirmed"),
        workload,
      ).toEqual([]);
      expect(m.summary, workload).toMatchObject({ confirmed: 0, open: 0, mitigated: 0, top: [] });
      expect(m.summary.bySeverity, workload).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
      for (const t of m.threats.filter((x) => x.evidence === "unconfirmed"))
        expect(t.dependsOn.length, `${workload} ${t.ruleId}`).toBeGreaterThan(0);
    }
  });

  it("confirms a threat the team stated even when its exception is something no answer can establish", () => {
    // containers.runtime "unconfined": nothing asks about sandboxed runtimes, so the threat must stand.
    const m = real("container", {
      "context.platform": c("eks"),
      "containers.runtime": multi("unconfined"),
    });
    expect(byRule(m, "syscall-filtering/unconfined-syscalls")).toMatchObject({
      evidence: "confirmed",
      status: "open",
    });
    const confined = real("container", {
      "context.platform": c("eks"),
      "containers.runtime": multi("none"),
    });
    expect(byRule(confined, "syscall-filtering/unconfined-syscalls")).toBeUndefined();
  });

  it("gives every threat a rule id, knowledge citation, sources, mitigations and a valid shape; same input, same output", () => {
    const s = answered("serverless", {
      "context.internet-facing": c("yes"),
      "context.data-sensitivity": c("internal"),
      "context.description": { kind: "skip" },
      "serverless.role": c("yes"),
    });
    const a = derive("serverless", s);
    expect(ThreatModel.parse(a)).toEqual(a);
    expect(a.threats.length).toBeGreaterThan(1);
    for (const t of a.threats) {
      const entry = kb.rule(t.ruleId)?.entry;
      expect(entry?.id).toBe(t.knowledgeId);
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

function walkNext(state: ReviewState): string | undefined {
  return currentQuestion(realKb, state)?.id;
}

import { afterAll, describe, expect, it } from "vitest";
import type { RawAnswers } from "../../src/core/review/service.js";
import type { ThreatModel } from "../../src/core/threats/model.js";
import { tempBot } from "../support/core.js";

// The real knowledge base: these concerns are only covered if the shipped entries and questions say so.
const bot = tempBot();
afterAll(() => bot.cleanup());

const base: RawAnswers = {
  "context.platform": "lambda-zip",
  "context.internet-facing": "no",
  "context.data-sensitivity": "confidential",
  "common.change-path": "pipeline-reviewed",
};

async function review(answers: RawAnswers, workload: "serverless" | "vm" = "serverless") {
  const { model } = await bot.reviews.reviewFromAnswers(
    { name: "gap concerns", workload, actor: "t", origin: "cli" },
    { ...base, ...answers },
  );
  return model;
}

const openFinding = (model: ThreatModel, ruleId: string) =>
  model.threats.find((t) => t.ruleId === ruleId && t.evidence === "confirmed" && t.status === "open");

interface Gap {
  ruleId: string;
  questionId: string;
  fact: string;
  /** An answer that states the gap. */
  gap: string[];
  /** An answer with the closing control in place. */
  closed: string[];
  extra?: RawAnswers;
}

const GAPS: Gap[] = [
  {
    ruleId: "edge-protection/unfiltered-public-endpoint",
    questionId: "common.api-controls",
    fact: "api.waf",
    gap: ["throttling"],
    closed: ["throttling", "waf"],
    extra: { "context.internet-facing": "yes", "common.callers": ["oidc"] },
  },
  {
    ruleId: "data-encryption-keys/plaintext-internal-hop",
    questionId: "common.data-protection",
    fact: "transit.tls-internal",
    gap: ["customer-keys"],
    closed: ["customer-keys", "tls-internal"],
  },
  {
    ruleId: "data-encryption-keys/provider-held-keys-only",
    questionId: "common.data-protection",
    fact: "keys.customer-managed",
    gap: ["tls-internal"],
    closed: ["tls-internal", "customer-keys"],
  },
  {
    ruleId: "backup-restore/untested-restore",
    questionId: "common.data-protection",
    fact: "backup.restore-tested",
    gap: ["tls-internal"],
    closed: ["restore-tested"],
  },
  {
    ruleId: "data-residency/copies-outside-required-region",
    questionId: "common.data-protection",
    fact: "residency.enforced",
    gap: ["residency-required"],
    closed: ["residency-required", "residency-enforced"],
  },
  {
    ruleId: "tenant-isolation/tenant-data-crossover",
    questionId: "common.data-protection",
    fact: "tenancy.separated",
    gap: ["multi-tenant"],
    closed: ["multi-tenant", "tenants-separated"],
  },
  {
    ruleId: "incident-response/unrehearsed-response",
    questionId: "common.operations",
    fact: "ops.ir-runbook",
    gap: ["ci-short-lived"],
    closed: ["ir-runbook"],
  },
  {
    ruleId: "account-separation/shared-production-account",
    questionId: "common.operations",
    fact: "org.account-separation",
    gap: ["ir-runbook"],
    closed: ["own-account"],
  },
  {
    ruleId: "account-separation/no-organisation-guardrails",
    questionId: "common.operations",
    fact: "org.guardrails",
    gap: ["own-account"],
    closed: ["org-guardrails"],
  },
  {
    ruleId: "cicd-hardening/long-lived-ci-keys",
    questionId: "common.operations",
    fact: "ci.short-lived-credentials",
    gap: ["ir-runbook"],
    closed: ["ci-short-lived"],
  },
  {
    ruleId: "cicd-hardening/unsigned-deployment-package",
    questionId: "common.operations",
    fact: "deploy.artifacts-signed",
    gap: ["ir-runbook"],
    closed: ["signed-artifacts"],
  },
  {
    ruleId: "access-control/personal-logins-without-sso",
    questionId: "common.operations",
    fact: "access.workforce-sso",
    gap: ["ir-runbook"],
    closed: ["workforce-sso"],
  },
];

describe("concerns every workload shares (edge, data protection, operations)", () => {
  for (const g of GAPS) {
    it(`${g.ruleId}: confirmed by the answer that states the gap, closed by the control`, async () => {
      const stated = await review({ ...g.extra, [g.questionId]: g.gap });
      const finding = openFinding(stated, g.ruleId);
      expect(finding, `${g.ruleId} not confirmed`).toBeDefined();
      const evidence = finding?.because.find((b) => b.fact === g.fact);
      expect(evidence?.value).toBe(false);
      expect(evidence?.source).toMatchObject({ kind: "answer", questionId: g.questionId });

      const closed = await review({ ...g.extra, [g.questionId]: g.closed });
      expect(
        openFinding(closed, g.ruleId),
        `${g.ruleId} still open with the control in place`,
      ).toBeUndefined();
    });
  }

  it("flags neither residency nor tenant separation for single-tenant data with no region rule", async () => {
    const model = await review({ "common.data-protection": ["tls-internal"] });
    expect(openFinding(model, "data-residency/copies-outside-required-region")).toBeUndefined();
    expect(openFinding(model, "tenant-isolation/tenant-data-crossover")).toBeUndefined();
  });

  it("asks the data-protection question only where the data is confidential or restricted", async () => {
    const asked = (m: ThreatModel) =>
      [...m.answers.map((a) => a.questionId), ...m.openQuestions.map((q) => q.questionId)].includes(
        "common.data-protection",
      );
    expect(asked(await review({}))).toBe(true);
    expect(asked(await review({ "context.data-sensitivity": "restricted" }))).toBe(true);
    const publicData = await review({ "context.data-sensitivity": "public" });
    expect(asked(publicData)).toBe(false);
    expect(publicData.threats.some((t) => t.dependsOn.includes("common.data-protection"))).toBe(false);
  });

  it("leaves the data gaps unconfirmed, under the open question, when it is skipped", async () => {
    const model = await review({});
    const t = model.threats.find((x) => x.ruleId === "backup-restore/untested-restore");
    expect(t?.evidence).toBe("unconfirmed");
    expect(t?.dependsOn).toContain("common.data-protection");
  });
});

describe("who may publish to the functions' event sources", () => {
  const asks = (m: ThreatModel, id: string) =>
    [...m.answers.map((a) => a.questionId), ...m.openQuestions.map((q) => q.questionId)].includes(id);

  it("is asked only when queues, streams or storage events trigger the functions", async () => {
    expect(
      asks(await review({ "serverless.triggers": ["http", "schedule"] }), "serverless.event-publishers"),
    ).toBe(false);
    expect(asks(await review({ "serverless.triggers": ["queue"] }), "serverless.event-publishers")).toBe(
      true,
    );
    expect(asks(await review({ "serverless.triggers": ["storage"] }), "serverless.event-publishers")).toBe(
      true,
    );
  });

  it("confirms forged events from open publishers, closes them for named producers, leaves them open when unanswered", async () => {
    const ruleId = "event-injection/open-event-publishers";
    const open = await review({
      "serverless.triggers": ["queue"],
      "serverless.event-publishers": "policy-allows-more",
    });
    const finding = openFinding(open, ruleId);
    expect(finding?.because.find((b) => b.fact === "events.publishers-restricted")).toMatchObject({
      value: false,
      source: { kind: "answer", questionId: "serverless.event-publishers" },
    });

    const named = await review({
      "serverless.triggers": ["queue"],
      "serverless.event-publishers": "named-producers",
    });
    expect(named.threats.find((t) => t.ruleId === ruleId)).toBeUndefined();

    const unanswered = await review({ "serverless.triggers": ["queue"] });
    const t = unanswered.threats.find((x) => x.ruleId === ruleId);
    expect(t?.evidence).toBe("unconfirmed");
    expect(t?.dependsOn).toContain("serverless.event-publishers");
  });
});

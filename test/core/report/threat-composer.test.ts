import { describe, expect, it } from "vitest";
import { toThreatComposer } from "../../../src/core/report/threat-composer.js";
import { deriveThreatModel } from "../../../src/core/threats/derive.js";
import { answeredState, fixtureKb } from "../../support/core.js";

const kb = fixtureKb();
const at = "2026-01-01T00:00:00.000Z";

function model() {
  const s = answeredState(kb, "serverless", [
    ["context.internet-facing", { kind: "choice", value: "yes" }],
    ["context.data-sensitivity", { kind: "choice", value: "restricted" }],
    ["context.description", { kind: "text", text: "Card payments" }],
    ["serverless.role", { kind: "unsure" }],
  ] as const);
  return deriveThreatModel(
    kb,
    {
      id: 4,
      uuid: "6f1c8a52-8b1e-4a51-9d55-3f0d1c2b7a10",
      name: "payments",
      workload: "serverless",
      createdBy: "alice",
      createdAt: at,
    },
    s,
    { version: 1, generatedAt: at },
  );
}

describe("Threat Composer export", () => {
  it("keeps the grammar, STRIDE, priority and links so the model can be edited there", () => {
    const m = model();
    const tc = toThreatComposer(m);
    expect(tc.schema).toBe(1);
    expect(tc.applicationInfo.name).toBe("payments");
    expect(tc.threats).toHaveLength(m.threats.length);
    const perms = tc.threats.find((t) =>
      t.metadata.some((x) => x.key === "custom:knowledgeId" && x.value === "fn-perms"),
    );
    expect(perms).toMatchObject({
      threatSource: "an attacker who runs code in a function",
      threatAction: "call any cloud API the role permits",
      status: "threatIdentified",
      // Platform, potential severity and evidence: unconfirmed, it hangs on the unsure answer.
      tags: ["fn", "high", "unconfirmed"],
    });
    expect(perms?.metadata).toContainEqual({ key: "custom:ruleId", value: "fn-perms/wildcard-role" });
    expect(perms?.metadata).toContainEqual({ key: "STRIDE", value: ["E"] });
    expect(perms?.metadata).toContainEqual({ key: "Priority", value: "High" });

    const threatIds = new Set(tc.threats.map((t) => t.id));
    const mitigationIds = new Set(tc.mitigations.map((x) => x.id));
    expect(tc.mitigationLinks.length).toBeGreaterThan(0);
    for (const l of tc.mitigationLinks) {
      expect(threatIds.has(l.linkedId)).toBe(true);
      expect(mitigationIds.has(l.mitigationId)).toBe(true);
    }
  });

  it("turns unsure answers into assumptions linked to the threats they leave open", () => {
    const tc = toThreatComposer(model());
    const assumption = tc.assumptions.find((a) =>
      a.content.includes("Do function roles use wildcard actions?"),
    );
    expect(assumption?.content).toMatch(/^Not yet confirmed \(unsure\)/);
    const linked = tc.assumptionLinks.filter((l) => l.assumptionId === assumption?.id);
    expect(linked).toHaveLength(1);
    expect(tc.threats.find((t) => t.id === linked[0]?.linkedId)?.threatAction).toBe(
      "call any cloud API the role permits",
    );
  });

  it("gives the same ids to the same review on every export", () => {
    expect(toThreatComposer(model())).toEqual(toThreatComposer(model()));
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { Workload } from "../../../src/core/knowledge/schema.js";
import { walkReview } from "../../../src/core/review/walk.js";
import { tempBot } from "../../support/core.js";

// Reviews stored before the question bank was rewritten: their events name questions of the earlier
// bank, and their stored model is in the earlier format. They are written here the way an old version
// of Threatbot stored them, straight through the store.

const bots: (() => void)[] = [];
afterEach(() => {
  for (const c of bots.splice(0)) c();
});
function bot() {
  const b = tempBot();
  bots.push(b.cleanup);
  return b;
}

const OLD_MARKDOWN = "# orders: threat model\n\nWritten by an earlier version.\n";
const OLD_MODEL = JSON.stringify({
  schemaVersion: 1,
  summary: { bySeverity: { critical: 4, high: 9, medium: 3, low: 0 } },
});

type Answers = readonly (readonly [string, string])[];

function storeOldReview(
  b: ReturnType<typeof bot>,
  workload: Workload,
  answers: Answers,
  opts: { finished: boolean },
): number {
  let second = 0;
  const at = () => new Date(Date.parse("2025-06-01T09:00:00Z") + 1000 * second++).toISOString();
  const review = b.store.createReview({
    name: "orders",
    workload,
    origin: "slack",
    createdBy: "U0OLD",
    at: at(),
  });
  for (const [questionId, value] of answers) {
    const v =
      questionId === "context.description"
        ? { kind: "text" as const, text: value }
        : { kind: "choice" as const, value };
    b.store.append(review.id, { type: "answer", questionId, value: v, actor: "U0OLD", at: at() });
  }
  if (opts.finished) {
    const finishedAt = at();
    b.store.append(review.id, { type: "finish", actor: "U0OLD", at: finishedAt });
    b.store.saveThreatModel(review.id, finishedAt, OLD_MODEL, OLD_MARKDOWN);
  }
  return review.id;
}

const OLD_SERVERLESS: Answers = [
  ["context.description", "Processes orders placed on the web shop."],
  ["context.internet-facing", "yes"],
  ["context.data-sensitivity", "confidential"],
  ["context.authentication", "oidc"],
  ["common.secrets-storage", "env-or-config"],
  ["common.deploy-access", "pipeline-only"],
  ["serverless.packaging", "zip-deprecated"],
  ["serverless.role-scope", "action-wildcard"],
  ["serverless.concurrency", "account-default"],
];

describe("reviews stored with the earlier question bank", () => {
  it("re-derive into a new version confirmed by what the old answers said, quoting them", () => {
    const b = bot();
    const id = storeOldReview(b, "serverless", OLD_SERVERLESS, { finished: true });

    const { model, markdown, version } = b.reviews.threatModel(id);
    expect(version).toBe(2);
    expect(model.version).toBe(2);
    expect(model.schemaVersion).toBe(2);

    const confirmed = model.threats.filter((t) => t.evidence === "confirmed");
    const wildcard = confirmed.find(
      (t) => t.ruleId === "excessive-function-permissions/action-wildcard-role",
    );
    expect(wildcard?.because).toContainEqual({
      fact: "iam.action-wildcard",
      value: true,
      source: {
        kind: "answer",
        questionId: "serverless.role-scope",
        answer: "Service wildcards (s3:*, dynamodb:*) or admin-level policies",
      },
    });
    const ruleIds = confirmed.map((t) => t.ruleId);
    expect(ruleIds).toContain("secrets-management/secrets-in-plain-config");
    // The old answer named service wildcards, not Resource "*" or a shared role: those stay unconfirmed.
    expect(ruleIds).not.toContain("excessive-function-permissions/resource-wildcard-role");
    expect(ruleIds).not.toContain("least-privilege-service-accounts/shared-identity");
    expect(model.summary.confirmed).toBe(confirmed.length);

    // "Zip archives, some on deprecated runtimes" pinned the platform.
    expect(model.review.platforms).toEqual(["lambda-zip"]);
    expect(model.review.platformsConfirmed).toBe(true);

    const answers = markdown.slice(markdown.indexOf("## Answers"), markdown.indexOf("## References"));
    expect(answers).toContain(
      "Do the execution roles use wildcards in actions or resources, and does each function have its own role? (earlier question bank)",
    );
    expect(model.answers).toContainEqual({
      questionId: "serverless.role-scope",
      question:
        "Do the execution roles use wildcards in actions or resources, and does each function have its own role? (earlier question bank)",
      answer: "Service wildcards (s3:*, dynamodb:*) or admin-level policies",
      answeredBy: "U0OLD",
      answeredAt: expect.any(String),
    });
    expect(answers).toContain("Zip archives, some on deprecated runtimes (e.g. nodejs16.x, python3.8)");

    // The version the team once read is still there, byte for byte.
    const old = b.reviews.storedVersion(id, 1);
    expect(old.markdown).toBe(OLD_MARKDOWN);
    expect(old.json).toBe(OLD_MODEL);
    expect(b.reviews.storedVersion(id, 2).markdown).toBe(markdown);
    // Asking again gives the same new version rather than piling up more.
    expect(b.reviews.threatModel(id).version).toBe(2);
  });

  it("keep the platform an old answer pinned: an old Fargate review shows no node threats", () => {
    const b = bot();
    const common: Answers = [
      ["context.internet-facing", "yes"],
      ["context.data-sensitivity", "restricted"],
      ["common.workload-identity", "shared-role"],
    ];
    const fargate = storeOldReview(b, "container", [["container.orchestrator", "fargate"], ...common], {
      finished: true,
    });
    const kubernetes = storeOldReview(b, "container", [["container.orchestrator", "kubernetes"], ...common], {
      finished: true,
    });

    const onFargate = b.reviews.threatModel(fargate);
    expect(onFargate.model.review.platforms).toEqual(["ecs-fargate"]);
    const nodeThreats = (m: typeof onFargate.model) =>
      m.threats.filter((t) => t.ruleId.startsWith("vm-patching/")).map((t) => t.ruleId);
    expect(nodeThreats(onFargate.model)).toEqual([]);
    const threatsSection = onFargate.markdown.slice(
      onFargate.markdown.indexOf("## Confirmed threats"),
      onFargate.markdown.indexOf("## Mitigations"),
    );
    expect(threatsSection.length).toBeGreaterThan(0);
    expect(threatsSection.toLowerCase()).not.toMatch(/worker node|node patching|node image/);
    expect(
      onFargate.model.threats.find((t) => t.ruleId === "least-privilege-service-accounts/shared-identity")
        ?.evidence,
    ).toBe("confirmed");

    // "Kubernetes" cannot tell a managed cluster from a self-run one, so nothing is pinned and the
    // nodes the team may run still carry their threats, as open questions.
    const onKubernetes = b.reviews.threatModel(kubernetes).model;
    expect(onKubernetes.review.platformsConfirmed).toBe(false);
    expect(nodeThreats(onKubernetes).length).toBeGreaterThan(0);
  });

  it("do not ask again, in a review still in progress, what the old answers settled", async () => {
    const b = bot();
    const id = storeOldReview(
      b,
      "serverless",
      [
        ["context.description", "Resizes uploaded product photos."],
        ["context.internet-facing", "no"],
        ["context.data-sensitivity", "internal"],
        ["serverless.packaging", "zip-supported"],
        ["serverless.role-scope", "per-function-exact"],
      ],
      { finished: false },
    );

    const asked: string[] = [];
    let view = b.reviews.view(id);
    for (let i = 0; view.question && i < 40; i++) {
      asked.push(view.question.id);
      const out = await b.reviews.answer({
        reviewId: id,
        questionId: view.question.id,
        value: { kind: "skip" },
        actor: "U0NEW",
      });
      expect(out.status).toBe("recorded");
      view = out.view;
    }
    expect(view.question).toBeUndefined();
    expect(asked.length).toBeGreaterThan(0);
    // The platform and the runtime question were answered by "zip archives on supported runtimes".
    expect(asked).not.toContain("context.platform");
    expect(asked).not.toContain("serverless.runtimes");
    // Permissions are only partly known (nothing was said about long-lived keys or PassRole): still asked.
    expect(asked).toContain("common.permissions");
    expect(walkReview(b.kb, view.state).platforms).toEqual(["lambda-zip"]);

    const { model } = b.reviews.finish(id, "U0NEW");
    expect(model.review.platforms).toEqual(["lambda-zip"]);
    expect(model.openQuestions.map((q) => q.questionId)).not.toContain("serverless.runtimes");
    // "Exact actions on exact ARNs" ruled the wildcard threats out; skipping the permissions question
    // did not reopen them.
    const ruleIds = model.threats.map((t) => t.ruleId);
    expect(ruleIds).not.toContain("excessive-function-permissions/action-wildcard-role");
    expect(ruleIds).not.toContain("excessive-function-permissions/resource-wildcard-role");
    expect(ruleIds).toContain("excessive-function-permissions/pass-role-escalation");
  });
});

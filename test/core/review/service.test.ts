import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { InputError, NotFoundError } from "../../../src/core/errors.js";
import { ThreatModel } from "../../../src/core/threats/model.js";
import { FIXTURE_KB, tempBot } from "../../support/core.js";

const bots: (() => void)[] = [];
afterEach(() => {
  for (const c of bots.splice(0)) c();
});
function bot() {
  const b = tempBot({ knowledgeDir: FIXTURE_KB });
  bots.push(b.cleanup);
  return b;
}
const SLACK = ["xoxb", "123456789012", "1234567890123", "AbCdEfGhIjKlMnOpQrStUvWx"].join("-");

describe("review service", () => {
  it("never writes a pasted secret to the database in clear text", async () => {
    const b = bot();
    const { view } = await b.reviews.start({
      name: "orders",
      workload: "serverless",
      actor: "alice",
      origin: "terminal",
    });
    await b.reviews.answer({
      reviewId: view.review.id,
      questionId: "context.internet-facing",
      value: { kind: "choice", value: "yes" },
      actor: "alice",
    });
    await b.reviews.answer({
      reviewId: view.review.id,
      questionId: "context.data-sensitivity",
      value: { kind: "choice", value: "public" },
      actor: "alice",
    });
    const out = await b.reviews.answer({
      reviewId: view.review.id,
      questionId: "context.description",
      value: { kind: "text", text: `Posts to Slack with ${SLACK}` },
      actor: "alice",
    });
    expect(out.status === "recorded" && out.warnings[0]).toMatch(/rotate it/);
    b.reviews.finish(view.review.id, "alice");
    b.close();
    for (const suffix of ["", "-wal"]) {
      let bytes = "";
      try {
        bytes = readFileSync(b.dbPath + suffix, "latin1");
      } catch {
        continue;
      }
      expect(bytes).not.toContain(SLACK.slice(5, 30));
    }
  });

  it("records a retried or double-clicked answer once", async () => {
    const b = bot();
    const { view } = await b.reviews.start({
      name: "orders",
      workload: "vm",
      actor: "alice",
      origin: "slack",
    });
    const send = () =>
      b.reviews.answer({
        reviewId: view.review.id,
        questionId: "context.internet-facing",
        value: { kind: "choice", value: "no" },
        actor: "bob",
        idempotencyKey: "action-1",
      });
    expect((await send()).status).toBe("recorded");
    expect((await send()).status).toBe("duplicate");
    expect(b.store.events(view.review.id)).toHaveLength(1);
  });

  it("lets only the first of two people answer a question, and tells the second who did", async () => {
    const b = bot();
    const { view } = await b.reviews.start({
      name: "orders",
      workload: "vm",
      actor: "alice",
      origin: "slack",
    });
    const [one, two] = await Promise.all(
      ["alice", "bob"].map((actor, i) =>
        b.reviews.answer({
          reviewId: view.review.id,
          questionId: "context.internet-facing",
          value: { kind: "choice", value: i ? "yes" : "no" },
          actor,
          idempotencyKey: `click-${actor}`,
        }),
      ),
    );
    expect(one?.status).toBe("recorded");
    expect(two).toMatchObject({
      status: "rejected",
      reason: "already-answered",
      message: "Already answered by alice.",
    });
    expect(b.store.events(view.review.id)).toHaveLength(1);
  });

  it("commits answers that arrive together in one go, and a bad one fails alone", async () => {
    const b = bot();
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(
        (await b.reviews.start({ name: `svc-${i}`, workload: "vm", actor: "a", origin: "cli" })).view.review
          .id,
      );
    }
    const answers = ids.map((reviewId, i) =>
      b.reviews.answer({
        reviewId,
        questionId: "context.internet-facing",
        value: { kind: "choice", value: i % 2 ? "yes" : "no" },
        actor: `u${i}`,
      }),
    );
    const missing = b.reviews.answer({
      reviewId: 999,
      questionId: "context.internet-facing",
      value: { kind: "choice", value: "no" },
      actor: "x",
    });
    await expect(missing).rejects.toThrow(NotFoundError);
    const outcomes = await Promise.all(answers);
    expect(outcomes.every((o) => o.status === "recorded")).toBe(true);
    for (const [i, id] of ids.entries()) {
      expect(b.store.events(id)).toMatchObject([
        { type: "answer", actor: `u${i}`, value: { value: i % 2 ? "yes" : "no" } },
      ]);
    }
  });

  it("stores every version of a finished model and serves a draft before that", async () => {
    const b = bot();
    const { view } = await b.reviews.start({
      name: "orders",
      workload: "serverless",
      actor: "alice",
      origin: "terminal",
    });
    const draft = b.reviews.threatModel(view.review.id);
    expect(draft.model.review.status).toBe("in_progress");
    expect(b.store.latestVersion(view.review.id)).toBe(0);
    const done = b.reviews.finish(view.review.id, "alice");
    expect(done.version).toBe(1);
    expect(ThreatModel.parse(JSON.parse(b.store.threatModel(view.review.id)?.json ?? "{}")).version).toBe(1);
    expect(b.reviews.threatModel(view.review.id).markdown).toBe(done.markdown);
    expect(b.reviews.storedVersion(view.review.id, 1)).toMatchObject({ version: 1, markdown: done.markdown });
    expect(() => b.reviews.storedVersion(view.review.id, 9)).toThrow(
      /Review #1 has no version 9 of its threat model/,
    );
    expect(() => b.reviews.storedVersion(view.review.id, 9)).toThrow(NotFoundError);
  });

  it("keeps a stored model of the earlier format readable and derives a new version from its answers", async () => {
    const b = bot();
    const at = "2025-06-01T00:00:00.000Z";
    // A review finished before threats rested on facts: answers and finish in the log, a schemaVersion 1 model.
    const review = b.store.createReview({
      name: "legacy",
      workload: "serverless",
      origin: "cli",
      createdBy: "bob",
      at,
    });
    const answers: [string, string][] = [
      ["context.internet-facing", "yes"],
      ["context.data-sensitivity", "restricted"],
    ];
    for (const [questionId, value] of answers)
      b.store.append(review.id, {
        type: "answer",
        questionId,
        value: { kind: "choice", value },
        actor: "bob",
        at,
      });
    b.store.append(review.id, {
      type: "answer",
      questionId: "context.description",
      value: { kind: "skip" },
      actor: "bob",
      at,
    });
    b.store.append(review.id, {
      type: "answer",
      questionId: "serverless.role",
      value: { kind: "choice", value: "yes" },
      actor: "bob",
      at,
    });
    b.store.append(review.id, { type: "finish", actor: "bob", at });
    const oldModel = {
      schemaVersion: 1,
      version: 1,
      knowledgeBaseVersion: "0123456789ab",
      threats: [
        { id: "T-001", knowledgeId: "fn-perms", deploymentModel: "serverless", status: "open", basis: [] },
      ],
    };
    b.store.saveThreatModel(review.id, at, JSON.stringify(oldModel), "# Threat model: legacy (v1)\n");

    const old = b.reviews.storedVersion(review.id, 1);
    expect(old.model).toBeUndefined();
    expect(JSON.parse(old.json)).toEqual(oldModel);
    expect(old.markdown).toBe("# Threat model: legacy (v1)\n");

    const now = b.reviews.threatModel(review.id);
    expect(now.version).toBe(2);
    expect(now.model).toMatchObject({ schemaVersion: 2, version: 2, knowledgeBaseVersion: b.kb.version });
    expect(now.model.threats.find((t) => t.ruleId === "fn-perms/wildcard-role")).toMatchObject({
      evidence: "confirmed",
      severity: "critical",
    });
    expect(now.markdown).toContain("# Threat model: legacy");
    // Stored once: reading again serves version 2, and version 1 is untouched.
    expect(b.reviews.threatModel(review.id).version).toBe(2);
    expect(b.store.latestVersion(review.id)).toBe(2);
    expect(b.reviews.storedVersion(review.id, 1).json).toBe(JSON.stringify(oldModel));
    expect(b.reviews.storedVersion(review.id, 2).model?.schemaVersion).toBe(2);
  });

  it("runs a review from an answers file all-or-nothing, refusing ids it would not ask", async () => {
    const b = bot();
    const file = (workload: string, raw: Record<string, string | string[]>) =>
      b.reviews.reviewFromAnswers({ name: "x", workload, actor: "ci", origin: "cli" }, raw);
    await expect(file("serverless", { "serverless.role": "maybe" })).rejects.toThrow(
      /"maybe" is not one of the options of serverless\.role\. Reply with one of: 1\. yes \(Yes\); 2\. no \(No\)/,
    );
    await expect(file("serverless", { "no.such": "yes" })).rejects.toThrow(
      /^Unknown question ids: no\.such\. A serverless review accepts: context\.internet-facing, context\.data-sensitivity, context\.description, serverless\.role/,
    );
    await expect(file("serverless", { "container.netpol": "no" })).rejects.toThrow(
      /Not asked in a serverless review: container\.netpol \(container\)/,
    );
    // Asked in container reviews, but not on ECS: the answer would be lost, so the file is refused.
    await expect(
      file("container", {
        "context.internet-facing": "yes",
        "container.orchestrator": "ECS",
        "container.netpol": "no",
      }),
    ).rejects.toThrow(
      /Not asked for this review's answers .*: container\.netpol\..*Asked here: .*container\.orchestrator/,
    );
    expect(b.reviews.list()).toHaveLength(0);

    const done = await file("container", {
      "context.internet-facing": "yes",
      "container.orchestrator": "ECS",
    });
    expect(done.warnings).toEqual([]);
    expect(done.model.review.platforms).toEqual(["ecs"]);
    expect(done.model.openQuestions.map((q) => [q.questionId, q.reason])).toEqual([
      ["context.data-sensitivity", "skipped"],
    ]);
    expect(b.reviews.view(done.reviewId).review.status).toBe("finished");
    expect(b.reviews.list()).toHaveLength(1);
  });

  it("refuses bad names and workloads with a message", async () => {
    const b = bot();
    await expect(b.reviews.start({ name: " ", workload: "vm", actor: "a", origin: "cli" })).rejects.toThrow(
      InputError,
    );
    await expect(
      b.reviews.start({ name: "x", workload: "mainframe", actor: "a", origin: "cli" }),
    ).rejects.toThrow(/Use one of: vm, container, serverless, undecided/);
  });

  it("keeps a workspace's reviews to that workspace, and a private channel's to that channel", async () => {
    const b = bot();
    const slack = { teamId: "T1", channelId: "G1", channelPrivate: true };
    const { view } = await b.reviews.start({
      name: "secret-project",
      workload: "vm",
      actor: "U1",
      origin: "slack",
      slack,
    });
    const id = view.review.id;
    expect(b.reviews.view(id, { teamId: "T1", channelId: "G1" }).review.name).toBe("secret-project");
    expect(() => b.reviews.view(id, { teamId: "T2", channelId: "G1" })).toThrow(NotFoundError);
    expect(() => b.reviews.view(id, { teamId: "T1", channelId: "C9" })).toThrow(NotFoundError);
    expect(b.reviews.list({ viewer: { teamId: "T1", channelId: "C9" } })).toHaveLength(0);
    expect(b.reviews.list({ viewer: { teamId: "T1", channelId: "G1" } })).toHaveLength(1);
    expect(b.reviews.list()).toHaveLength(1);
  });
});

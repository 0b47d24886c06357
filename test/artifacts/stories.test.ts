import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FILE_STORIES, loadStory, questionsAsked, storyFacts } from "../../bench/stories.js";
import { factsForReview } from "../../src/artifacts/for-review.js";
import { scanPaths } from "../../src/artifacts/scan.js";
import type { FileFact } from "../../src/core/facts/state.js";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { Workload } from "../../src/core/knowledge/schema.js";
import { currentQuestion, initialState, transition } from "../../src/core/review/engine.js";
import { factsOf, offeredOptions, walkReview } from "../../src/core/review/walk.js";
import { deriveThreatModel } from "../../src/core/threats/derive.js";
import { ARTIFACTS, TODAY } from "./support.js";

const kb = loadKnowledgeBase();

/** The finished threat model of a review that knows only what the files show. */
const modelOf = (name: string, workload: Workload, facts: FileFact[]) =>
  deriveThreatModel(
    kb,
    {
      id: 1,
      uuid: "6f1c8a52-8b1e-4a51-9d55-3f0d1c2b7a10",
      name,
      workload,
      createdBy: "t",
      createdAt: "2026-01-01T00:00:00Z",
    },
    { ...initialState(workload, facts), finished: true },
    { version: 1, generatedAt: "2026-01-01T00:00:00Z" },
  );

describe("reviews that start from the team's files", () => {
  it.each(FILE_STORIES)("%s never asks more with its files, and skips only what they settle", async (id) => {
    const story = loadStory(id);
    const facts = await storyFacts(id);
    const without = questionsAsked(kb, story, []);
    const withFiles = questionsAsked(kb, story, facts);
    // An undecided review asks only the questions its candidates share, which files rarely settle whole.
    if (story.workload === "undecided") expect(withFiles.length).toBeLessThanOrEqual(without.length);
    else expect(withFiles.length).toBeLessThan(without.length);
    const walk = walkReview(kb, initialState(story.workload, facts));
    for (const skipped of without.filter((q) => !withFiles.includes(q))) {
      const q = kb.question(skipped);
      // Only the facts its options set on this platform count: the others are never asked here.
      const settles = q ? factsOf({ options: offeredOptions(kb, q, walk.platforms) }) : [];
      const fromFiles = settles.every((f) => walk.facts.known.get(f)?.source.kind === "file");
      expect(fromFiles || walk.platformSource?.kind === "file", skipped).toBe(true);
    }
  });
});

describe("a question the files answer in part", () => {
  it("offers only the options the files leave open, and keeps the files' facts beside the answer", async () => {
    const facts = await storyFacts("order-processor-lambda");
    let state = initialState("serverless", facts);
    const at = "2026-01-01T00:00:00Z";
    // Walk to the triggers question, skipping the ones before it.
    for (
      let q = currentQuestion(kb, state);
      q && q.id !== "serverless.triggers";
      q = currentQuestion(kb, state)
    ) {
      const t = transition(kb, state, {
        type: "answer",
        questionId: q.id,
        value: { kind: "skip" },
        actor: "t",
        at,
      });
      if (!t.ok) throw new Error(t.message);
      state = t.state;
    }
    const q = kb.question("serverless.triggers");
    if (!q) throw new Error("serverless.triggers");
    expect(currentQuestion(kb, state)?.id).toBe("serverless.triggers");
    const walk = walkReview(kb, state);
    // The serverless.yml lists every function's events: a queue, no object storage. Its one role may
    // write to any queue, so whether a function writes to its own trigger is left to the team.
    expect(
      offeredOptions(kb, q, walk.platforms, new Set(facts.map((f) => f.fact))).map((o) => o.value),
    ).toEqual(["http", "writes-to-trigger", "schedule"]);
    // An answer written without the files may still name the settled options; the files say those.
    const t = transition(kb, state, {
      type: "answer",
      questionId: q.id,
      value: { kind: "multi", values: ["http", "queue"] },
      actor: "t",
      at,
    });
    if (!t.ok) throw new Error(t.message);
    const after = walkReview(kb, t.state).facts.known;
    expect(after.get("fn.writes-to-trigger")).toMatchObject({ value: false, source: { kind: "answer" } });
    expect(after.get("events.queue")).toMatchObject({ value: true, source: { kind: "file" } });
    expect(after.get("events.storage")).toMatchObject({ value: false, source: { kind: "file" } });
    // A value that is no option is refused, naming only the options still open.
    expect(() =>
      transition(kb, state, {
        type: "answer",
        questionId: q.id,
        value: { kind: "multi", values: ["made-up"] },
        actor: "t",
        at,
      }),
    ).toThrow(/Choose any of: 1\. http .*; 2\. writes-to-trigger /);
  });
});

describe("the teams' CI files", () => {
  it.each([
    // Trivy in the image job and `npm ci` settle "scanned in CI" and "lock files"; the rest is open.
    [
      "payments-eks",
      "images.pipeline",
      ["signed", "community", "rebuilt", "ci-push", "rescanned", "auto-updates", "pruned", "none"],
    ],
    // The whole workflows folder runs `npm ci` and no scan: only automated updates are left to ask.
    ["order-processor-lambda", "common.dependencies", ["auto-updates", "none"]],
    // The web ACL in front of CloudFront blocks with AWS's managed rules and a per-address rate rule.
    ["map-tiles-vm", "common.api-controls", ["object-authz", "security-tests", "validation", "none"]],
  ] as const)("%s: %s offers only what the workflows leave open", async (id, questionId, open) => {
    const story = loadStory(id);
    const facts = await storyFacts(id);
    const q = kb.question(questionId);
    if (!q) throw new Error(questionId);
    const walk = walkReview(kb, initialState(story.workload, facts));
    const offered = offeredOptions(kb, q, walk.platforms, new Set(facts.map((f) => f.fact)));
    expect(offered.map((o) => o.value)).toEqual(open);
  });

  it("show where each fact comes from", async () => {
    const shown = (await storyFacts("order-processor-lambda")).map(
      (f) => `${f.fact}=${f.value} ${f.file}:${f.line}`,
    );
    expect(shown.filter((s) => s.includes(".github/"))).toEqual([
      expect.stringMatching(/^ci\.short-lived-credentials=false .*deploy\.yml:9$/),
      expect.stringMatching(/^deps\.lockfiles=true .*deploy\.yml:17$/),
      expect.stringMatching(/^deps\.scanning=false .*deploy\.yml:5$/),
    ]);
  });
});

describe("a CDK app's folder", () => {
  it("reads the stack templates cdk synth wrote, not its manifest or the bundled function code", async () => {
    const scan = await scanPaths([join(ARTIFACTS, "stories", "notifications-lambda")], { today: TODAY });
    const inCdkOut = [...scan.files.map((f) => f.file), ...scan.problems.map((p) => p.file)].filter((f) =>
      f.includes("cdk.out/"),
    );
    expect(inCdkOut).toEqual([
      "cdk.out/NotificationsEdgeStack.template.json",
      "cdk.out/NotificationsStack.template.json",
    ]);
    // The templates settle the platform, the routes' authorisation and the WAF in front.
    expect(scan.platform?.platform).toBe("lambda-zip");
    const facts = factsForReview(scan).map((f) => `${f.fact}=${f.value}`);
    expect(facts).toEqual(
      expect.arrayContaining(["api.unauthenticated=false", "api.strong-auth=true", "api.waf=true"]),
    );
  });
});

// [fixture, workload, threat rule confirmed, the file line it rests on]
const CONFIRMED: [string, Workload, string, string][] = [
  ["docker/latest.Dockerfile", "container", "container-non-root/runs-as-root", "latest.Dockerfile:1"],
  ["docker/latest.Dockerfile", "container", "image-trust-pinning/latest-tag", "latest.Dockerfile:1"],
  ["infra/instance-imdsv1.tf", "vm", "instance-metadata/ssrf-imdsv1", "instance-imdsv1.tf:7"],
  [
    "stories/order-processor-lambda",
    "serverless",
    "secrets-management/secrets-in-plain-config",
    "serverless.yml:14",
  ],
  ["stories/legacy-crm-vm", "vm", "least-privilege-service-accounts/static-cloud-keys", "iam.tf:6"],
  ["stories/legacy-crm-vm", "vm", "host-environment-management/os-end-of-life", "main.tf:44"],
  ["stories/legacy-crm-vm", "vm", "vm-remote-access/shared-admin-keys", "main.tf:52"],
  ["infra/ami-eol.tf", "vm", "host-environment-management/os-end-of-life", "ami-eol.tf:7"],
  ["stories/map-tiles-vm", "vm", "instance-metadata/ssrf-imdsv1", "main.tf:94"],
  ["stories/map-tiles-vm", "vm", "network-misconfiguration/open-egress", "main.tf:63"],
  [
    "lambda/sam-access-key-env.yaml",
    "serverless",
    "least-privilege-service-accounts/static-cloud-keys",
    "sam-access-key-env.yaml:12",
  ],
  [
    "lambda/serverless-loop.yml",
    "serverless",
    "denial-of-wallet/self-triggering-loop",
    "serverless-loop.yml:13",
  ],
  [
    "lambda/sam-queue-policy-open.yaml",
    "serverless",
    "event-injection/open-event-publishers",
    "sam-queue-policy-open.yaml:14",
  ],
  [
    "irsa/access-key",
    "container",
    "least-privilege-service-accounts/static-cloud-keys",
    "deployment.yaml:27",
  ],
  ["irsa/namespace-wide", "container", "least-privilege-service-accounts/shared-identity", "role.tf:11"],
  ["infra/eks-nodes.tf", "container", "instance-metadata/container-takes-node-role", "eks-nodes.tf:26"],
  ["infra/eks-nodes.tf", "container", "network-misconfiguration/admin-ports-open", "eks-nodes.tf:41"],
  ["stories/payments-eks", "container", "orchestration-security/public-cluster-api", "platform/eks.tf:30"],
  ["stories/payments-eks", "container", "network-misconfiguration/open-egress", "platform/eks.tf:66"],
  [
    "infra/ecs-tasks-shared-role.tf",
    "container",
    "least-privilege-service-accounts/shared-identity",
    "ecs-tasks-shared-role.tf:9",
  ],
  [
    "infra/ecs-tasks-shared-role.tf",
    "container",
    "container-escape-shared-kernel/added-capabilities",
    "ecs-tasks-shared-role.tf:33",
  ],
  [
    "infra/taskdef-keys.json",
    "container",
    "least-privilege-service-accounts/static-cloud-keys",
    "taskdef-keys.json:13",
  ],
  ["stories/status-board-fargate", "container", "image-trust-pinning/version-tag-drift", "Dockerfile:1"],
  [
    "lambda/cfn-queue-loop.yaml",
    "serverless",
    "denial-of-wallet/self-triggering-loop",
    "cfn-queue-loop.yaml:24",
  ],
  [
    "lambda/cfn-http-api-open.yaml",
    "serverless",
    "least-privilege-service-accounts/shared-identity",
    "cfn-http-api-open.yaml:71",
  ],
  // The tile server's instance role, which the team believes reads one bucket, may read every parameter.
  ["stories/map-tiles-vm", "vm", "least-privilege-service-accounts/broad-workload-identity", "main.tf:207"],
  // The manifests with the cluster's Terraform, which settles the platform as EKS.
  [
    "kustomize/open-namespace,infra/eks.tf",
    "container",
    "kubernetes-network-policies/flat-pod-network",
    "kustomization.yaml:4",
  ],
];

// [fixture, workload, threat rule the files rule out, the file line that rules it out]
const RULED_OUT: [string, Workload, string, string][] = [
  ["irsa/pinned", "container", "least-privilege-service-accounts/static-cloud-keys", "role.tf:11"],
  ["irsa/pinned", "container", "least-privilege-service-accounts/shared-identity", "role.tf:11"],
  [
    "infra/eks-nodes-locked.tf",
    "container",
    "instance-metadata/container-takes-node-role",
    "eks-nodes-locked.tf:16",
  ],
  ["infra/eks-nodes.tf", "container", "os-hardening-checklists/unhardened-host", "eks-nodes.tf:34"],
  ["infra/eks-nodes.tf", "container", "network-misconfiguration/default-network", "eks-nodes.tf:15"],
  // The status board's task size, task role, user and read-only root, from its Terraform.
  ["stories/status-board-fargate", "container", "resource-contention/container-without-limits", "ecs.tf:13"],
  [
    "stories/status-board-fargate",
    "container",
    "least-privilege-service-accounts/shared-identity",
    "ecs.tf:16",
  ],
  [
    "stories/status-board-fargate",
    "container",
    "least-privilege-service-accounts/static-cloud-keys",
    "ecs.tf:16",
  ],
  ["stories/status-board-fargate", "container", "container-non-root/runs-as-root", "Dockerfile:10"],
  ["stories/status-board-fargate", "container", "container-non-root/writable-root-filesystem", "ecs.tf:24"],
  [
    "infra/vm-session-manager.tf",
    "vm",
    "vm-remote-access/admin-login-open-to-internet",
    "vm-session-manager.tf:30",
  ],
  [
    "infra/vm-session-manager.tf",
    "vm",
    "network-misconfiguration/admin-ports-open",
    "vm-session-manager.tf:40",
  ],
  ["stories/map-tiles-vm", "vm", "vm-remote-access/allow-listed-source-abused", "main.tf:207"],
  ["stories/map-tiles-vm", "vm", "network-misconfiguration/default-network", "main.tf:122"],
  ["stories/map-tiles-vm", "vm", "api-security/unthrottled-api", "edge.tf:42"],
  ["stories/map-tiles-vm", "vm", "edge-protection/unfiltered-public-endpoint", "edge.tf:20"],
  [
    "lambda/cfn-http-api.json",
    "serverless",
    "api-security/unauthenticated-endpoint",
    "cfn-http-api.json:108",
  ],
  ["lambda/cfn-http-api.json", "serverless", "api-security/static-key-replay", "cfn-http-api.json:108"],
  ["lambda/cfn-http-api.json", "serverless", "api-security/unthrottled-api", "cfn-http-api.json:70"],
  [
    "lambda/cfn-http-api.json",
    "serverless",
    "excessive-function-permissions/resource-wildcard-role",
    "cfn-http-api.json:25",
  ],
  [
    "lambda/cfn-http-api.json",
    "serverless",
    "least-privilege-service-accounts/shared-identity",
    "cfn-http-api.json:47",
  ],
  [
    "stories/notifications-lambda",
    "serverless",
    "denial-of-wallet/self-triggering-loop",
    "NotificationsStack.template.json:442",
  ],
  [
    "stories/notifications-lambda",
    "serverless",
    "event-injection/storage-event-injection",
    "NotificationsStack.template.json:3",
  ],
];

describe("threats confirmed by files", () => {
  it.each(CONFIRMED)("%s (%s) confirms %s from %s", async (fixture, workload, ruleId, line) => {
    const paths = fixture.split(",").map((f) => join(ARTIFACTS, f));
    const scan = await scanPaths(paths, { today: TODAY });
    const model = modelOf(fixture, workload, factsForReview(scan));
    const threat = model.threats.find((t) => t.ruleId === ruleId);
    expect(threat?.evidence).toBe("confirmed");
    const lines = threat?.because.map((b) =>
      b.source.kind === "file" ? `${b.source.file}:${b.source.line}` : "",
    );
    expect(lines?.some((l) => l.endsWith(line))).toBe(true);
  });

  it.each(RULED_OUT)("%s (%s) rules out %s from %s", async (fixture, workload, ruleId, line) => {
    const scan = await scanPaths([join(ARTIFACTS, fixture)], { today: TODAY });
    const facts = factsForReview(scan);
    const model = modelOf(fixture, workload, facts);
    expect(model.threats.map((t) => t.ruleId)).not.toContain(ruleId);
    // The deciding fact rests on that line.
    expect(facts.some((f) => `${f.file}:${f.line}`.endsWith(line))).toBe(true);
  });

  it("files that show a control or an absent source rule their threats out", async () => {
    const facts = await storyFacts("order-processor-lambda");
    const model = modelOf("order processor", "serverless", facts);
    const ids = model.threats.map((t) => t.ruleId);
    // An execution role and no key; no bucket events; every route needs an API key; bodies checked by a schema.
    for (const ruledOut of [
      "least-privilege-service-accounts/static-cloud-keys",
      "event-injection/storage-event-injection",
      "api-security/unauthenticated-endpoint",
      "event-injection/unvalidated-request-injection",
    ])
      expect(ids, ruledOut).not.toContain(ruledOut);
    // The queue's redrive policy is the dead-letter queue the story names.
    expect(ids).not.toContain("denial-of-wallet/poison-event-retries");
  });

  it("files alone confirm nothing a file did not show", async () => {
    const scan = await scanPaths([join(ARTIFACTS, "docker", "digest.Dockerfile")], { today: TODAY });
    const model = modelOf("digest", "container", factsForReview(scan));
    const confirmed = model.threats.filter((t) => t.evidence === "confirmed");
    for (const t of confirmed)
      expect(
        t.because.every((b) => b.source.kind === "file"),
        t.ruleId,
      ).toBe(true);
    expect(confirmed.map((t) => t.ruleId)).not.toContain("container-non-root/runs-as-root");
    expect(confirmed.map((t) => t.ruleId)).not.toContain("image-trust-pinning/latest-tag");
  });
});

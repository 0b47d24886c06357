import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { commandSignals } from "../../src/artifacts/ci-commands.js";
import { factsForReview } from "../../src/artifacts/for-review.js";
import { type ScanResult, scanFiles, scanPaths } from "../../src/artifacts/scan.js";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { Workload } from "../../src/core/knowledge/schema.js";
import { currentQuestion, initialState, type ReviewState, transition } from "../../src/core/review/engine.js";
import { toAnswerValue } from "../../src/core/review/service.js";
import { deriveThreatModel } from "../../src/core/threats/derive.js";
import { ARTIFACTS, TODAY } from "./support.js";

const kb = loadKnowledgeBase();
const CI = join(ARTIFACTS, "ci");

let scan: ScanResult;
beforeAll(async () => {
  scan = await scanPaths([CI], { today: TODAY });
});
const factsOf = (file: string, fact: string) => scan.facts.filter((f) => f.file === file && f.fact === fact);

// [file under ci/, fact, value, line, excerpt fragment]
const POSITIVE: [string, string, boolean, number, string][] = [
  ["deploy-oidc.yml", "ci.short-lived-credentials", true, 22, "role-to-assume:"],
  ["image-build.yml", "ci.short-lived-credentials", true, 15, "role-to-assume:"],
  ["gcp-auth.yml", "ci.short-lived-credentials", true, 14, "workload_identity_provider:"],
  ["deploy-keys.yml", "ci.short-lived-credentials", false, 13, "aws-access-key-id: ${{ secrets."],
  ["deploy-keys.yml", "ci.short-lived-credentials", false, 21, "AWS_ACCESS_KEY_ID: ${{ secrets."],
  ["gcp-auth.yml", "ci.short-lived-credentials", false, 22, "credentials_json:"],
  ["gcp-auth.yml", "ci.short-lived-credentials", false, 28, "ARM_CLIENT_SECRET: ${{ secrets."],
  ["literal-keys.yml", "ci.short-lived-credentials", false, 9, "aws-access-key-id: [secret masked"],
  ["literal-keys.yml", "secrets.in-code-or-image", true, 10, "aws-secret-access-key=[secret masked]"],
  ["deploy-oidc.yml", "deps.lockfiles", true, 19, "npm ci"],
  ["audit.yml", "deps.lockfiles", true, 11, "npm ci --ignore-scripts"],
  ["audit.yml", "deps.lockfiles", true, 20, "--require-hashes"],
  ["audit.yml", "deps.scanning", true, 13, "npm audit"],
  ["audit.yml", "deps.scanning", true, 15, "dependency-review-action"],
  ["audit.yml", "deps.scanning", true, 21, "pip-audit"],
  ["image-build.yml", "image.scanning", true, 22, "aquasecurity/trivy-action"],
  ["image-build.yml", "deps.scanning", true, 22, "aquasecurity/trivy-action"],
  ["nightly-rebuild.yml", "image.scanning", true, 12, "grype shop:nightly"],
  ["nightly-rebuild.yml", "image.scheduled-rebuild", true, 11, "docker build --pull"],
  ["nightly-scan.yml", "image.continuous-scanning", true, 9, "trivy image"],
  ["dependabot-npm.yml", "deps.auto-updates", true, 7, "package-ecosystem: npm"],
  ["renovate.json", "deps.auto-updates", true, 3, '"extends"'],
  ["locked/package-lock.json", "deps.lockfiles", true, 1, "package-lock.json: dependency versions pinned"],
  ["locked/go.sum", "deps.lockfiles", true, 1, "go.sum"],
  ["gitlab/.gitlab-ci.yml", "deps.scanning", true, 4, "Dependency-Scanning.gitlab-ci.yml"],
  // The hidden job's before_script runs in the job that extends it.
  ["gitlab/.gitlab-ci.yml", "deps.lockfiles", true, 12, "npm ci"],
  ["gitlab/.gitlab-ci.yml", "image.scanning", true, 34, "trivy image --exit-code 1"],
];

// [file under ci/, fact, value]: what each negative case must not show.
const NEGATIVE: [string, string, boolean][] = [
  ["role-without-id-token.yml", "ci.short-lived-credentials", true],
  ["deploy-keys.yml", "ci.short-lived-credentials", true],
  ["deploy-keys.yml", "deps.lockfiles", true],
  // Keys taken from the secret store are not secrets in the repository.
  ["deploy-keys.yml", "secrets.in-code-or-image", true],
  // `echo "npm audit …"` prints the words; shell parsing sees no audit run.
  ["deploy-keys.yml", "deps.scanning", true],
  ["echo-only.yml", "deps.scanning", true],
  ["echo-only.yml", "image.scanning", true],
  ["echo-only.yml", "deps.lockfiles", true],
  ["image-build.yml", "image.scheduled-rebuild", true],
  ["image-build.yml", "image.continuous-scanning", true],
  // A scheduled job that builds and scans its own image rescans nothing already deployed.
  ["nightly-rebuild.yml", "image.continuous-scanning", true],
  ["nightly-scan.yml", "image.scheduled-rebuild", true],
  ["dependabot-actions-only.yml", "deps.auto-updates", true],
  ["renovate-off.json", "deps.auto-updates", true],
  ["gitlab-unscanned.yml", "deps.scanning", true],
  ["gitlab-unscanned.yml", "deps.lockfiles", true],
];

describe("facts read from CI/CD configuration", () => {
  it.each(POSITIVE)("%s shows %s = %s at line %i", (file, fact, value, line, excerpt) => {
    const found = factsOf(file, fact).filter((f) => f.value === value && f.line === line);
    expect(found.length, JSON.stringify(factsOf(file, fact))).toBeGreaterThan(0);
    expect(found[0]?.excerpt).toContain(excerpt);
  });

  it.each(NEGATIVE)("%s does not show %s = %s", (file, fact, value) => {
    expect(scan.files.map((f) => f.file)).toContain(file);
    expect(factsOf(file, fact).filter((f) => f.value === value)).toEqual([]);
  });

  it("reads each file as the kind it is", () => {
    const kinds = Object.fromEntries(scan.files.map((f) => [f.file, f.kinds]));
    expect(kinds["deploy-oidc.yml"]).toEqual(["github-workflow"]);
    expect(kinds["dependabot-npm.yml"]).toEqual(["dependabot"]);
    expect(kinds["renovate.json"]).toEqual(["renovate"]);
    expect(kinds["gitlab/.gitlab-ci.yml"]).toEqual(["gitlab-ci"]);
    expect(kinds["gitlab-unscanned.yml"]).toEqual(["gitlab-ci"]);
    expect(kinds["repo-scanned/.github/dependabot.yml"]).toEqual(["dependabot"]);
  });

  it("names the file and line of a malformed workflow and still reads the others", () => {
    expect(scan.problems).toContainEqual({
      file: "broken-workflow.yml",
      line: 8,
      message: expect.stringContaining("same column"),
    });
    expect(scan.facts.some((f) => f.file === "audit.yml")).toBe(true);
  });

  it("counts a lock file by its presence, however large, without reading it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "threatbot-lock-"));
    try {
      writeFileSync(join(dir, "package-lock.json"), `{"packages": {"x": "${"y".repeat(2 * 1024 * 1024)}"}}`);
      const locked = await scanPaths([dir], { today: TODAY });
      expect(locked.refused).toEqual([]);
      expect(locked.facts).toEqual([
        expect.objectContaining({ fact: "deps.lockfiles", value: true, line: 1 }),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads only CI configuration in .github, not issue templates", () => {
    const files = scan.files.map((f) => f.file);
    expect(files).toContain("repo-unscanned/.github/workflows/release.yml");
    expect(files.some((f) => f.includes("ISSUE_TEMPLATE"))).toBe(false);
    expect(scan.problems.some((p) => p.file.includes("ISSUE_TEMPLATE"))).toBe(false);
  });
});

describe("what only a repository's complete set of workflows decides", () => {
  it("no workflow scanning dependencies or the images it builds makes both false, at the jobs line", async () => {
    const repo = await scanPaths([join(CI, "repo-unscanned")], { today: TODAY });
    const negatives = repo.facts.filter((f) => f.value === false);
    expect(negatives).toEqual([
      expect.objectContaining({
        fact: "deps.scanning",
        file: ".github/workflows/build.yml",
        line: 6,
        excerpt: "no step scans dependencies (2 pipeline files read)",
      }),
      expect.objectContaining({ fact: "image.scanning", line: 6 }),
    ]);
  });

  it.each([
    ["repo-scanned", "a workflow scans"],
    ["repo-jenkins", "another CI system's pipeline (a Jenkinsfile) sits beside the workflows"],
    ["repo-reusable", "a job calls a reusable workflow of another repository"],
  ])("%s: nothing negative when %s", async (dir) => {
    const repo = await scanPaths([join(CI, dir)], { today: TODAY });
    expect(repo.files.length).toBeGreaterThan(0);
    expect(repo.facts.filter((f) => f.value === false)).toEqual([]);
  });

  it("says nothing negative from workflows given one by one, or from the workflows folder alone", async () => {
    const workflows = join(CI, "repo-unscanned", ".github", "workflows");
    const single = await scanPaths([join(workflows, "build.yml")], { today: TODAY });
    const folder = await scanPaths([workflows], { today: TODAY });
    const uploaded = await scanFiles([
      { file: "build.yml", text: "on: push\njobs:\n  a:\n    runs-on: x\n" },
    ]);
    for (const s of [single, folder, uploaded]) {
      expect(s.files.length).toBe(1 + (s === folder ? 1 : 0));
      expect(s.facts.filter((f) => f.value === false)).toEqual([]);
    }
  });

  it("a broken workflow in the folder leaves the negatives open", async () => {
    const text = "on: push\njobs:\n  a:\n    runs-on: x\n     steps: [\n";
    const files = [
      { file: "repo/.github/workflows/a.yml", text, walk: { path: ".github/workflows/a.yml", unread: [] } },
      {
        file: "repo/.github/workflows/b.yml",
        text: "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: make\n",
        walk: { path: ".github/workflows/b.yml", unread: [] },
      },
    ];
    const broken = await scanFiles(files, { today: TODAY });
    expect(broken.problems).toHaveLength(1);
    expect(broken.facts.filter((f) => f.value === false)).toEqual([]);
    const whole = await scanFiles(files.slice(1), { today: TODAY });
    expect(whole.facts.map((f) => `${f.fact}=${f.value}`)).toEqual(["deps.scanning=false"]);
  });
});

/** A finished review from the files, answering the questions named and skipping the rest. */
async function review(paths: string[], workload: Workload, answers: Record<string, string | string[]> = {}) {
  const files = factsForReview(await scanPaths(paths, { today: TODAY }));
  let state: ReviewState = initialState(workload, files);
  for (let q = currentQuestion(kb, state); q; q = currentQuestion(kb, state)) {
    const raw = answers[q.id];
    const t = transition(kb, state, {
      type: "answer",
      questionId: q.id,
      value: raw === undefined ? { kind: "skip" } : toAnswerValue(raw),
      actor: "t",
      at: "2026-01-01T00:00:00Z",
    });
    if (!t.ok) throw new Error(t.message);
    state = t.state;
  }
  return deriveThreatModel(
    kb,
    {
      id: 1,
      uuid: "6f1c8a52-8b1e-4a51-9d55-3f0d1c2b7a10",
      name: "ci",
      workload,
      createdBy: "t",
      createdAt: "2026-01-01T00:00:00Z",
    },
    { ...state, finished: true },
    { version: 1, generatedAt: "2026-01-01T00:00:00Z" },
  );
}

const lines = (b: { source: { kind: string; file?: string; line?: number } }[] | undefined) =>
  (b ?? []).map((x) => (x.source.kind === "file" ? `${x.source.file}:${x.source.line}` : x.source.kind));

describe("threats that follow from CI files", () => {
  it("stored deploy keys confirm the long-lived CI key threat once the change path is a pipeline", async () => {
    const model = await review([join(CI, "deploy-keys.yml")], "serverless", {
      "common.change-path": "pipeline-reviewed",
    });
    const threat = model.threats.find((t) => t.ruleId === "cicd-hardening/long-lived-ci-keys");
    expect(threat?.evidence).toBe("confirmed");
    expect(lines(threat?.because).some((l) => l.endsWith("/ci/deploy-keys.yml:13"))).toBe(true);
  });

  it("an OIDC role with an ID token rules the threat out; the same role without one leaves it open", async () => {
    const rule = "cicd-hardening/long-lived-ci-keys";
    const answers = { "common.change-path": "pipeline-reviewed" };
    const open = await review([join(CI, "role-without-id-token.yml")], "serverless", answers);
    expect(open.threats.find((t) => t.ruleId === rule)?.evidence).toBe("unconfirmed");
    const model = await review([join(CI, "deploy-oidc.yml")], "serverless", answers);
    expect(model.threats.find((t) => t.ruleId === rule)).toBeUndefined();
  });

  it("a repository whose workflows build but never scan images confirms the unscanned-image threat", async () => {
    const model = await review([join(CI, "repo-unscanned")], "container", { "context.platform": "eks" });
    const threat = model.threats.find((t) => t.ruleId === "image-scanning/unscanned-image");
    expect(threat?.evidence).toBe("confirmed");
    expect(lines(threat?.because)).toContain(".github/workflows/build.yml:6");
  });

  it("a scheduled rescan of deployed images rules out the not-rescanned threat", async () => {
    const rule = "artifact-vulnerability-scanning/not-rescanned";
    const without = await review([join(CI, "image-build.yml")], "container", { "context.platform": "eks" });
    expect(without.threats.find((t) => t.ruleId === rule)?.evidence).toBe("unconfirmed");
    const model = await review([join(CI, "nightly-scan.yml")], "container", { "context.platform": "eks" });
    expect(model.threats.find((t) => t.ruleId === rule)).toBeUndefined();
  });

  it("Dependabot for the application's packages and a lock-file install rule out the dependency threats", async () => {
    const rules = [
      "third-party-dependencies/known-vulnerable-library",
      "supply-chain-attacks/unpinned-dependencies",
    ];
    const opts = { "context.platform": "lambda-zip" };
    const without = await review([join(CI, "gcp-auth.yml")], "serverless", opts);
    expect(rules.map((r) => without.threats.find((t) => t.ruleId === r)?.evidence)).toEqual([
      "unconfirmed",
      "unconfirmed",
    ]);
    const model = await review(
      [join(CI, "dependabot-npm.yml"), join(CI, "deploy-oidc.yml")],
      "serverless",
      opts,
    );
    expect(rules.map((r) => model.threats.find((t) => t.ruleId === r))).toEqual([undefined, undefined]);
  });
});

describe("a CI command line", () => {
  it("is read after a package runner, but a word every object has (constructor) is no runner", () => {
    expect(commandSignals("npx trivy fs .")).toEqual(commandSignals("trivy fs ."));
    expect(commandSignals("trivy fs .").scansDeps).toBe(true);
    expect(commandSignals("constructor trivy fs .")).toEqual({});
  });
});

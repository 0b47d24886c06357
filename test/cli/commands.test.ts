import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { ThreatModel } from "../../src/core/threats/model.js";
import { runCliInProcess as runCliProcess } from "../support/cli-in-process.js";
import { FIXTURE_KB, tempDir } from "../support/core.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const freshDb = () => ({ THREATBOT_DB: join(tmp.dir, `cli-${++n}.db`) });
const kb = loadKnowledgeBase();

describe("threatbot questions", () => {
  it("asks serverless and container teams different, relevant questions, with the values a file uses", async () => {
    const sls = await runCliProcess(["questions", "--workload", "serverless", "--json"]);
    const ctr = await runCliProcess(["questions", "--workload", "container", "--json"]);
    expect(sls.code).toBe(0);
    const ids = (r: { stdout: string }) => (JSON.parse(r.stdout) as { id: string }[]).map((q) => q.id);
    const slsIds = ids(sls);
    const ctrIds = ids(ctr);
    expect(slsIds).toEqual(
      expect.arrayContaining(["context.platform", "serverless.triggers", "serverless.limits"]),
    );
    expect(ctrIds).toEqual(
      expect.arrayContaining(["context.platform", "containers.runtime", "k8s.cluster", "nodes.setup"]),
    );
    expect(
      slsIds.filter((id) => id.startsWith("containers.") || id.startsWith("k8s.") || id.startsWith("nodes.")),
    ).toEqual([]);
    expect(ctrIds.filter((id) => id.startsWith("serverless."))).toEqual([]);

    // Multi-select questions list their option values too: an answers file needs them.
    const text = await runCliProcess(["questions", "--workload", "serverless"]);
    const callers = text.stdout.slice(
      text.stdout.indexOf("common.callers"),
      text.stdout.indexOf("common.api-controls"),
    );
    expect(callers).toContain("as a list in an answers file");
    expect(callers).toContain("    - api-keys: Static API keys or shared secrets");
    expect(callers).toContain("    - no-api: No endpoints: it only consumes queues, schedules or files");
    expect(callers).not.toContain("(free text)");
  });

  it("refuses an unknown workload with exit code 2 and says what is allowed", async () => {
    const r = await runCliProcess(["questions", "--workload", "mainframe"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("use vm, container, serverless or undecided");
  });
});

describe("threatbot review --answers", () => {
  it("produces a markdown model in which every threat cites its rule, from lists, labels and typed numbers", async () => {
    const env = freshDb();
    const file = join(tmp.dir, "answers.yaml");
    writeFileSync(
      file,
      [
        "context.description: Order intake API behind API Gateway",
        "context.platform: lambda-zip",
        "context.internet-facing: 'yes'",
        "context.data-sensitivity: confidential",
        "common.callers: [Static API keys or shared secrets]",
        "common.permissions: '2,4'",
        "common.secrets: [env]",
      ].join("\n"),
    );
    const r = await runCliProcess(
      ["review", "--workload", "serverless", "--name", "orders-api", "--answers", file],
      { env },
    );
    expect(r.stderr).toContain("Saved review #1, threat model version 1.");
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\| T-\d{3} \|/.test(l));
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      const cited = /`([a-z0-9.-]+\/[a-z0-9-]+)` \(([a-z0-9-, ]+)\) \|$/.exec(row);
      expect(cited, row).not.toBeNull();
      expect(kb.rule(cited?.[1] ?? "")?.entry.deploymentModels, row).toContain("serverless");
    }
    expect(r.stdout).toMatch(
      /\| T-\d{3} \| .*\| open \| secrets\.env-plaintext = yes \(common\.secrets: "Plain environment variables/,
    );

    const json = await runCliProcess(["export", "1", "--format", "json"], { env });
    const model = ThreatModel.parse(JSON.parse(json.stdout));
    expect(model.review).toMatchObject({ name: "orders-api", workload: "serverless", status: "finished" });
    expect(model.review.platforms).toEqual(["lambda-zip"]);
    const plain = model.threats.find((t) => t.ruleId === "secrets-management/secrets-in-plain-config");
    expect(plain).toMatchObject({ evidence: "confirmed", status: "open" });
    expect(plain?.because[0]?.source).toMatchObject({ kind: "answer", questionId: "common.secrets" });
    // "2,4" chose resource and service wildcards; the labels list chose static API keys.
    const wildcard = model.threats.find(
      (t) => t.ruleId === "excessive-function-permissions/action-wildcard-role",
    );
    expect(wildcard?.evidence).toBe("confirmed");
    expect(model.answers.find((a) => a.questionId === "common.callers")?.answer).toBe(
      "Static API keys or shared secrets",
    );
    for (const t of model.threats.filter((x) => x.evidence === "confirmed"))
      expect(t.because.length, t.ruleId).toBeGreaterThan(0);

    const tc = await runCliProcess(["export", "1", "--format", "tc"], { env });
    const workspace = JSON.parse(tc.stdout) as { schema: number; threats: unknown[] };
    expect(workspace.schema).toBe(1);
    expect(workspace.threats).toHaveLength(model.threats.length);

    const out = join(tmp.dir, "model.md");
    const md = await runCliProcess(["export", "1", "--format", "md", "--out", out], { env });
    expect(md.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(r.stdout);

    const list = await runCliProcess(["list"], { env });
    expect(list.stdout).toMatch(/^#1 {2}orders-api {2}serverless {2}finished/m);
  }, 60_000); // five CLI processes, each loading the knowledge base

  it.each([
    ["a broken answers file", "vm", "context.internet-facing: [unclosed", /not valid YAML/],
    [
      "an unknown question id",
      "vm",
      "context.nope: 'yes'",
      /Unknown question ids: context\.nope\. A vm review accepts: context\.description, context\.platform, context\.internet-facing, .*vm\.patching/,
    ],
    [
      "a question id of another workload",
      "vm",
      "serverless.triggers: [http]",
      /Not asked in a vm review: serverless\.triggers \(serverless\)\. A vm review accepts: .*common\.callers/,
    ],
    [
      "a question id not asked on the chosen platform",
      "container",
      "context.platform: ecs-fargate\nnodes.setup: [patched]",
      /Not asked for this review's answers \(platform or earlier answers rule them out\): nodes\.setup\..*Asked here: .*containers\.runtime/,
    ],
    [
      "an invalid option",
      "vm",
      "context.internet-facing: sometimes",
      /"sometimes" is not one of the options of context\.internet-facing\. Reply with one of: 1\. no \(No, only internal callers\); 2\. yes \(Yes\); or unsure, skip/,
    ],
    [
      "an invalid value in a list",
      "vm",
      "common.permissions: [shared-role, root]",
      /"root" is not an option of common\.permissions\. Choose any of: 1\. shared-role .*; 6\. none/,
    ],
    [
      "an exclusive option combined with others",
      "vm",
      "common.secrets: [none, env]",
      /cannot be combined with other options of common\.secrets/,
    ],
    [
      "a list where one answer belongs",
      "vm",
      "context.internet-facing: [1, 2]",
      /context\.internet-facing takes one answer, not a list/,
    ],
  ])("rejects %s with exit code 2 and saves nothing", async (_, workload, content, message) => {
    const env = freshDb();
    const file = join(tmp.dir, `bad-${n}.yaml`);
    writeFileSync(file, content);
    const r = await runCliProcess(["review", "--workload", workload, "--name", "x", "--answers", file], {
      env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    const list = await runCliProcess(["list", "--json"], { env });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("says which file it cannot read", async () => {
    const r = await runCliProcess(
      ["review", "--workload", "vm", "--name", "x", "--answers", "/nonexistent.yaml"],
      {
        env: freshDb(),
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Cannot read the answers file /nonexistent.yaml: ENOENT");
  });
});

describe("show and export", () => {
  it("refuses a review that does not exist with exit code 2", async () => {
    const r = await runCliProcess(["show", "42"], { env: freshDb() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No review #42 here");
  });
});

describe("threatbot kb", () => {
  it("validates the shipped knowledge base", async () => {
    const r = await runCliProcess(["kb", "check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Knowledge base OK: \d+ entries/);
  });

  it("reports a broken knowledge folder by file and field, with exit code 1", async () => {
    const dir = join(tmp.dir, "kb-broken");
    const { cpSync } = await import("node:fs");
    cpSync(FIXTURE_KB, dir, { recursive: true });
    writeFileSync(join(dir, "entries", "fn-perms.yaml"), "id: fn-perms\ntitle: x\n");
    const r = await runCliProcess(["kb", "check"], { env: { THREATBOT_KNOWLEDGE: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("fn-perms.yaml: deploymentModels:");
  });

  it("finds the entry about wildcard function roles", async () => {
    const r = await runCliProcess([
      "kb",
      "search",
      "lambda",
      "role",
      "wildcards",
      "--workload",
      "serverless",
      "--json",
    ]);
    const hits = JSON.parse(r.stdout) as { id: string; deploymentModels: string[] }[];
    expect(hits[0]?.id).toBe("excessive-function-permissions");
    expect(hits.every((h) => h.deploymentModels.includes("serverless"))).toBe(true);
  });
});

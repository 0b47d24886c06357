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
  it("asks serverless and container teams different, relevant questions", async () => {
    const sls = await runCliProcess(["questions", "--workload", "serverless", "--json"]);
    const ctr = await runCliProcess(["questions", "--workload", "container", "--json"]);
    expect(sls.code).toBe(0);
    const ids = (r: { stdout: string }) => (JSON.parse(r.stdout) as { id: string }[]).map((q) => q.id);
    const slsIds = ids(sls);
    const ctrIds = ids(ctr);
    expect(slsIds.filter((id) => id.startsWith("serverless.")).length).toBeGreaterThanOrEqual(8);
    expect(ctrIds.filter((id) => id.startsWith("container.")).length).toBeGreaterThanOrEqual(8);
    expect(slsIds.some((id) => id.startsWith("container."))).toBe(false);
    expect(ctrIds.some((id) => id.startsWith("serverless."))).toBe(false);
    expect(ctrIds).toContain("container.orchestrator");
  });

  it("refuses an unknown workload with exit code 2 and says what is allowed", async () => {
    const r = await runCliProcess(["questions", "--workload", "mainframe"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("use vm, container, serverless or undecided");
  });
});

describe("threatbot review --answers", () => {
  it("produces a markdown model in which every threat cites a knowledge entry", async () => {
    const env = freshDb();
    const file = join(tmp.dir, "answers.yaml");
    writeFileSync(
      file,
      [
        "context.description: Order intake API behind API Gateway",
        "context.internet-facing: 'yes'",
        "context.data-sensitivity: confidential",
        "common.secrets-storage: env-or-config",
      ].join("\n"),
    );
    const r = await runCliProcess(
      ["review", "--workload", "serverless", "--name", "orders-api", "--answers", file],
      { env },
    );
    expect(r.stderr).toContain("Saved review #1, threat model version 1.");
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\| T-\d{3} \|/.test(l));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const cited = /`([a-z0-9.-]+)` \(([a-z0-9-, ]+)\) \|$/.exec(row);
      expect(cited, row).not.toBeNull();
      expect(kb.entry(cited?.[1] ?? "")?.deploymentModels).toContain("serverless");
    }
    expect(r.stdout).toMatch(/\| T-\d{3} \| .*secrets-management/);

    const json = await runCliProcess(["export", "1", "--format", "json"], { env });
    const model = ThreatModel.parse(JSON.parse(json.stdout));
    expect(model.review).toMatchObject({ name: "orders-api", workload: "serverless", status: "finished" });
    expect(model.threats.find((t) => t.knowledgeId === "secrets-management")?.status).toBe("open");

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
  });

  it.each([
    ["a broken answers file", "context.internet-facing: [unclosed", /not valid YAML/],
    ["an unknown question id", "context.nope: 'yes'", /Unknown question ids in the answers: context.nope/],
    ["an invalid option", "context.internet-facing: sometimes", /"sometimes" is not one of the options/],
    ["a list where an answer belongs", "context.internet-facing: [1, 2]", /must map question ids to answers/],
  ])("rejects %s with exit code 2 and saves nothing", async (_, content, message) => {
    const env = freshDb();
    const file = join(tmp.dir, `bad-${n}.yaml`);
    writeFileSync(file, content);
    const r = await runCliProcess(["review", "--workload", "vm", "--name", "x", "--answers", file], { env });
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

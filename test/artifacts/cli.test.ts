import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { dump } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadStory } from "../../bench/stories.js";
import { ScanReport } from "../../src/artifacts/scan-output.js";
import { runCliProcess } from "../support/cli-process.js";
import { tempDir } from "../support/core.js";
import { ARTIFACTS } from "./support.js";

// Both packages are CommonJS; require gives their classes without ESM default-import guesswork.
const require = createRequire(import.meta.url);
const Ajv = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const freshDb = () => ({ THREATBOT_DB: join(tmp.dir, `scan-${++n}.db`) });
const LAMBDA = join(ARTIFACTS, "stories", "order-processor-lambda");
const SARIF_SCHEMA = join(ARTIFACTS, "..", "sarif", "sarif-2.1.0-rtm.5.json");

describe("threatbot scan", () => {
  it("prints the facts with their lines and the confirmed threats in the export's shape", {
    timeout: 60_000,
  }, async () => {
    const r = await runCliProcess(["scan", LAMBDA, "--format", "json"], { env: freshDb() });
    const report = ScanReport.parse(JSON.parse(r.stdout));
    expect(report.workload).toBe("serverless");
    expect(report.platform).toBe("lambda-zip");
    expect(report.facts).toContainEqual(
      expect.objectContaining({
        fact: "fn.runtime-deprecated",
        value: true,
        file: "serverless.yml",
        line: 4,
      }),
    );
    const secret = report.facts.find((f) => f.fact === "secrets.env-plaintext");
    expect(secret?.excerpt).toBe("SHIPCO_API_KEY=[secret masked]");
    expect(r.stdout).not.toContain("shipco_live_9f8e7d6c5b4a39281706");
    const plain = report.threats.find((t) => t.ruleId === "secrets-management/secrets-in-plain-config");
    expect(plain?.evidence).toBe("confirmed");
    expect(plain?.because).toContainEqual(
      expect.objectContaining({
        source: expect.objectContaining({ kind: "file", file: "serverless.yml", line: 14 }),
      }),
    );
    // Without a baseline every confirmed Critical or High threat is new: the gate fails.
    expect(report.newHighThreats.length).toBeGreaterThan(0);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("new against the baseline");
  });

  it("writes SARIF 2.1.0 that the official schema accepts, with threat rule ids and file lines", {
    timeout: 60_000,
  }, async () => {
    const r = await runCliProcess(["scan", LAMBDA, "--format", "sarif"], { env: freshDb() });
    const log = JSON.parse(r.stdout);
    // The official schema's language-tag pattern is not valid with JavaScript's unicode flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, "utf8")));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const json = ScanReport.parse(
      JSON.parse((await runCliProcess(["scan", LAMBDA, "--format", "json"], { env: freshDb() })).stdout),
    );
    const rules = log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id).sort();
    expect(rules).toEqual([...new Set(json.threats.map((t) => t.ruleId))].sort());
    const result = log.runs[0].results.find(
      (x: { ruleId: string }) => x.ruleId === "host-environment-management/deprecated-runtime",
    );
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "serverless.yml" },
      region: { startLine: 4 },
    });
  });

  it("passes against a baseline review that already has the same threats, and fails against one without", {
    timeout: 90_000,
  }, async () => {
    const env = freshDb();
    const story = loadStory("order-processor-lambda");
    const answers = join(tmp.dir, "answers.yaml");
    writeFileSync(answers, dump({ "context.data-sensitivity": story.answers["context.data-sensitivity"] }));
    const base = await runCliProcess(
      ["review", "--workload", "serverless", "--name", "Orders", "--answers", answers, "--from", LAMBDA],
      { env },
    );
    expect(base.code, base.stderr).toBe(0);
    const id = /Saved review #(\d+)/.exec(base.stderr)?.[1] ?? "";
    const same = await runCliProcess(["scan", LAMBDA, "--baseline", id], { env });
    expect(same.code, same.stderr).toBe(0);

    writeFileSync(answers, dump({ "context.platform": "lambda-zip" }));
    const empty = await runCliProcess(
      ["review", "--workload", "serverless", "--name", "Empty", "--answers", answers],
      {
        env,
      },
    );
    const emptyId = /Saved review #(\d+)/.exec(empty.stderr)?.[1] ?? "";
    const worse = await runCliProcess(["scan", LAMBDA, "--baseline", emptyId], { env });
    expect(worse.code).toBe(3);
    expect(worse.stderr).toContain("secrets-management/secrets-in-plain-config");
  });

  it("asks for a workload when the files show several kinds", { timeout: 60_000 }, async () => {
    const r = await runCliProcess(
      [
        "scan",
        join(ARTIFACTS, "lambda", "sam-open-url.yaml"),
        join(ARTIFACTS, "infra", "instance-imdsv1.tf"),
      ],
      { env: freshDb() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("give --workload");
  });
});

describe("threatbot review --from", () => {
  it("skips what the files settle, shows file lines as the why, and names answers the files contradict", {
    timeout: 60_000,
  }, async () => {
    const env = freshDb();
    const answers = join(tmp.dir, "conflict.yaml");
    writeFileSync(answers, dump({ "context.data-sensitivity": "confidential", "serverless.runtimes": "no" }));
    const r = await runCliProcess(["review", "--name", "Orders", "--answers", answers, "--from", LAMBDA], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "serverless.runtimes: the answer says fn.runtime-deprecated = no, but serverless.yml:4",
    );
    expect(r.stdout).toMatch(/serverless\.yml:14 SHIPCO\\?_API\\?_KEY=/);
    expect(r.stdout).not.toContain("shipco_live");
  });

  it("in the terminal, starts from the files and asks fewer questions", { timeout: 60_000 }, async () => {
    const total = (out: string) => Number(/Question 1 of (\d+)/.exec(out)?.[1]);
    const withFiles = await runCliProcess(["review", "--name", "Orders", "--from", LAMBDA], {
      input: "q\n",
      env: freshDb(),
    });
    const without = await runCliProcess(["review", "--name", "Orders", "--workload", "serverless"], {
      input: "q\n",
      env: freshDb(),
    });
    expect(withFiles.stderr).toContain("Platform from the files: the files show lambda-zip");
    expect(withFiles.stderr).toMatch(/The files answer \d+ question\(s\): context\.platform, /);
    expect(total(withFiles.stdout)).toBeLessThan(total(without.stdout));
  });
});

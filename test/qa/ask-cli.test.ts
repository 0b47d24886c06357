import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliProcess } from "../support/cli-process.js";
import { tempDir } from "../support/core.js";
import { type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.js";

const IMPORT_LOG = fileURLToPath(new URL("./langchain-import-log.mjs", import.meta.url));
const tmp = tempDir();
let server: FakeOpenAi;
beforeAll(async () => {
  server = await startFakeOpenAi();
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

interface JsonAnswer {
  answer: string;
  workload: string;
  grounded: boolean;
  generatedBy: string;
  citations: {
    entryId: string;
    title: string;
    sources: { title: string }[];
    frameworks: { version: string }[];
  }[];
}

describe("threatbot ask", () => {
  it("answers a Lambda question for serverless with citations as JSON", async () => {
    const r = await runCliProcess(["ask", "Do we need a VPC for an API Gateway + Lambda API?", "--json"]);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as JsonAnswer;
    expect(a).toMatchObject({ workload: "serverless", grounded: true, generatedBy: "knowledge-base" });
    expect(a.answer.length).toBeGreaterThan(20);
    expect(a.citations.map((c) => c.entryId)).toContain("network-misconfiguration");
    for (const c of a.citations) {
      expect(c.sources.length + c.frameworks.length).toBeGreaterThan(0);
      expect(c.frameworks.every((f) => f.version.length > 0)).toBe(true);
    }
  });

  it("takes an unquoted question and says it does not know an off-topic one", async () => {
    const r = await runCliProcess(["ask", "what's", "the", "best", "pizza", "in", "Rome?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^I don't know\./);
    expect(r.stdout).toContain("threatbot review");
  });

  it("answers for the workload given with --workload", async () => {
    const r = await runCliProcess([
      "ask",
      "who patches the operating system?",
      "--workload",
      "serverless",
      "--json",
    ]);
    const a = JSON.parse(r.stdout) as JsonAnswer;
    expect(a.workload).toBe("serverless");
    expect(a.citations.length).toBeGreaterThan(0);
  });

  it("treats a bad workload, an empty question or a bad model setting as bad input (exit 2)", async () => {
    const bad = await runCliProcess(["ask", "is root ok?", "--workload", "mainframe"]);
    expect(bad.code).toBe(2);
    const empty = await runCliProcess(["ask", "   "]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("Ask a question");
    const model = await runCliProcess(["ask", "is root ok?"], { env: { THREATBOT_MODEL: "gpt4" } });
    expect(model.code).toBe(2);
    expect(model.stderr).toContain("THREATBOT_MODEL");
  });

  it("writes the answer with the configured model through an OpenAI-compatible server", async () => {
    server.reply({
      content: JSON.stringify({
        answer: "Run as a non-root user and enforce it with runAsNonRoot.",
        citedEntryIds: ["container-non-root"],
      }),
    });
    const r = await runCliProcess(["ask", "Is it OK to run our containers as root on EKS?", "--json"], {
      env: {
        THREATBOT_MODEL: "openai:gpt-4.1-mini",
        THREATBOT_LLM_BASE_URL: server.baseUrl,
        THREATBOT_LLM_API_KEY: "sk-test-cli-0123456789",
      },
    });
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as JsonAnswer;
    expect(a).toMatchObject({
      generatedBy: "llm",
      answer: "Run as a non-root user and enforce it with runAsNonRoot.",
    });
    expect(a.citations.map((c) => c.entryId)).toEqual(["container-non-root"]);
  });

  // Three CLI processes start one after another; a busy machine needs more than the default timeout.
  it("loads no langchain code for a review, nor for ask without a model", async () => {
    const env = { NODE_OPTIONS: `--import ${IMPORT_LOG}`, THREATBOT_DB: join(tmp.dir, "cold.db") };
    const review = await runCliProcess(["review"], { env });
    expect(review.stdout).toContain("What kind of workload");
    expect(review.stderr).not.toContain("langchain module loaded");
    const ask = await runCliProcess(["ask", "is root ok in containers?"], { env });
    expect(ask.code).toBe(0);
    expect(ask.stderr).not.toContain("langchain module loaded");
    // The log itself works: a configured model does load langchain.
    server.reply({ status: 500, body: "{}" });
    const withModel = await runCliProcess(["ask", "is root ok in containers?"], {
      env: {
        ...env,
        THREATBOT_MODEL: "openai:gpt-4.1-mini",
        THREATBOT_LLM_BASE_URL: server.baseUrl,
        THREATBOT_LLM_API_KEY: "sk-test-cli-0123456789",
      },
    });
    expect(withModel.code).toBe(0);
    expect(withModel.stderr).toContain("langchain module loaded");
    expect(withModel.stderr).toContain("the LLM's reply was not used (error");
    // Three process start-ups: on a busy machine they take most of the default 20 s.
  }, 60_000);
});

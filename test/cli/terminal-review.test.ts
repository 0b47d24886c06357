import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliProcess } from "../support/cli-process.js";
import { FIXTURE_KB, tempDir } from "../support/core.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("terminal review", () => {
  it("walks through choosing, going back, skipping, unsure, why and finishing", async () => {
    const env = { THREATBOT_DB: join(tmp.dir, "t.db"), THREATBOT_KNOWLEDGE: FIXTURE_KB };
    const input = [
      "3", // serverless
      "payments",
      "1", // internet-facing: yes
      "b", // back to the first question
      "2", // internet-facing: no
      "7", // not an option
      "4", // restricted
      ":why", // why (free-text questions take commands with a colon)
      ":skip", // description
      "u", // role: unsure
      "y", // finish
    ].join("\n");
    const r = await runCliProcess(["review"], { env, input: `${input}\n` });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain("Started review #1.");
    expect(out).toContain("Question 1 of 4 · context");
    expect(out).toContain("Question 4 of 4 · identity");
    expect(out).toContain(
      '"7" is not one of the options. Reply with: 1. Public; 2. Internal; 3. Confidential; 4. Restricted.',
    );
    expect(out).toContain("Why: Scope of the model.");
    expect(out).toContain("# Threat model: payments");
    expect(out).toMatch(/\| Can anyone on the internet reach this workload\? \| No \| tester \|/);
    expect(out).toContain(
      "- [ ] Do function roles use wildcard actions? (`serverless.role`, unsure; affects `fn-perms`)",
    );
    expect(out).toContain("Saved review #1, threat model version 1.");
  });

  it("stops on q and tells how to resume", async () => {
    const env = { THREATBOT_DB: join(tmp.dir, "stop.db"), THREATBOT_KNOWLEDGE: FIXTURE_KB };
    const r = await runCliProcess(["review", "--workload", "vm", "--name", "web"], { env, input: "1\nq\n" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Saved: 1 answers so far. Resume with: threatbot review --resume 1");
  });

  it("stops on q even at a free-text question, without taking q as the answer", async () => {
    const env = { THREATBOT_DB: join(tmp.dir, "stop-text.db"), THREATBOT_KNOWLEDGE: FIXTURE_KB };
    const r = await runCliProcess(["review", "--workload", "vm", "--name", "web"], {
      env,
      input: "1\n2\nq\n",
    });
    expect(r.stdout).toContain("Saved: 2 answers so far.");
    const shown = await runCliProcess(["show", "1"], { env });
    expect(shown.stdout).not.toMatch(/\| What does the system do\? \| q \|/);
  });

  it("finishes early on f, after confirming, leaving the rest as open questions", async () => {
    const env = { THREATBOT_DB: join(tmp.dir, "early.db"), THREATBOT_KNOWLEDGE: FIXTURE_KB };
    const r = await runCliProcess(["review", "--workload", "container", "--name", "api"], {
      env,
      input: "1\nf\ny\n",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Finish now? The 3 unanswered questions become open questions. [y/N]");
    expect(r.stdout).toContain(
      "- [ ] Which orchestrator runs the containers? (`container.orchestrator`, unanswered",
    );
    expect(r.stdout).toContain("Saved review #1, threat model version 1.");
  });
});

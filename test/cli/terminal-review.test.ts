import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ThreatModel } from "../../src/core/threats/model.js";
import { runCliInProcess as runCliProcess } from "../support/cli-in-process.js";
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
      '"7" is not one of the options of context.data-sensitivity. Reply with one of: 1. public (Public); 2. internal (Internal); 3. confidential (Confidential); 4. restricted (Restricted); or unsure, skip.',
    );
    expect(out).toContain("Why: Scope of the model.");
    expect(out).toContain("# Threat model: payments");
    expect(out).toMatch(/\| Can anyone on the internet reach this workload\? \| No \| tester \|/);
    // Unsure leaves the role threat unconfirmed: listed under its question, not counted as a finding.
    expect(out).toMatch(
      /- \[ \] Do function roles use wildcard actions\? \(`serverless\.role`, unsure\)\n {2}- T-001 \(Medium if confirmed, `fn-perms\/wildcard-role`\): An attacker who runs code in a function /,
    );
    expect(out).toContain("0 confirmed threats (0 open, 0 mitigated), from 4 questions asked.");
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
    // Until the orchestrator is known, the Kubernetes question is still to come: four are left.
    expect(r.stdout).toContain("Finish now? The 4 unanswered questions become open questions. [y/N]");
    expect(r.stdout).toContain("Review #1 · Container · platform not confirmed: Kubernetes, ECS");
    expect(r.stdout).toContain(
      "- [ ] Which orchestrator runs the containers? (`container.orchestrator`, unanswered)",
    );
    expect(r.stdout).toMatch(
      /- \[ \] Do namespaces have default-deny NetworkPolicies\? \(`container\.netpol`, unanswered\)\n {2}- T-001 /,
    );
    expect(r.stdout).toContain("Saved review #1, threat model version 1.");
  });

  it("takes several options of a multi-select as comma-separated numbers, and refuses none with others", async () => {
    const env = { THREATBOT_DB: join(tmp.dir, "multi.db") };
    const input = [
      "Takes card orders", // description
      "2", // platform: functions as zip archives (the second of the two serverless platforms shown)
      "2", // internet-facing: yes
      "2", // restricted data
      "1,6", // callers: static keys with "no endpoints" is refused
      "1, 5", // callers: static keys and unauthenticated endpoints
      "q",
    ].join("\n");
    const r = await runCliProcess(["review", "--workload", "serverless", "--name", "cards"], {
      env,
      input: `${input}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("cannot be combined with other options of common.callers.");
    expect(r.stdout).toContain("Saved: 5 answers so far.");
    const json = await runCliProcess(["export", "1", "--format", "json"], { env });
    const model = JSON.parse(json.stdout) as ThreatModel;
    expect(model.review.platforms).toEqual(["lambda-zip"]);
    expect(model.answers.find((a) => a.questionId === "common.callers")?.answer).toBe(
      "Static API keys or shared secrets; Some endpoints or URLs need no authentication",
    );
    expect(model.threats.find((t) => t.ruleId === "api-security/unauthenticated-endpoint")?.evidence).toBe(
      "confirmed",
    );
  });
});

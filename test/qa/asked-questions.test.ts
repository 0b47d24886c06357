import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KnowledgeError } from "../../src/core/errors.js";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { AskedQuestion } from "../../src/core/knowledge/schema.js";
import { KnowledgeIndex } from "../../src/core/knowledge/search.js";
import { QaService } from "../../src/qa/service.js";
import { FIXTURE_KB, tempDir } from "../support/core.js";

const kb = loadKnowledgeBase();
const ask = (asked: AskedQuestion[], question: string) =>
  new QaService({ kb, index: new KnowledgeIndex(kb.entries, { asked }) }).answerQuestion(question);
const cited = async (asked: AskedQuestion[], question: string) =>
  (await ask(asked, question)).citations.map((c) => c.entryId);

describe("learning from questions teams asked", () => {
  it("leads with the entry that answered a past question asked in the same words", async () => {
    const question = "how many old image versions should we keep in ecr?";
    const past: AskedQuestion = {
      question: "old image versions pile up in the registry and nobody cleans them",
      workload: "container",
      expect: ["container-sprawl"],
    };
    expect((await cited([], question))[0]).not.toBe("container-sprawl");
    expect((await cited([past], question))[0]).toBe("container-sprawl");
  });

  it("ranks the same whether a question's words are new to the index or remembered from earlier questions", () => {
    const questions = kb.asked.questions.slice(0, 40).map((x) => x.question);
    const warm = new KnowledgeIndex(kb.entries, { asked: kb.asked.questions });
    for (const q of [...questions].reverse()) warm.search(q);
    for (const q of questions) {
      const fresh = new KnowledgeIndex(kb.entries, { asked: kb.asked.questions }).search(q);
      const remembered = warm.search(q);
      expect(
        remembered.map((h) => [h.entry.id, h.score.toFixed(9), h.ownScore.toFixed(9)]),
        q,
      ).toEqual(fresh.map((h) => [h.entry.id, h.score.toFixed(9), h.ownScore.toFixed(9)]));
      for (const h of fresh) expect(h.ownScore).toBeLessThanOrEqual(h.score + 1e-9);
    }
  });

  it("does not answer from words only past questions used: the entries' own text must hold the topic", async () => {
    const past: AskedQuestion = {
      question: "who feeds the office goldfish on fridays",
      workload: "undecided",
      expect: ["incident-response"],
    };
    const index = new KnowledgeIndex(kb.entries, { asked: [past] });
    const [hit] = index.search("office goldfish");
    expect(hit?.entry.id).toBe("incident-response");
    expect(hit?.ownScore).toBe(0);
    const answer = await ask([past], "who feeds the office goldfish?");
    expect(answer.citations).toEqual([]);
    expect(answer.answer).toMatch(/^I don't know/);
  });

  it("counts words people used in answered questions as words of the base when judging a question on topic", async () => {
    const question = "is the outdated runc on our eks nodes only tech debt per the pmo?";
    const past = (q: string): AskedQuestion => ({
      question: q,
      workload: "container",
      expect: ["container-runtime-vulnerabilities"],
    });
    const asked = [
      past("the pmo keeps calling the old eks version tech debt, is it a security problem?"),
      past("runc on the nodes is months old and the pmo files it under tech debt, fine?"),
      past("containerd two majors behind; the pmo says tech debt, not a vuln. agree?"),
      past("tech debt per the pmo: kubelet and runc never upgraded on our k8s nodes"),
      past("the pmo parks the node runtime upgrade as tech debt every sprint, ok for security?"),
    ];
    expect((await ask([], question)).answer).toMatch(/^I don't know/);
    // An aside or two is not yet the base's vocabulary; words people keep using are.
    expect((await ask(asked.slice(0, 2), question)).answer).toMatch(/^I don't know/);
    expect(await cited(asked, question)).toEqual(["container-runtime-vulnerabilities"]);
  });

  it("rejects an asked question naming an entry the base does not have, saying which", () => {
    const { dir, cleanup } = tempDir();
    try {
      cpSync(FIXTURE_KB, dir, { recursive: true });
      writeFileSync(
        join(dir, "asked.yaml"),
        "questions:\n  - question: who may change the function's code?\n    workload: serverless\n    expect: [no-such-entry]\n",
      );
      expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeError);
      expect(() => loadKnowledgeBase(dir)).toThrow(
        /asked\.yaml: "who may change the function's code\?" expects unknown entry no-such-entry/,
      );
    } finally {
      cleanup();
    }
  });
});

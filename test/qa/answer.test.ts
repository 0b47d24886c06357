import { afterAll, describe, expect, it } from "vitest";
import { InputError, NotFoundError } from "../../src/core/errors.js";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { formatAnswerMarkdown } from "../../src/qa/format.js";
import { Answer, AnswerJson } from "../../src/qa/schema.js";
import { MAX_QUESTION, QaService } from "../../src/qa/service.js";
import { tempBot } from "../support/core.js";

const kb = loadKnowledgeBase();
const qa = new QaService({ kb });
const bot = tempBot();
afterAll(() => bot.cleanup());

const entryText = (id: string) => {
  const e = kb.entry(id);
  return e ? [e.summary, ...Object.values(e.responsibility).map((r) => r?.note ?? "")].join(" ") : "";
};

describe("a grounded answer without an LLM", () => {
  it("answers a Lambda question for serverless, from the cited entries' own words, with sources and framework versions", async () => {
    const a = await qa.answerQuestion("Do we need a VPC for an API Gateway + Lambda API?");
    expect(Answer.parse(a)).toEqual(a);
    expect(a).toMatchObject({ workload: "serverless", workloadFrom: "question", grounded: true });
    expect(a.generatedBy).toBe("knowledge-base");
    expect(a.citations.map((c) => c.entryId)).toContain("network-misconfiguration");
    // Every sentence of the short answer is a sentence of a cited entry: nothing is invented.
    const cited = a.citations.map((c) => entryText(c.entryId)).join(" ");
    for (const sentence of a.answer.split(/(?<=\.)\s+/)) expect(cited).toContain(sentence);
    const net = a.citations.find((c) => c.entryId === "network-misconfiguration");
    expect(net?.sources[0]?.title).toBeTruthy();
    expect(net?.frameworks.every((f) => (f.version ?? "").length > 0)).toBe(true);
    const point = a.points.find((p) => p.entryId === "network-misconfiguration");
    expect(point?.owners).toEqual([expect.objectContaining({ model: "serverless", owner: "shared" })]);
    expect(point?.actions.join(" ")).toContain("Attach functions to a VPC only when");
  });

  it("never quotes a sentence that refers back ('Everything inside it…') without the sentence it refers to", async () => {
    const refersBack =
      /^(?:It|Its|This|That|These|Those|They|Their|Such|Both|Neither|The same|Everything inside it)\b/;
    // Every tenth question of the log: a few hundred answers across the whole base.
    const questions = kb.asked.questions.filter((_, i) => i % 10 === 0).map((q) => q.question);
    for (const q of questions) {
      const a = await qa.answerQuestion(q);
      if (!a.grounded || a.citations.length === 0) continue;
      // "Which threat is this?" is answered "That falls under…", about the question itself.
      if (a.intent !== "which-threat") expect(a.answer, q).not.toMatch(refersBack);
      for (const p of a.points) expect(p.why, q).not.toMatch(refersBack);
    }
  });

  it("gives the same answer every time", async () => {
    const q = "Should our Lambda execution role use wildcards?";
    expect(await qa.answerQuestion(q)).toEqual(await qa.answerQuestion(q));
  });

  it("answers for the workload the caller sets, and says so when the question names another", async () => {
    const a = await qa.answerQuestion("Should our Lambda functions share one IAM role?", {
      workload: "container",
    });
    expect(a.workload).toBe("container");
    expect(a.workloadFrom).toBe("caller");
    for (const c of a.citations) expect(kb.entry(c.entryId)?.deploymentModels).toContain("container");
    expect(a.notes.join(" ")).toMatch(/mentions serverless.*container workload/);
  });

  it("narrows an undecided workload to the model the question names", async () => {
    const a = await qa.answerQuestion("Can we run Falco on Lambda?", { workload: "undecided" });
    expect(a.workload).toBe("serverless");
  });

  it("masks a secret pasted into the question and tells the asker to rotate it", async () => {
    const key = ["AKIA", "QWERTYUIOPASDFGH"].join("");
    const a = await qa.answerQuestion(`Is it ok that our Lambda has ${key} in an environment variable?`);
    expect(a.notes[0]).toMatch(/looks like a secret.*rotate it/);
    expect(JSON.stringify(a)).not.toContain(key);
    expect(a.citations.map((c) => c.entryId)).toContain("secrets-management");
  });

  it("is not thrown off by a chat mention or a resource id in the question", async () => {
    const a = await qa.answerQuestion("<@U0123ABC> is root ok in the orders-v2 containers?");
    expect(a.grounded).toBe(true);
    expect(a.citations[0]?.entryId).toBe("container-non-root");
  });

  it("answers questions whose words are also names every object has (constructor, toString, __proto__)", async () => {
    const a = await qa.answerQuestion(
      "the lambda constructor caches a db client: toString of its config leaks a password?",
    );
    expect(a.grounded).toBe(true);
    expect(a.citations.map((c) => c.entryId)).toContain("secrets-management");
    const odd = await qa.answerQuestion("what does hasOwnProperty or __proto__ mean in javascript?");
    expect(odd.answer).toMatch(/^I don't know/);
  });

  it("rejects an empty or over-long question as bad input", async () => {
    await expect(qa.answerQuestion("   ")).rejects.toBeInstanceOf(InputError);
    await expect(qa.answerQuestion("lambda ".repeat(MAX_QUESTION))).rejects.toBeInstanceOf(InputError);
  });
});

describe("questions asked in a review thread", () => {
  it("are answered for the review's workload", async () => {
    const { view } = await bot.reviews.start({
      name: "orders",
      workload: "container",
      actor: "alice",
      origin: "slack",
      slack: { teamId: "T1", channelId: "C1", channelPrivate: false },
    });
    const withReviews = new QaService({ kb, reviews: bot.reviews });
    const a = await withReviews.answerQuestion("Who patches the hosts?", {
      reviewId: view.review.id,
      viewer: { teamId: "T1", channelId: "C1" },
    });
    expect(a).toMatchObject({ workload: "container", workloadFrom: "review", reviewId: view.review.id });
    for (const c of a.citations) expect(kb.entry(c.entryId)?.deploymentModels).toContain("container");
    await expect(
      withReviews.answerQuestion("Who patches the hosts?", {
        reviewId: view.review.id,
        viewer: { teamId: "T2" },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("the answer as Markdown", () => {
  it("shows the answer, what to do, who owns it and the sources with framework versions", async () => {
    const md = formatAnswerMarkdown(
      await qa.answerQuestion("Is it OK to run our containers as root on EKS?"),
    );
    expect(md).toMatch(/^\*\*Answer for container workloads:\*\* /);
    expect(md).toContain("**Containers run as a non-root user without privilege escalation**");
    expect(md).toContain("your team owns this.");
    expect(md).toMatch(/- .*runAsNonRoot/);
    expect(md).toMatch(/\*\*Sources\*\*\n- .*\[container-non-root\]: .*CIS /);
  });

  it("keeps 'I don't know' short, with no sources", async () => {
    const md = formatAnswerMarkdown(await qa.answerQuestion("How do I center a div?"));
    expect(md).toMatch(/^I don't know\./);
    expect(md).not.toContain("Sources");
  });

  it("prints JSON with entry ids for citations", async () => {
    const json = AnswerJson.parse(await qa.answerQuestion("Do we need IMDSv2 on our EC2 instances?"));
    expect(json.citations[0]?.entryId).toBe("instance-metadata");
    expect(json.workload).toBe("vm");
  });
});

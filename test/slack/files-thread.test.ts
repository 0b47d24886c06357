import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/core/knowledge/load.js";
import type { Message, SharedFile } from "../support/fake-slack.js";
import {
  alice,
  bob,
  buttonsOf,
  type Harness,
  shownText,
  startHarness,
  TEAM,
} from "../support/slack-harness.js";
import type { Who } from "../support/slack-requests.js";

const C = "C0PUBLIC";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/**
 * A person's upload as Slack sends it: a message with subtype file_share whose file objects may be
 * partial ("check_file_info"), so the app must look each one up with files.info.
 */
function fileShareEvent(who: Who, files: SharedFile[], ts: string, threadTs?: string) {
  return {
    type: "message",
    subtype: "file_share",
    channel: who.channel,
    channel_type: "channel",
    user: who.user,
    text: "",
    upload: false,
    ts,
    event_ts: ts,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    files: files.map((f) => ({ id: f.id, mode: "file_access", file_access: "check_file_info" })),
  };
}

const DOCKERFILE = 'FROM node:latest\nUSER root\nCMD ["node", "server.js"]\n';
const GITHUB_TOKEN = "ghp_R7wQ2mZx9KpL4vN8sT1yB6cF3hJ5dG0aE2uX";

async function startContainerReview(): Promise<{ root: Message; reviewId: number }> {
  expect((await h.command(alice, "new container payments-api")).status).toBe(200);
  await h.waitForQuestion(C, "Question 1 of");
  const root = h.thread(C)[0] as Message;
  const reviewId = h.bot.reviews.list()[0]?.id as number;
  return { root, reviewId };
}

/** Skip questions through the core until `questionId` is the one the thread asks. */
async function skipTo(reviewId: number, questionId: string): Promise<void> {
  for (let v = h.bot.reviews.view(reviewId); v.question && v.question.id !== questionId; ) {
    await h.bot.reviews.answer({
      reviewId,
      questionId: v.question.id,
      value: { kind: "skip" },
      actor: bob.user,
    });
    v = h.bot.reviews.view(reviewId);
  }
  await h.waitForQuestion(C, h.bot.kb.question(questionId)?.text.slice(0, 40) ?? questionId);
}

const filesReplies = () => h.thread(C).filter((m) => /shared (\d+ files?|files)/.test(shownText(m)));

describe("files shared in a review thread", () => {
  it("answer the questions their facts settle, post the next open one, and reach the report's why", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const { root, reviewId } = await startContainerReview();
    await skipTo(reviewId, "images.reference");
    const before = h.bot.reviews.view(reviewId).progress.total;
    const askedImages = h.thread(C).at(-1) as Message;

    const docker = h.fake.shareFile("Dockerfile", DOCKERFILE);
    const res = await h.event(TEAM, fileShareEvent(bob, [docker], "1800000000.000100", root.ts));
    expect(res.status).toBe(200);
    // Stored before Slack got its answer.
    const stored = h.bot.store.events(reviewId).filter((e) => e.type === "files");
    expect(stored).toHaveLength(1);

    const pipeline = h.bot.kb.question("images.pipeline")?.text ?? "";
    await h.waitForQuestion(C, pipeline.slice(0, 40));
    const [reply] = filesReplies();
    const shown = shownText(reply as Message);
    expect(shown).toContain("<@U0BOB> shared 1 file");
    expect(shown).toContain("`image.ref` = *latest*: Dockerfile:1 FROM node:latest");
    expect(shown).toContain("`container.runs-as-root` = *yes*: Dockerfile:2 USER root");
    expect(shown).toContain(h.bot.kb.question("images.reference")?.text.slice(0, 40));
    // The files' reply comes before the question they moved the review on to.
    const order = h.thread(C).map((m) => shownText(m));
    expect(order.findIndex((t) => t.includes("shared 1 file"))).toBeLessThan(
      order.findLastIndex((t) => t.includes(pipeline.slice(0, 40))),
    );
    const view = h.bot.reviews.view(reviewId);
    expect(view.progress.total).toBe(before - 1);
    expect(view.state.answers.map((a) => a.questionId)).not.toContain("images.reference");

    // The question the files answered says so and offers no buttons any more.
    const updated = await h.fake.waitFor("the answered question's update", () =>
      h.fake.messages.find((m) => m.ts === askedImages.ts && m.updates > 0),
    );
    expect(shownText(updated)).toContain("From the files: Dockerfile:1 FROM node:latest");
    expect(buttonsOf(updated)).toEqual([]);

    const next = h.thread(C).at(-1) as Message;
    await h.click(alice, next, "Finish");
    const report = await h.fake.waitFor("the report", () =>
      h.fake.uploads.find((u) => u.completed && u.content),
    );
    expect(report.content).toContain("Dockerfile:1 FROM node:latest");
    expect(report.content).toContain("Dockerfile:2 USER root");
    // Downloads went only to the file's own URL, each with the bot token.
    expect(h.fake.callsTo("files.download").map((c) => c.token)).toEqual(["xoxb-fake-bot-token-for-tests"]);
    expect(h.fake.problems).toEqual([]);
  });

  it("that contradict an earlier answer say so, naming both, and keep the file's line as evidence", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const { root, reviewId } = await startContainerReview();
    await skipTo(reviewId, "images.reference");
    const asked = h.thread(C).at(-1) as Message;
    await h.click(alice, asked, "By digest (@sha256:…)");
    await h.fake.waitFor(
      "the answer",
      () => h.bot.reviews.view(reviewId).question?.id !== "images.reference",
    );
    const docker = h.fake.shareFile("Dockerfile", DOCKERFILE);
    await h.event(TEAM, fileShareEvent(bob, [docker], "1800000000.000150", root.ts));
    const reply = await h.fake.waitFor("the files reply", () => filesReplies()[0]);
    expect(shownText(reply)).toContain(
      "images.reference: the answer says image.ref = digest, but Dockerfile:1 FROM node:latest shows latest",
    );
    const model = h.bot.reviews.threatModel(reviewId).model;
    expect(JSON.stringify(model)).toContain("FROM node:latest");
  });

  it("refuse binary, oversize and malformed files with a clear line each, use the rest, and keep the review going", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const { root, reviewId } = await startContainerReview();
    const binary = h.fake.shareFile("logo.yaml", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    const huge = h.fake.shareFile("huge.yaml", `# ${"x".repeat(1024 * 1024 + 10)}\n`);
    // A size that does not match what is served: the cap holds while the bytes arrive too.
    const lying = h.fake.shareFile("small.yaml", `# ${"y".repeat(1024 * 1024 + 10)}\n`, { size: 20 });
    const broken = h.fake.shareFile(
      "deploy.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: [unclosed\n",
    );
    const docker = h.fake.shareFile("Dockerfile", DOCKERFILE);
    const res = await h.event(
      TEAM,
      fileShareEvent(bob, [binary, huge, lying, broken, docker], "1800000000.000200", root.ts),
    );
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor("the files reply", () => filesReplies()[0]);
    const shown = shownText(reply);
    expect(shown).toContain("<@U0BOB> shared 5 files (1 read)");
    expect(shown).toMatch(/logo\.yaml: not read: a binary file/);
    expect(shown).toMatch(/huge\.yaml: not read: larger than 1024 KiB \(1048589 bytes\)/);
    expect(shown).toMatch(/small\.yaml: not read: larger than 1024 KiB/);
    expect(shown).toMatch(/deploy\.yaml:9: .*Flow sequence/);
    expect(shown).toContain("Dockerfile:1 FROM node:latest");
    // The oversize file was refused from its size alone: never downloaded.
    const downloaded = h.fake.callsTo("files.download").map((c) => String(c.args.path));
    expect(downloaded.some((p) => p.includes(huge.id))).toBe(false);
    expect(downloaded.some((p) => p.includes(lying.id))).toBe(true);

    // The review goes on: the question it was at still takes an answer.
    expect(h.bot.reviews.view(reviewId).question?.id).toBe("context.description");
    await h.event(TEAM, {
      type: "message",
      channel: C,
      channel_type: "channel",
      user: alice.user,
      text: "Card payments API",
      ts: "1800000000.000300",
      thread_ts: root.ts,
      event_ts: "1800000000.000300",
    });
    await h.fake.waitFor("the answer", () => h.bot.reviews.view(reviewId).state.answers.length === 1);
    expect(h.fake.problems).toEqual([]);
  });

  it("never store or post a secret from a file in clear", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const { root, reviewId } = await startContainerReview();
    const docker = h.fake.shareFile(
      "Dockerfile",
      `FROM node:20.11-alpine\nENV GITHUB_TOKEN=${GITHUB_TOKEN}\nUSER 1000\n`,
    );
    // A YAML error quoting the secret's line must not carry it either.
    const broken = h.fake.shareFile("values.yaml", `token: ${GITHUB_TOKEN}\n  bad: [\n`);
    await h.event(TEAM, fileShareEvent(bob, [docker, broken], "1800000000.000400", root.ts));
    const reply = await h.fake.waitFor("the files reply", () => filesReplies()[0]);
    expect(shownText(reply)).toContain("GITHUB_TOKEN=[secret masked]");
    await h.settle();
    h.bot.store.db.pragma("wal_checkpoint(FULL)");
    const bytes = [h.bot.dbPath, `${h.bot.dbPath}-wal`]
      .map((p) => {
        try {
          return readFileSync(p).toString("latin1");
        } catch {
          return "";
        }
      })
      .join("");
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes).not.toContain(GITHUB_TOKEN);
    expect(bytes).not.toContain(GITHUB_TOKEN.slice(4, 24));
    const everything = [
      ...h.fake.messages.map(shownText),
      ...h.fake.ephemerals.map(shownText),
      h.logs.join(""),
    ];
    for (const t of everything) expect(t).not.toContain(GITHUB_TOKEN);
    expect(h.bot.store.events(reviewId).some((e) => e.type === "files")).toBe(true);
  });

  it("ignore files shared outside a review thread, and take a repeated delivery once", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    const { root, reviewId } = await startContainerReview();
    const docker = h.fake.shareFile("Dockerfile", DOCKERFILE);
    // In the channel itself, and in the thread of a message that is not a review.
    await h.event(TEAM, fileShareEvent(bob, [docker], "1800000000.000500"));
    await h.event(TEAM, fileShareEvent(bob, [docker], "1800000000.000600", "1799999999.000001"));
    await h.settle();
    expect(h.fake.callsTo("files.info")).toEqual([]);
    expect(h.fake.callsTo("files.download")).toEqual([]);
    expect(filesReplies()).toEqual([]);

    const event = fileShareEvent(bob, [docker], "1800000000.000700", root.ts);
    // Slack retries with the same event; the same message may also arrive twice at once.
    await Promise.all([h.event(TEAM, event, { eventId: "Ev1" }), h.event(TEAM, event, { eventId: "Ev1" })]);
    await h.event(TEAM, event, { eventId: "Ev1", headers: { "x-slack-retry-num": "1" } });
    await h.fake.waitFor("the files reply", () => filesReplies()[0]);
    await h.settle();
    expect(h.bot.store.events(reviewId).filter((e) => e.type === "files")).toHaveLength(1);
    expect(filesReplies()).toHaveLength(1);
    expect(h.fake.problems).toEqual([]);
  });
});

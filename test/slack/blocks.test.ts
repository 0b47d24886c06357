import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { Question } from "../../src/core/knowledge/schema.js";
import type { ThreatModel } from "../../src/core/threats/model.js";
import { homeView } from "../../src/slack/blocks/home.js";
import { reviewDetailModal, startModal, textAnswerModal } from "../../src/slack/blocks/modals.js";
import { answeredMessage, questionMessage } from "../../src/slack/blocks/question.js";
import { rootMessage, summaryMessage } from "../../src/slack/blocks/review.js";
import { escapeMrkdwn, fromSlackText } from "../../src/slack/text/escape.js";
import { clipMrkdwn } from "../../src/slack/text/limits.js";
import { FIXTURE_KB, tempBot } from "../support/core.js";
import { type Block, blockKitProblems } from "../support/fake-slack.js";
import { shownText } from "../support/slack-harness.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const PINGS = "<!channel> <!here> <@U0BOSS> <!subteam^S0ALL> & ";
const question = (over: Partial<Question>): Question => ({
  id: "x.q",
  text: "Which of these is true?",
  why: "It decides the risk.",
  appliesTo: ["vm"],
  section: "compute",
  kind: "choice",
  options: [],
  maxLength: 1000,
  order: 1,
  ...over,
});
const progress = { index: 4, total: 15, answered: 3 };

/** A real threat model from the fixture knowledge base, then blown up past every message limit. */
async function hugeModel(): Promise<ThreatModel> {
  const b = tempBot({ knowledgeDir: FIXTURE_KB });
  cleanups.push(b.cleanup);
  const { view } = await b.reviews.start({
    name: PINGS,
    workload: "container",
    actor: "U1",
    origin: "slack",
  });
  const { model } = b.reviews.finish(view.review.id, "U1");
  const base = model.threats[0];
  if (!base) throw new Error("the fixture should derive at least one threat");
  const threats = Array.from({ length: 60 }, (_, i) => ({
    ...base,
    id: `T-${String(i + 1).padStart(3, "0")}`,
    evidence: "confirmed" as const,
    status: "open" as const,
    severity: "critical" as const,
    rank: i + 1,
    statement: `${PINGS}${"long statement ".repeat(300)}`,
  }));
  return {
    ...model,
    summary: { ...model.summary, top: threats.slice(0, 5).map((t) => t.id) },
    threats,
    openQuestions: Array.from({ length: 80 }, (_, i) => ({
      questionId: `q.${i}`,
      text: `${PINGS}question ${i} ${"words ".repeat(40)}`,
      reason: "unsure" as const,
      threats: threats.slice(0, 3).map((t) => t.id),
      potential: "critical" as const,
    })),
  };
}

describe("Block Kit builders stay inside Slack's limits", () => {
  it("splits thirty long options over two rows of buttons, each label cut to 75 characters", () => {
    const options = Array.from({ length: 30 }, (_, i) => ({
      value: `o${i}`,
      label: `${i} ${"L".repeat(80)}`,
      sets: {},
      exclusive: false,
    }));
    const m = questionMessage({
      reviewId: 1,
      question: question({ options }),
      options,
      progress,
      canGoBack: true,
    });
    expect(blockKitProblems(m.blocks, "message")).toEqual([]);
    const rows = m.blocks.filter((b) => b.type === "actions") as Block[];
    expect(rows.map((r) => r.elements.length)).toEqual([25, 5, 4]);
    expect(shownText(m)).toContain("Question 4 of 15");
  });

  it("cuts a 4000-character answer to one section without breaking an escape or pinging anyone", () => {
    const answer = `${PINGS.repeat(200)}`.slice(0, 4000);
    const m = answeredMessage(question({ kind: "text" }), progress, answer, "U0ALICE");
    expect(blockKitProblems(m.blocks, "message")).toEqual([]);
    const text = shownText(m);
    expect(text).toContain("Answered by <@U0ALICE>");
    for (const raw of ["<!channel>", "<!here>", "<@U0BOSS>", "<!subteam"]) expect(text).not.toContain(raw);
    expect(text).not.toMatch(/&[a-z]*…/);
    expect(text).toContain("…");
  });

  it("keeps a summary of 60 threats and 80 open questions under 50 blocks, the rest in the file", async () => {
    const model = await hugeModel();
    const m = summaryMessage(model);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitProblems(m.blocks, "message")).toEqual([]);
    expect(shownText(m)).toMatch(/…and \d+ more in the report\./);
    expect(shownText(m)).toContain("*Fix first*");
    expect(shownText(m)).toContain("3 threats hang on it");
    expect(shownText(m)).not.toContain("<!channel>");
    const modal = reviewDetailModal(model, false);
    expect(blockKitProblems(modal.blocks, "view")).toEqual([]);
    expect(rootMessage({ reviewId: 1, name: PINGS, workload: "vm", startedBy: "U1" }).text).not.toContain(
      "<!here>",
    );
  });

  it("keeps a Home tab of 200 reviews with long names under 100 blocks", () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      id: i + 1,
      name: `${PINGS}${"n".repeat(200)}`,
      workload: "serverless" as const,
      status: "in_progress" as const,
      channelId: "C1",
      progress: "Question 1 of 9",
    }));
    const view = homeView(rows);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitProblems(view.blocks, "view")).toEqual([]);
    expect(shownText({ text: "", blocks: view.blocks as Block[] })).not.toContain("<!channel>");
  });

  it("builds modals Slack accepts, with inputs no longer than the core allows", () => {
    const long = question({ kind: "text", text: "T".repeat(300), why: "W".repeat(300), maxLength: 4000 });
    const choice = question({
      id: "c.q",
      options: Array.from({ length: 3 }, (_, i) => ({
        value: `v${i}`,
        label: "x".repeat(75),
        sets: {},
        exclusive: false,
      })),
    });
    for (const view of [
      startModal({ channel: "C1", team: "T1" }, [long, choice]),
      textAnswerModal({ r: 1, q: "x.q", channel: "C1", team: "T1" }, long),
    ]) {
      expect(blockKitProblems(view.blocks, "view")).toEqual([]);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
    }
  });
});

describe("escaping", () => {
  it("never leaves markup, never exceeds the limit, never cuts an escape in half", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 400 }),
        fc.integer({ min: 8, max: 300 }),
        (s, max) => {
          const out = clipMrkdwn(s, max);
          expect(out.length).toBeLessThanOrEqual(max);
          expect(out).not.toMatch(/[<>]/);
          expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
          if (escapeMrkdwn(s).length <= max) expect(out).toBe(escapeMrkdwn(s));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("turns Slack's encoding of typed text back into what was typed", () => {
    expect(fromSlackText("a &lt; b &amp;&amp; c &gt; d <@U1>")).toBe("a < b && c > d <@U1>");
    expect(escapeMrkdwn("@here and @channel")).not.toMatch(/@here|@channel/);
  });
});

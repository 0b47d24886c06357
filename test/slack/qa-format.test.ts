import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { formatAnswerMarkdown } from "../../src/qa/format.js";
import { Answer } from "../../src/qa/schema.js";
import { QaService } from "../../src/qa/service.js";
import { answerMessage, MAX_ANSWER_SECTIONS } from "../../src/slack/blocks/answer.js";
import { escapeMrkdwn } from "../../src/slack/text/escape.js";
import { LIMITS } from "../../src/slack/text/limits.js";
import { markdownToMrkdwn } from "../../src/slack/text/markdown.js";
import { splitMrkdwn } from "../../src/slack/text/split.js";
import { blockKitProblems } from "../support/fake-slack.js";
import { shownText } from "../support/slack-harness.js";

const PINGS = "<!channel> <!here> <@U0BOSS> <!subteam^S0ALL|@all> & ";
const LINK = /<https?:\/\/[^\s<>|]+>/g;

/** No markup left but the links the knowledge base cites, and every `&` an escape. */
function expectInert(mrkdwn: string): void {
  const withoutLinks = mrkdwn.replace(LINK, "");
  expect(withoutLinks).not.toMatch(/[<>]/);
  expect(withoutLinks).not.toMatch(/&(?!amp;|lt;|gt;)/);
}

function expectSplitWell(mrkdwn: string, max: number): void {
  const pieces = splitMrkdwn(mrkdwn, max);
  for (const p of pieces) {
    expect(p.length).toBeLessThanOrEqual(max);
    expect(p).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(p).not.toMatch(/[\ud800-\udbff]$/);
  }
  // Only whitespace is lost at the cuts.
  expect(pieces.join("").replace(/\s/g, "")).toBe(mrkdwn.replace(/\s/g, ""));
}

describe("an answer as a Slack message", () => {
  it("turns the core's Markdown into mrkdwn: bold, notes, bullets, links, and wildcards as code", async () => {
    const qa = new QaService({ kb: loadKnowledgeBase() });
    const answer = await qa.answerQuestion("Should our Lambda role use wildcards?");
    const md = formatAnswerMarkdown(answer);
    const shown = shownText(answerMessage(answer));
    expect(md).toContain("**What applies**");
    expect(shown).toContain("\n*What applies*\n");
    expect(shown).toContain("1. *Wildcards and public invoke rights in function permissions*");
    expect(shown).toMatch(/\n {3}• List exact actions/);
    expect(shown).toContain(
      "<https://thenewstack.io/security-differences-containers-vs-serverless-vs-virtual-machines/>",
    );
    expect(shown).toContain('never grant `iam:*`, iam:PassRole on `"*"`');
    expect(shown).not.toContain("**");
    expectInert(shown);
    // A cited URL stays a link, with its & escaped as Slack expects inside one; any other <…> is text.
    expect(markdownToMrkdwn("See <https://example.com/a?b=1&c=2> or <https://evil.example|here>.")).toBe(
      "See <https://example.com/a?b=1&amp;c=2> or &lt;https://evil.example|here&gt;.",
    );
  });

  it("keeps a huge answer inside Block Kit's limits, escaped, and says where the rest is", () => {
    const long = (n: number) => `${PINGS}${'s3:* on Resource "*" _x_ '.repeat(n)}`;
    const answer = Answer.parse({
      answer: `${"<".repeat(700)}${long(30)}`,
      workload: "undecided",
      workloadFrom: "none",
      grounded: true,
      points: Array.from({ length: 12 }, (_, i) => ({
        entryId: `entry-${i}`,
        title: `${PINGS}title ${i}`,
        owners: [{ model: "vm", owner: "team", note: long(20) }],
        why: long(10),
        actions: [long(40), long(40)],
      })),
      citations: [],
      generatedBy: "llm",
      notes: [long(5)],
    });
    const message = answerMessage(answer);
    expect(blockKitProblems(message.blocks, "message")).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    const sections = message.blocks.filter((b) => b.type === "section");
    expect(sections).toHaveLength(MAX_ANSWER_SECTIONS);
    for (const s of sections) {
      const text = (s as { text: { text: string } }).text.text;
      expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expectInert(text);
    }
    expect(shownText(message)).toContain("`threatbot ask` in a terminal prints all of it");
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expectInert(message.text);
  });

  it("never leaves markup in any text, and splits it without losing or breaking anything", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("<", ">", "&", "*", "_", "`", "~", "a", " ", "\n", "@", "!", "|"),
          maxLength: 3000,
        }),
        fc.integer({ min: 40, max: 400 }),
        (text, max) => {
          const out = markdownToMrkdwn(text);
          expectInert(out);
          expectSplitWell(out, max);
        },
      ),
      { numRuns: 300 },
    );
    // Long runs without a space must be cut hard, still never inside an escape or an emoji.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("<", "&", "a", "b", "\u{1F600}", "é", "-"), maxLength: 2000 }),
        fc.integer({ min: 10, max: 300 }),
        (text, max) => expectSplitWell(escapeMrkdwn(text), max),
      ),
      { numRuns: 300 },
    );
  });
});

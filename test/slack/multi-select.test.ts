import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/core/knowledge/load.js";
import type { Message } from "../support/fake-slack.js";
import { alice, buttonsOf, type Harness, shownText, startHarness } from "../support/slack-harness.js";
import { buttonPayload } from "../support/slack-requests.js";

const C = "C0PUBLIC";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Checkboxes = {
  type: "checkboxes";
  action_id: string;
  options: { text: { text: string }; value: string }[];
};

function checkboxesOf(m: Message): { blockId: string; element: Checkboxes } | undefined {
  for (const b of m.blocks as { type: string; block_id?: string; elements?: { type: string }[] }[]) {
    const element = b.elements?.find((e) => e.type === "checkboxes");
    if (element) return { blockId: b.block_id as string, element: element as Checkboxes };
  }
  return undefined;
}

/** Submit pressed with some boxes ticked: Slack sends the ticked boxes in the payload's state. */
function submitWith(m: Message, values: string[]) {
  const boxes = checkboxesOf(m);
  const submit = buttonsOf(m).find((b) => (b as { text?: { text: string } }).text?.text === "Submit");
  if (!boxes || !submit) throw new Error(`no checkboxes or Submit on ${shownText(m)}`);
  const payload = buttonPayload(
    alice,
    { ts: m.ts, threadTs: m.threadTs },
    submit as never,
    h.fake.responseUrl(),
  );
  return h.interact({
    ...payload,
    state: {
      values: {
        [boxes.blockId]: {
          [boxes.element.action_id]: {
            type: "checkboxes",
            selected_options: values.map((value) => ({ value, text: { type: "plain_text", text: value } })),
          },
        },
      },
    },
  });
}

describe("a multi-select question in Slack", () => {
  it("shows checkboxes with the options for the review's platform and records the ticked ones", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    await h.command(alice, "new serverless orders api");
    await h.click(alice, await h.waitForQuestion(C, "what does this system do"), "Skip");
    const platform = await h.waitForQuestion(C, "Which platform will run it?");
    // A serverless review is offered only the serverless platforms.
    expect(buttonsOf(platform).map((b) => (b as { text: { text: string } }).text.text)).toEqual([
      "Functions packaged as container images",
      "Functions packaged as zip archives",
      "Unsure",
      "Skip",
      "Back",
      "Finish",
    ]);
    await h.click(alice, platform, "Functions packaged as zip archives");
    await h.click(alice, await h.waitForQuestion(C, "Can anyone on the internet"), "Yes");
    await h.click(
      alice,
      await h.waitForQuestion(C, "most sensitive data"),
      "Confidential (customer data, PII)",
    );

    const callers = await h.waitForQuestion(C, "How do callers authenticate");
    expect(shownText(callers)).toContain("Tick all that apply, then *Submit*");
    expect(checkboxesOf(callers)?.element.options.map((o) => o.value)).toEqual([
      "api-keys",
      "iam",
      "mtls",
      "oidc",
      "open",
      "no-api",
    ]);

    // Submit with nothing ticked is not an answer: the person is told what to do, nothing is stored.
    const reply = await h.replyTo("an empty submit", () => submitWith(callers, []));
    expect(reply.text).toContain("Pick at least one option");
    expect(h.bot.store.events(1).filter((e) => e.type === "answer")).toHaveLength(4);

    expect((await submitWith(callers, ["open", "oidc"])).status).toBe(200);
    const next = await h.waitForQuestion(C, "Which of these protect the endpoints?");
    expect(next.ts).not.toBe(callers.ts);
    const answered = h.fake.messages.find((m) => m.ts === callers.ts) as Message;
    expect(shownText(answered)).toContain(
      "OAuth 2.0 / OIDC tokens; Some endpoints or URLs need no authentication",
    );
    const stored = h.bot.store
      .events(1)
      .filter((e) => e.type === "answer")
      .at(-1);
    expect(stored).toMatchObject({
      questionId: "common.callers",
      value: { kind: "multi", values: ["oidc", "open"] },
    });
  });
});

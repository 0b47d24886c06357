import { afterEach, describe, expect, it } from "vitest";
import { ThreatModel } from "../../src/core/threats/model.js";
import { parseCommand } from "../../src/slack/listeners/commands/parse.js";
import type { Block } from "../support/fake-slack.js";
import {
  alice,
  bob,
  type Harness,
  OTHER_TEAM,
  shownText,
  startHarness,
  TEAM,
} from "../support/slack-harness.js";
import { homeButtonPayload } from "../support/slack-requests.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("the /threatmodel command", () => {
  it("reads subcommands, and turns every mistake into a usage line", () => {
    expect(parseCommand("")).toEqual({ kind: "modal" });
    expect(parseCommand("  new  Container   payments api ")).toEqual({
      kind: "new",
      workload: "container",
      name: "payments api",
    });
    expect(parseCommand("show #12")).toEqual({ kind: "show", id: 12 });
    expect(parseCommand("export 3")).toEqual({ kind: "export", id: 3, format: "md" });
    expect(parseCommand("export 3 JSON")).toEqual({ kind: "export", id: 3, format: "json" });
    expect(parseCommand("LIST")).toEqual({ kind: "list" });
    expect(parseCommand("help")).toEqual({ kind: "help" });
    expect(parseCommand("frobnicate now")).toEqual({ kind: "unknown", word: "frobnicate" });
    for (const bad of [
      "new",
      "new kubernetes x",
      "new vm",
      "show",
      "show abc",
      "show 0",
      "export 1 pdf",
      "show 1 2",
    ]) {
      expect(parseCommand(bad).kind).toBe("usage");
    }
  });

  it("answers help, unknown words and usage mistakes with a short ephemeral, never silence", async () => {
    h = await startHarness();
    const cases: [string, string][] = [
      ["help", "/threatmodel new <vm|container|serverless|undecided> <name>"],
      ["frobnicate", "I don't know `frobnicate`"],
      ["new kubernetes shop", "Usage: `/threatmodel new"],
      ["export 1 pdf", "Usage: `/threatmodel export <id> [md|json]`"],
      ["show 99", "Review #99 can't be opened here"],
      ["list", "No reviews here yet"],
    ];
    for (const [text, expected] of cases) {
      const reply = await h.replyTo(text, async () => {
        const res = await h.command(alice, text);
        expect(res.status).toBe(200);
        expect(res.ms).toBeLessThan(3000);
      });
      expect(shownText(reply)).toContain(expected);
    }
    expect(h.fake.callsTo("response_url")).toHaveLength(cases.length);
    expect(h.fake.problems).toEqual([]);
  });

  it("exports a finished review as JSON that parses as a threat model", async () => {
    h = await startHarness();
    await h.command(alice, "new container shop");
    await h.click(alice, await h.waitForQuestion("C0PUBLIC", "Question 1 of"), "Finish");
    await h.fake.waitFor("the report", () => h.fake.uploads.find((u) => u.completed));
    await h.command(bob, "export 1 json");
    const json = await h.fake.waitFor("the JSON export", () =>
      h.fake.uploads.find((u) => u.filename.endsWith(".json")),
    );
    await h.fake.waitFor("the upload to complete", () => json.completed);
    expect(json).toMatchObject({ filename: "threat-model-1-v1.json", channelId: "C0PUBLIC" });
    const model = ThreatModel.parse(JSON.parse(json.content));
    expect(model.review).toMatchObject({ id: 1, name: "shop", status: "finished" });
  });
});

describe("the App Home tab", () => {
  const homeButtons = (view: Block) =>
    (view.blocks as Block[]).filter((b) => b.type === "actions").flatMap((b) => b.elements as Block[]);

  it("lists the workspace's reviews with status and risk counts, and views or exports them", async () => {
    h = await startHarness();
    await h.command(alice, "new vm web-site");
    await h.click(alice, await h.waitForQuestion("C0PUBLIC", "Question 1 of"), "Finish");
    await h.fake.waitFor("the report", () => h.fake.uploads.find((u) => u.completed));
    await h.command({ ...alice, channel: "C0OTHER" }, "new container api");
    await h.waitForQuestion("C0OTHER", "Question 1 of");
    await h.command({ ...alice, channel: "G0PRIVATE" }, "new vm payroll");
    await h.waitForQuestion("G0PRIVATE", "Question 1 of");
    await h.command({ team: OTHER_TEAM, channel: "C0PUBLIC", user: "U0MALLORY" }, "new vm foreign");
    await h.fake.waitFor("the other workspace's review", () => h.bot.store.getReview(4));
    await h.bot.reviews.start({ name: "laptops", workload: "vm", actor: "dana", origin: "terminal" });
    await h.settle();

    const opened = await h.event(TEAM, {
      type: "app_home_opened",
      user: alice.user,
      channel: "D0ALICE",
      tab: "home",
    });
    expect(opened.status).toBe(200);
    const published = await h.fake.waitFor("views.publish", () =>
      h.fake.views.find((v) => v.method === "views.publish"),
    );
    expect(published.user).toBe(alice.user);
    const home = shownText({ text: "", blocks: published.view.blocks });
    expect(home).toContain("#1 web-site");
    expect(home).toMatch(/#1 web-site.*\nFinished · \d+ critical · \d+ high · \d+ medium · \d+ low/);
    expect(home).toContain("#2 api");
    expect(home).toContain("In progress · Question 1 of");
    for (const hidden of ["payroll", "foreign", "laptops"]) expect(home).not.toContain(hidden);

    const button = (label: string, review: number) =>
      homeButtons(published.view).find(
        (b) => b.text.text === label && JSON.parse(b.value).r === review,
      ) as Block;
    const press = (b: Block) =>
      h.interact(
        homeButtonPayload({ team: TEAM, user: alice.user }, { action_id: b.action_id, value: b.value }),
      );

    await press(button("Export .md", 1));
    const md = await h.fake.waitFor("the Markdown export", () =>
      h.fake.uploads.find((u) => u.completed && u.channelId === "D0ALICE"),
    );
    expect(md.filename).toBe("threat-model-1-v1.md");
    expect(md.content).toContain("# Threat model: web-site");

    await press(button("Export .json", 2));
    const json = await h.fake.waitFor("the JSON export", () =>
      h.fake.uploads.find((u) => u.completed && u.filename.endsWith(".json")),
    );
    expect(json.filename).toBe("threat-model-2-v1-draft.json");
    expect(ThreatModel.parse(JSON.parse(json.content)).review.status).toBe("in_progress");

    await press(button("View", 1));
    const modal = await h.fake.waitFor("the review modal", () =>
      h.fake.views.find((v) => v.method === "views.open"),
    );
    expect(modal.view.title.text).toBe("Review #1");
    expect(shownText({ text: "", blocks: modal.view.blocks })).toContain(
      "Threat model #1\n*web-site* · Virtual machines",
    );

    // A crafted View for the private review is refused in the DM, not shown.
    await h.interact(
      homeButtonPayload({ team: TEAM, user: alice.user }, { action_id: "tb_home_view", value: '{"r":3}' }),
    );
    const refusal = await h.fake.waitFor("the refusal", () =>
      h.fake.messages.find((m) => m.channel === "D0ALICE" && m.text.includes("can't be opened here")),
    );
    expect(shownText(refusal)).not.toContain("payroll");
    expect(h.fake.views.filter((v) => v.method === "views.open")).toHaveLength(1);
    expect(h.fake.problems).toEqual([]);
  });
});

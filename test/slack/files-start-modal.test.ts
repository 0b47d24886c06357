import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/core/knowledge/load.js";
import type { Message } from "../support/fake-slack.js";
import { alice, type Harness, shownText, startHarness, TEAM } from "../support/slack-harness.js";
import { viewSubmissionPayload } from "../support/slack-requests.js";

const C = "C0PUBLIC";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("files given in the start modal", () => {
  it("are read before the review starts, so it starts from their facts and skips what they answer", async () => {
    h = await startHarness({ knowledgeDir: DEFAULT_KNOWLEDGE_DIR });
    await h.command(alice, "", { triggerId: "trigger-files" });
    await h.fake.waitFor("views.open", () => h.fake.views[0]);
    const modal = h.fake.views[0]?.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string; optional?: boolean; element: { type: string } }[];
    };
    const input = modal.blocks.find((b) => b.block_id === "files");
    expect(input?.element.type).toBe("file_input");
    expect(input?.optional).toBe(true);

    const docker = h.fake.shareFile("Dockerfile", 'FROM node:latest\nUSER root\nCMD ["node", "server.js"]\n');
    const junk = h.fake.shareFile("diagram.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]), {
      mimetype: "image/png",
      filetype: "png",
    });
    const values = {
      name: { value: { type: "plain_text_input", value: "payments-api" } },
      workload: { value: { type: "radio_buttons", selected_option: { value: "container" } } },
      // Slack hands the app the uploaded files' objects in the input's state.
      files: { value: { type: "file_input", files: [docker, junk] } },
    };
    const view = { id: "V0FILES", callback_id: modal.callback_id, private_metadata: modal.private_metadata };
    const res = await h.interact(
      viewSubmissionPayload({ team: TEAM, user: alice.user }, view, values as never),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    // The review exists with the files' facts before the modal was acknowledged.
    const [review] = h.bot.reviews.list();
    expect(review).toBeDefined();
    const facts = h.bot.store.fileFacts(review?.id as number);
    expect(facts.map((f) => `${f.fact}=${String(f.value)} ${f.file}:${f.line} ${f.excerpt}`)).toEqual(
      expect.arrayContaining([
        "image.ref=latest Dockerfile:1 FROM node:latest",
        "container.runs-as-root=true Dockerfile:2 USER root",
      ]),
    );
    const full = h.bot.reviews.view(review?.id as number);
    expect(full.progress.total).toBe(17);
    await h.waitForQuestion(C, "Question 1 of 17");

    // The person who started it is told what the files showed and what was not used.
    const told = await h.fake.waitFor("the files notice", () =>
      h.fake.ephemerals.find((e) => shownText(e).includes("shared 2 files")),
    );
    expect(shownText(told)).toContain("Dockerfile:1 FROM node:latest");
    expect(shownText(told)).toMatch(/diagram\.png: not read: a binary file \(image\/png\)/);
    // Only the Dockerfile was downloaded: the image was refused from its file object.
    expect(h.fake.callsTo("files.download")).toHaveLength(1);
    await h.settle();
    expect(h.thread(C).some((m: Message) => shownText(m).includes("How do Dockerfiles"))).toBe(false);
    expect(h.fake.problems).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { mdText, renderMarkdown } from "../../../src/core/report/markdown.js";
import { deriveThreatModel } from "../../../src/core/threats/derive.js";
import { answeredState, fixtureKb } from "../../support/core.js";

const kb = fixtureKb();
const at = "2026-01-01T00:00:00.000Z";

function model(name: string, description: string) {
  const s = answeredState(kb, "serverless", [
    ["context.internet-facing", { kind: "choice", value: "yes" }],
    ["context.data-sensitivity", { kind: "unsure" }],
    ["context.description", { kind: "text", text: description }],
    ["serverless.role", { kind: "choice", value: "yes" }],
  ] as const);
  return deriveThreatModel(
    kb,
    {
      id: 3,
      uuid: "6f1c8a52-8b1e-4a51-9d55-3f0d1c2b7a10",
      name,
      workload: "serverless",
      createdBy: "alice",
      createdAt: at,
    },
    s,
    { version: 2, generatedAt: at },
  );
}

describe("markdown threat model", () => {
  it("has the sections a reader expects, in order", () => {
    const md = renderMarkdown(model("orders", "Takes orders"));
    const headings = md.split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual([
      "## Summary",
      "## Scope and context",
      "## Shared responsibility",
      "## Threats",
      "## Mitigations",
      "## Open questions",
      "## Answers",
      "## References",
    ]);
    expect(md).toContain("# Threat model: orders");
    expect(md).toContain("Review #3 · Serverless · version 2");
    expect(md).toMatch(/\| T-001 \| .*fn-perms/);
    expect(md).toContain("- [ ] What is the most sensitive data here?");
    expect(md).toContain("CSA Serverless Top 12 (2019) SAS-4: Over-Privileged Function Permissions & Roles");
  });

  it("keeps user text from breaking tables or adding markup", () => {
    const md = renderMarkdown(model("a|b **x**", "pipes | and <script>\nnew # line"));
    expect(md).toContain("# Threat model: a\\|b \\*\\*x\\*\\*");
    expect(md).toContain("pipes \\| and \\<script\\> new \\# line");
    for (const line of md.split("\n").filter((l) => l.startsWith("| What does"))) {
      expect(line.split(/(?<!\\)\|/).length).toBe(5);
    }
  });

  it("renders the same model to the same bytes", () => {
    expect(renderMarkdown(model("x", "y"))).toBe(renderMarkdown(model("x", "y")));
  });

  it("escapes every markdown control character", () => {
    expect(mdText("`a`_b_[c](d)~e~")).toBe("\\`a\\`\\_b\\_\\[c\\](d)\\~e\\~");
  });
});

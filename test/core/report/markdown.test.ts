import { describe, expect, it } from "vitest";
import { mdText, renderMarkdown } from "../../../src/core/report/markdown.js";
import type { AnswerValue } from "../../../src/core/review/events.js";
import { deriveThreatModel } from "../../../src/core/threats/derive.js";
import { answeredState, fixtureKb } from "../../support/core.js";

const kb = fixtureKb();
const at = "2026-01-01T00:00:00.000Z";

function model(name: string, description: string, role: AnswerValue = { kind: "choice", value: "yes" }) {
  const s = answeredState(kb, "serverless", [
    ["context.internet-facing", { kind: "choice", value: "yes" }],
    ["context.data-sensitivity", { kind: "unsure" }],
    ["context.description", { kind: "text", text: description }],
    ["serverless.role", role],
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
  it("has the sections a reader expects, in order, with what to fix first", () => {
    const md = renderMarkdown(model("orders", "Takes orders"));
    const headings = md.split("\n").filter((l) => l.startsWith("## ") || l.startsWith("### "));
    expect(headings).toEqual([
      "## Summary",
      "### Fix first",
      "## Scope and context",
      "## Confirmed threats",
      "## Open questions",
      "## Inherent to the platform",
      "## Mitigations",
      "## Shared responsibility",
      "## Answers",
      "## References",
    ]);
    expect(md).toContain("# Threat model: orders");
    expect(md).toContain("Review #3 · Serverless · Functions");
    expect(md).toContain("| High | 1 |");
    expect(md).toMatch(/1\. \*\*T-001\*\* High: An attacker who runs code in a function/);
    expect(md).toContain('Because: fn.wildcard = yes (serverless.role: "Yes")');
    expect(md).toMatch(/\| T-001 \| .*\| High \| open \| .*`fn-perms\/wildcard-role`/);
    expect(md).toContain("- [ ] What is the most sensitive data here? (`context.data-sensitivity`, unsure)");
    expect(md).toMatch(/## Inherent to the platform\n\n- \*\*T-002\*\* .*`shared-model\/ownership-gap`/);
    expect(md).toContain("CSA Serverless Top 12 (2019) SAS-4: Over-Privileged Function Permissions & Roles");
  });

  it("lists an unconfirmed threat under its open question with its potential severity, not as a finding", () => {
    const md = renderMarkdown(model("orders", "Takes orders", { kind: "unsure" }));
    expect(md).not.toContain("### Fix first");
    expect(md).toContain("| Critical | 0 |");
    expect(md).toMatch(/## Confirmed threats\n\n.*\n\nNone confirmed\./);
    expect(md).toMatch(
      /- \[ \] Do function roles use wildcard actions\? \(`serverless\.role`, unsure\)\n {2}- T-001 \(High if confirmed, `fn-perms\/wildcard-role`\): An attacker /,
    );
  });

  it("compares the options side by side for an undecided review", () => {
    const s = answeredState(kb, "undecided", [["context.internet-facing", { kind: "choice", value: "yes" }]]);
    const md = renderMarkdown(
      deriveThreatModel(
        kb,
        {
          id: 5,
          uuid: "6f1c8a52-8b1e-4a51-9d55-3f0d1c2b7a10",
          name: "x",
          workload: "undecided",
          createdBy: "a",
          createdAt: at,
        },
        s,
        { version: 1, generatedAt: at },
      ),
    );
    const headings = md.split("\n").filter((l) => l.startsWith("## "));
    expect(headings.slice(0, 3)).toEqual(["## Summary", "## Options compared", "## Scope and context"]);
    expect(md).toContain(
      "Ownership moves: provider on Functions, shared on Kubernetes, shared on ECS, team on VMs.",
    );
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

import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { SourcesPage } from "../../src/core/knowledge/sources-page.js";
import { runCliProcess } from "../support/cli-process.js";

const kb = loadKnowledgeBase();

describe("threatbot kb sources", () => {
  it("lists every article with its author, date and URL, its claims and the entries holding them", async () => {
    const r = await runCliProcess(["kb", "sources"]);
    expect(r.code).toBe(0);
    for (const s of kb.sources) {
      expect(r.stdout).toContain(`"${s.title}"`);
      if (s.author) expect(r.stdout).toContain(s.author);
      expect(r.stdout).toContain(s.date);
      if (s.url) expect(r.stdout).toContain(s.url);
    }
    expect(r.stdout).toContain('"host security came into focus"');
    expect(r.stdout).toMatch(/Entries drawn from frameworks only[\s\S]*- container-sprawl:/);
  });

  it("--json gives each claim with its entries, and names the framework-only entries", async () => {
    const r = await runCliProcess(["kb", "sources", "--json"]);
    const page = JSON.parse(r.stdout) as SourcesPage;
    expect(page.articles.map((a) => a.source.id).sort()).toEqual(kb.sources.map((s) => s.id).sort());
    const claims = page.articles.flatMap((a) => a.claims);
    expect(claims.length).toBe(kb.claims.length);
    for (const e of kb.entries) {
      const listed = page.articles.filter((a) => a.entries.includes(e.id)).map((a) => a.source.id);
      expect(listed.sort(), e.id).toEqual([...e.sources].sort());
    }
    expect(page.frameworkOnly.map((e) => e.id)).toEqual(
      kb.entries.filter((e) => e.sources.length === 0).map((e) => e.id),
    );
  });
});

describe("coverage of the articles", () => {
  const held = (claimId: string, entryId: string) =>
    kb.claims.some((c) => c.id === claimId && c.entries.includes(entryId));

  it("holds the claims the articles make that no entry used to hold", () => {
    // Power: the layers security attention moved through, SOC 2 Type 2, assessing each app, shifting earlier.
    for (const id of ["power.layers-shift", "power.soc2", "power.assess-each-app", "power.shift-earlier"])
      expect(held(id, "shared-responsibility"), id).toBe(true);
    expect(held("power.container-superset", "shared-responsibility")).toBe(true);
    expect(held("roig.known-vulnerabilities", "image-scanning")).toBe(true);
  });

  it("states each author's central argument as theirs, in the entry's own words", () => {
    const summary = kb.entry("shared-responsibility")?.summary ?? "";
    expect(summary).toMatch(/Roig argues that serverless is inherently more secure than containers/);
    expect(summary).toMatch(/Power sees the models as nested/);
    expect(summary).toMatch(/SOC 2 Type 2/);
    expect(kb.claims.find((c) => c.id === "roig.thesis")?.kind).toBe("argument");
    expect(kb.entry("image-scanning")?.summary).toMatch(/Roig\s+cites Orca Security's 2022 cloud report/);
  });
});

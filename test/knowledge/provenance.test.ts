import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { KnowledgeError } from "../../src/core/errors.js";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { normaliseText, sourcesDir, verifyQuotes } from "../../src/core/knowledge/provenance.js";
import { runCliProcess } from "../support/cli-process.js";
import { tempDir } from "../support/core.js";

const kb = loadKnowledgeBase();
const SOURCES = sourcesDir({});
const HAVE_SOURCES = existsSync(SOURCES);
const FIXTURE_KB = fileURLToPath(new URL("../fixtures/knowledge", import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function copyOfFixture(name: string): string {
  const dir = join(tmp.dir, name);
  cpSync(FIXTURE_KB, dir, { recursive: true });
  return dir;
}

describe("claims behind citations", () => {
  it("lets an entry cite an article only when a claim from that article names it, and the reverse", () => {
    for (const e of kb.entries) {
      const fromClaims = new Set(kb.claims.filter((c) => c.entries.includes(e.id)).map((c) => c.source));
      expect([...fromClaims].sort(), e.id).toEqual([...e.sources].sort());
    }
  });

  it("no longer cites the articles that say nothing on the entry's topic", () => {
    const unsupported: Record<string, string[]> = {
      "container-sprawl": ["roig-2022", "koptyev-2019"],
      "instance-metadata": ["study-note", "power-2018"],
      "kubernetes-network-policies": ["koptyev-2019"],
      "secrets-management": ["power-2018"],
      "vm-remote-access": ["roig-2022"],
      "vm-golden-images": ["power-2018"],
      "container-runtime-vulnerabilities": ["roig-2022"],
      "registry-access-signing": ["roig-2022"],
      "orchestration-security": ["koptyev-2019"],
      // Koptyev's access control is about what workloads can reach, not who deploys them.
      "access-control": ["koptyev-2019"],
    };
    for (const [entry, sources] of Object.entries(unsupported))
      for (const s of sources) expect(kb.entry(entry)?.sources, `${entry} -> ${s}`).not.toContain(s);
  });

  it("refuses a base whose entry cites an article no claim ties to it, naming the entry", () => {
    const dir = copyOfFixture("unbacked");
    const file = join(dir, "entries", "fn-perms.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("sources: [power-2018]", "sources: [power-2018, koptyev-2019]"),
    );
    expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledgeBase(dir)).toThrow(/entry fn-perms: cites koptyev-2019, but no claim/);
  });

  it("refuses a quote longer than seven words", () => {
    const dir = copyOfFixture("long-quote");
    const file = join(dir, "claims.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "quote: which only have the access required",
        "quote: service accounts which only have the access required to",
      ),
    );
    expect(() => loadKnowledgeBase(dir)).toThrow(/claims.yaml: 0.quote: a quote has at most 7 words/);
  });

  it("matches quotes across case, line breaks and curly quotes", () => {
    expect(normaliseText("Don\u2019t   Really\nneed")).toBe(normaliseText("don't really need"));
  });
});

describe.skipIf(!HAVE_SOURCES)(`claim quotes against the article texts in ${SOURCES}`, () => {
  it("finds every claim's quote in its article", () => {
    const check = verifyQuotes(kb, SOURCES);
    expect(check).toEqual({ verified: true, claims: kb.claims.length, problems: [] });
  });

  it("threatbot kb check fails and names the claim whose quote is not in the article", async () => {
    const dir = copyOfFixture("bad-quote");
    const file = join(dir, "claims.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("which only have the access", "which hold every access"),
    );
    const r = await runCliProcess(["kb", "check"], {
      env: { THREATBOT_KNOWLEDGE: dir, THREATBOT_SOURCES: SOURCES },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('claim power.service-accounts: the quote "which hold every access required"');
  });

  it("threatbot kb check says how many quotes it verified", async () => {
    const r = await runCliProcess(["kb", "check"], { env: { THREATBOT_SOURCES: SOURCES } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`All ${kb.claims.length} claim quotes found in their articles.`);
  });
});

describe("without the article texts", () => {
  it("threatbot kb check passes but says the quotes were not verified", async () => {
    const r = await runCliProcess(["kb", "check"], { env: { THREATBOT_SOURCES: join(tmp.dir, "absent") } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Claim quotes were not verified: the sources folder .*absent was not found/);
  });
});

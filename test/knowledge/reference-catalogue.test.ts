import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";

const kb = loadKnowledgeBase();
const CATALOGUE = join(
  fileURLToPath(new URL("../../..", import.meta.url)),
  "shared",
  "reference-catalogue.md",
);

/** The catalogue's section for each framework, and the version its ids belong to. */
const SECTIONS: { framework: string; version?: string; heading: RegExp }[] = [
  { framework: "NIST SP 800-190", version: "2017", heading: /^### 1\.1 / },
  { framework: "NIST SP 800-123", version: "2008", heading: /^### 1\.3 / },
  { framework: "NIST SP 800-53", version: "Rev. 5", heading: /^### 1\.4 / },
  { framework: "CIS Docker Benchmark", version: "1.6.0", heading: /^### 1\.5 / },
  { framework: "CIS Kubernetes Benchmark", version: "1.12", heading: /^### 1\.6 / },
  { framework: "OWASP Serverless Top 10", version: "2017", heading: /^### 1\.8 / },
  { framework: "CSA Serverless Top 12", version: "2019", heading: /^### 1\.8 / },
  { framework: "OWASP Kubernetes Top 10", version: "2022", heading: /^\*\*2022\*\*/ },
  { framework: "OWASP Kubernetes Top 10", version: "2025", heading: /^\*\*2025\*\*/ },
  { framework: "OWASP Docker Top 10", heading: /^### 1\.10 / },
  { framework: "OWASP API Security Top 10", version: "2023", heading: /^### 1\.11 / },
  { framework: "MITRE ATT&CK", version: "v16", heading: /^### 1\.12 / },
];

/** The lines of one section: from its heading to the next heading of any level (or a bold year). */
function section(lines: string[], heading: RegExp): string[] {
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && (/^#{2,3} /.test(l) || /^\*\*\d{4}\*\*/.test(l)));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** "Overly Permissive RBAC" + "RBAC Configurations" -> "Overly Permissive RBAC Configurations". */
function joinOverlap(head: string, tail: string): string {
  const first = tail.split(" ")[0] ?? "";
  return head.endsWith(` ${first}`) ? `${head}${tail.slice(first.length)}` : `${head} ${tail}`;
}

/**
 * id -> title from list items ("- 4.1 Title", "- §4.1 Title", "- S1:2017 Title") and table rows
 * ("| AC-3 | Title |", "| 3.1.1 | 4.1.1 | Title |"). Where the catalogue gives the full title in
 * parentheses ("K05 Inadequate Logging ("… and Monitoring")"), the full title is the one kept.
 */
function titles(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const item = /^- §?([A-Z]{0,4}-?[\d.]+(?::\d{4})?) (.+)$/.exec(line);
    const table = /^\| ([A-Z0-9.-]+) \| (?:([\d.]+) \| )?([^|]+) \|/.exec(line);
    if (item) {
      const [, id, rest] = item as unknown as [string, string, string];
      const full = /^(.*?) \((?:site: )?"(…\s*)?([^"]+)"\)$/.exec(rest);
      const title = full
        ? full[2]
          ? joinOverlap(full[1] as string, full[3] as string)
          : (full[3] as string)
        : rest;
      out.set(id, title.replace(/ \*\*\[[VSM]\]\*\*$/, "").trim());
    } else if (table && !/^-+$/.test(table[1] as string)) {
      const id = table[2] ? `${table[1]} / ${table[2]}` : (table[1] as string);
      out.set(id, (table[3] as string).trim());
    }
  }
  return out;
}

describe.skipIf(!existsSync(CATALOGUE))(`framework references against ${CATALOGUE}`, () => {
  const lines = existsSync(CATALOGUE) ? readFileSync(CATALOGUE, "utf8").split("\n") : [];

  it("uses the catalogue's exact title and version for every id it lists", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const e of kb.entries) {
      for (const r of e.references) {
        const s = SECTIONS.find((x) => x.framework === r.framework && x.version === r.version);
        const known = SECTIONS.some((x) => x.framework === r.framework);
        if (!s) {
          if (known)
            wrong.push(`${e.id}: ${r.framework} ${r.version ?? "(no version)"} is not a catalogued version`);
          continue;
        }
        const title = titles(section(lines, s.heading)).get(r.id);
        if (title === undefined) continue; // the catalogue lists only part of some frameworks
        checked++;
        // The catalogue adds notes in parentheses after some titles, and names some ATT&CK
        // sub-techniques without their parent ("Credentials In Files" for "Unsecured Credentials: …").
        if (title !== r.title && !title.startsWith(`${r.title} (`) && !r.title.endsWith(`: ${title}`))
          wrong.push(`${e.id}: ${r.framework} ${r.id} "${r.title}", catalogue "${title}"`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it("prints the OWASP Kubernetes Top 10 2022 titles in full", () => {
    const k8s = kb.entries.flatMap((e) =>
      e.references.filter((r) => r.framework === "OWASP Kubernetes Top 10" && r.version === "2022"),
    );
    expect(k8s.find((r) => r.id === "K10")?.title).toBe("Outdated and Vulnerable Kubernetes Components");
    expect(k8s.find((r) => r.id === "K05")?.title).toBe("Inadequate Logging and Monitoring");
  });
});

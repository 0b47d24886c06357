import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";

const kb = loadKnowledgeBase();
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SOURCES = join(ROOT, "..", "shared", "sources");

/** Every concern the source articles raise, and the entry that covers it. */
const CONCERNS: Record<string, string> = {
  "dynamic baselining": "dynamic-baselining",
  "third-party dependency management": "third-party-dependencies",
  "access control": "access-control",
  "API testing and security": "api-security",
  "host environment management": "host-environment-management",
  "resource consumption and denial of wallet": "denial-of-wallet",
  "vendor tooling limits": "vendor-tooling-limits",
  "external persistent storage": "external-persistent-storage",
  "least-privilege service accounts": "least-privilege-service-accounts",
  "returning only the data required": "return-only-required-data",
  "data leaks beyond the function": "data-leaks-beyond-function",
  "vulnerability scanning of built artifacts": "artifact-vulnerability-scanning",
  "image trust and pinned versions": "image-trust-pinning",
  "image scanning in the registry and at build": "image-scanning",
  "registry access control and signing": "registry-access-signing",
  "not running as root": "container-non-root",
  "namespaces and volumes instead of raw disk": "namespaces-and-volumes",
  "syscall filtering (gVisor, seccomp)": "syscall-filtering",
  "container escape and the shared kernel": "container-escape-shared-kernel",
  orchestration: "orchestration-security",
  "ephemeral logging": "ephemeral-logging",
  "container sprawl": "container-sprawl",
  "resource contention": "resource-contention",
  "OS hardening and NIST checklists": "os-hardening-checklists",
  "minimal running services": "minimal-services",
  "monthly and out-of-band patching": "vm-patching",
  "network misconfiguration": "network-misconfiguration",
  "image maintenance for containers run serverlessly": "serverless-image-maintenance",
  "event-driven triggers and injection": "event-injection",
  "cold starts": "cold-starts",
  "execution time limits": "execution-time-limits",
  "secrets management": "secrets-management",
  "supply-chain attacks": "supply-chain-attacks",
  "shared responsibility": "shared-responsibility",
  "audit visibility": "audit-visibility",
  "excessive permissions": "excessive-function-permissions",
  "insecure function code": "insecure-function-code",
};

describe("knowledge base", () => {
  it("covers every concern from the source articles with at least 30 entries", () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(30);
    const missing = Object.entries(CONCERNS).filter(([, id]) => !kb.entry(id));
    expect(missing).toEqual([]);
  });

  it("keeps each entry's question list in step with the questions that affect it", () => {
    for (const e of kb.entries) {
      const affecting = kb.questions
        .filter((q) => q.options.some((o) => e.id in o.effects))
        .map((q) => q.id)
        .sort();
      expect([...e.questions].sort(), e.id).toEqual(affecting);
    }
  });

  it("prints a version next to every framework id and cites a framework on every entry, articles where they hold it", () => {
    for (const e of kb.entries) {
      expect(e.references.length, e.id).toBeGreaterThan(0);
      for (const r of e.references) expect(r.version.trim(), `${e.id} ${r.id}`).not.toBe("");
    }
  });

  it("asks each deployment model its own questions", () => {
    const only = (w: string) => kb.questions.filter((q) => q.appliesTo.length === 1 && q.appliesTo[0] === w);
    for (const w of ["vm", "container", "serverless"]) expect(only(w).length, w).toBeGreaterThanOrEqual(8);
  });

  it.skipIf(!existsSync(SOURCES))(
    "copies no sentence from the source articles (no shared run of 8 words)",
    () => {
      const words = (s: string) =>
        s
          .toLowerCase()
          .replace(/[^a-z0-9 ]+/g, " ")
          .split(/\s+/)
          .filter(Boolean);
      const shingles = new Set<string>();
      for (const f of readdirSync(SOURCES).filter((n) => n.endsWith(".txt"))) {
        const w = words(readFileSync(join(SOURCES, f), "utf8"));
        for (let i = 0; i + 8 <= w.length; i++) shingles.add(w.slice(i, i + 8).join(" "));
      }
      const dir = join(ROOT, "knowledge");
      const files = ["entries", "questions"].flatMap((d) =>
        readdirSync(join(dir, d)).map((f) => join(dir, d, f)),
      );
      const copied: string[] = [];
      for (const file of files) {
        const w = words(readFileSync(file, "utf8"));
        for (let i = 0; i + 8 <= w.length; i++) {
          const s = w.slice(i, i + 8).join(" ");
          if (shingles.has(s)) copied.push(`${file}: ${s}`);
        }
      }
      expect(copied).toEqual([]);
    },
  );
});

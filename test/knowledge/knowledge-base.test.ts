import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KnowledgeError } from "../../src/core/errors.js";
import { factsIn } from "../../src/core/facts/vocabulary.js";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import type { FactCondition } from "../../src/core/knowledge/schema.js";
import { FrameworkRef, UNVERSIONED_FRAMEWORKS } from "../../src/core/knowledge/schema.js";
import { walkReview } from "../../src/core/review/walk.js";
import { FIXTURE_KB, tempDir } from "../support/core.js";

const kb = loadKnowledgeBase();
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SOURCES = join(ROOT, "..", "shared", "sources");

/** Every concern the source articles raise, and the entry that covers it. */
const CONCERNS: Record<string, string> = {
  "dynamic baselining": "dynamic-baselining",
  "third-party dependency management": "third-party-dependencies",
  // Koptyev's access control limits what each workload can reach.
  "access control over what workloads can reach": "least-privilege-service-accounts",
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

/**
 * Facts no question asks about: only the team's files (Dockerfiles, manifests, templates) can show them.
 * A rule reading any other fact must have a question that sets it.
 */
const FILE_ONLY_FACTS = [
  "container.privilege-escalation",
  "container.sandboxed",
  "data.public-bucket",
  "image.add-remote",
  "image.curl-pipe-shell",
  "image.healthcheck",
  "image.pkg-upgrade",
  "k8s.service-exposed",
];
/** Facts that shape severity (likelihood from exposure, impact from data) rather than a rule. */
const SEVERITY_FACTS = ["exposure.internet", "data.sensitivity"];

const setByQuestions = new Set(kb.questions.flatMap((q) => q.options.flatMap((o) => Object.keys(o.sets))));
const conditions = (): { where: string; c: FactCondition }[] => [
  ...kb.entries.flatMap((e) => [
    ...e.threats.flatMap((t) =>
      [t.when, t.unless].flatMap((c) => (c ? [{ where: `${e.id}/${t.id}`, c }] : [])),
    ),
    ...e.mitigations.flatMap((m) => (m.inPlaceWhen ? [{ where: `${e.id}#${m.id}`, c: m.inPlaceWhen }] : [])),
  ]),
  ...kb.questions.flatMap((q) => (q.askWhen ? [{ where: q.id, c: q.askWhen }] : [])),
];

describe("knowledge base", () => {
  it("covers every concern from the source articles with at least 30 entries", () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(30);
    const missing = Object.entries(CONCERNS).filter(([, id]) => !kb.entry(id));
    expect(missing).toEqual([]);
  });

  it("reads only facts some question sets, apart from the facts only files show", () => {
    const unset = conditions().flatMap(({ where, c }) =>
      factsIn(c)
        .filter((f) => !setByQuestions.has(f) && !FILE_ONLY_FACTS.includes(f))
        .map((f) => `${where} reads ${f}`),
    );
    expect(unset).toEqual([]);
    // The file-only list stays honest: each is in the vocabulary, read by a rule, and asked by no question.
    const read = new Set(conditions().flatMap(({ c }) => factsIn(c)));
    for (const f of FILE_ONLY_FACTS) {
      expect(kb.vocabulary.fact(f), f).toBeDefined();
      expect(read.has(f), f).toBe(true);
      expect(setByQuestions.has(f), f).toBe(false);
    }
  });

  it("uses every fact an answer can set: a rule, a mitigation, a later question or severity reads it", () => {
    const read = new Set([...conditions().flatMap(({ c }) => factsIn(c)), ...SEVERITY_FACTS]);
    expect([...setByQuestions].filter((f) => !read.has(f)).sort()).toEqual([]);
    expect(
      kb.vocabulary.allFacts.map((f) => f.id).filter((f) => !read.has(f) && !setByQuestions.has(f)),
    ).toEqual([]);
  });

  it("gives every threat a stable rule id and every mitigation a threat that names it", () => {
    const ruleIds = kb.entries.flatMap((e) => e.threats.map((t) => `${e.id}/${t.id}`));
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const id of ruleIds) expect(kb.rule(id)?.rule.id, id).toBe(id.split("/")[1]);
    for (const e of kb.entries) {
      expect(e.threats.length, e.id).toBeGreaterThan(0);
      for (const m of e.mitigations)
        expect(
          e.threats.some((t) => t.mitigations.includes(m.id)),
          `${e.id}#${m.id}`,
        ).toBe(true);
      for (const t of e.threats) expect(t.inherent || t.when !== undefined, `${e.id}/${t.id}`).toBe(true);
    }
  });

  it("lets every platform be pinned by its workload's platform question and offered as an undecided candidate", () => {
    const v = kb.vocabulary;
    for (const w of ["vm", "container", "serverless"] as const) {
      const pinning = kb.questions.filter(
        (q) => q.appliesTo.includes(w) && q.options.some((o) => o.platform),
      );
      expect(
        pinning.map((q) => q.id),
        w,
      ).toEqual(["context.platform"]);
      const offered = pinning[0]?.options.filter(
        (o) => !o.platforms || v.resolve(o.platforms).some((p) => v.model(p) === w),
      );
      expect(offered?.map((o) => o.platform).sort(), w).toEqual(v.platformsOf(w).sort());
    }
    const candidates = kb.question("context.candidates");
    expect(candidates?.kind).toBe("multi");
    expect(candidates?.options.map((o) => o.platform).sort()).toEqual([...v.platforms].sort());
  });

  it("rejects a condition naming an unknown fact or value, saying where", () => {
    const { dir, cleanup } = tempDir();
    try {
      cpSync(FIXTURE_KB, dir, { recursive: true });
      const file = join(dir, "entries", "fn-perms.yaml");
      const text = readFileSync(file, "utf8");
      writeFileSync(
        file,
        text
          .replace("when: { fact: fn.wildcard, is: true }", "when: { fact: fn.wildcards, is: true }")
          .replace(
            "inPlaceWhen: { fact: fn.wildcard, is: false }",
            "inPlaceWhen: { fact: exposure.internet, is: maybe }",
          ),
      );
      expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeError);
      expect(() => loadKnowledgeBase(dir)).toThrow(
        /entry fn-perms threat wildcard-role: unknown fact fn\.wildcards/,
      );
      expect(() => loadKnowledgeBase(dir)).toThrow(
        /entry fn-perms mitigation scoped-role: exposure\.internet is true or false/,
      );
    } finally {
      cleanup();
    }
  });

  it("gives a framework id its version exactly where the framework publishes one", () => {
    for (const e of kb.entries) {
      expect(e.references.length, e.id).toBeGreaterThan(0);
      for (const r of e.references) {
        const label = `${e.id} ${r.framework} ${r.id}`;
        if (UNVERSIONED_FRAMEWORKS.has(r.framework)) expect(r.version, label).toBeUndefined();
        else expect(r.version?.trim(), label).toBeTruthy();
      }
    }
    const docker = { framework: "OWASP Docker Top 10", id: "D01", title: "Secure User Mapping" };
    expect(FrameworkRef.safeParse({ ...docker, version: "2023" }).error?.issues[0]?.message).toBe(
      "OWASP Docker Top 10 publishes no version; leave it out",
    );
    expect(
      FrameworkRef.safeParse({ framework: "CIS Docker Benchmark", id: "4.1", title: "x y" }).success,
    ).toBe(false);
  });

  it("states current facts: Kaniko archived, Docker Content Trust retiring, Nitro Enclaves isolate only", () => {
    const text = (id: string) => {
      const e = kb.entry(id);
      return [e?.summary, ...(e?.mitigations.map((m) => m.text) ?? [])].join(" ");
    };
    const build = text("container-escape-shared-kernel");
    expect(build).toMatch(/Kaniko was archived in June 2025/);
    expect(build).not.toMatch(/with rootless BuildKit, Kaniko/);
    expect(text("registry-access-signing")).toMatch(/Docker Content Trust \(Notary v1\) is being retired/);
    const vm = text("hypervisor-isolation");
    expect(vm).toMatch(/Nitro Enclaves isolate processing but do not encrypt memory/);
    expect(vm).not.toMatch(/Nitro\s+Enclaves\) so memory is encrypted/);
  });

  it("asks each platform its own questions, skipping what the platform rules out", () => {
    const asked = (platform: string) => {
      const workload = kb.vocabulary.model(platform);
      if (!workload) throw new Error(platform);
      const at = "2026-01-01T00:00:00.000Z";
      return walkReview(kb, {
        workload,
        answers: [
          { questionId: "context.platform", value: { kind: "choice", value: platform }, actor: "a", at },
        ],
        finished: false,
        fileFacts: [],
      }).questions.map((q) => q.id);
    };
    const images = (ids: string[]) => ids.filter((id) => id.startsWith("images."));
    expect(images(asked("lambda-zip"))).toEqual([]);
    expect(images(asked("lambda-image"))).toEqual(["images.reference", "images.pipeline"]);
    expect(asked("ecs-fargate")).not.toContain("nodes.setup");
    expect(asked("ecs-ec2")).toContain("nodes.setup");
    expect(asked("ecs-fargate")).not.toContain("k8s.cluster");
    expect(asked("eks")).toContain("k8s.cluster");
    expect(asked("cloud-vm")).toContain("vm.patching");
    // Every platform's list stays short even before answers close branches (the data-protection and
    // operations questions make the longest 18; public data skips one; functions add who may publish to
    // their event sources, which HTTP-only functions skip), and models differ.
    for (const p of kb.vocabulary.platforms)
      expect(asked(p).length, p).toBeLessThanOrEqual(p.startsWith("lambda") ? 19 : 18);
    const [vm, container, serverless] = ["cloud-vm", "eks", "lambda-zip"].map((p) => new Set(asked(p)));
    expect(
      [...(vm ?? [])].filter((q) => !container?.has(q) && !serverless?.has(q)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      [...(container ?? [])].filter((q) => !vm?.has(q) && !serverless?.has(q)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      [...(serverless ?? [])].filter((q) => !vm?.has(q) && !container?.has(q)).length,
    ).toBeGreaterThanOrEqual(3);
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
      const files = ["entries", "questions"]
        .flatMap((d) => readdirSync(join(dir, d)).map((f) => join(dir, d, f)))
        .concat(join(dir, "claims.yaml"));
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

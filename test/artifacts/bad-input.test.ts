import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanFiles, scanPaths } from "../../src/artifacts/scan.js";
import { ARTIFACTS, TODAY } from "./support.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "threatbot-artifacts-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("malformed files", () => {
  it("name the file and line, and the other files are still read", async () => {
    const scan = await scanPaths([join(ARTIFACTS, "bad"), join(ARTIFACTS, "docker")], { today: TODAY });
    const problem = (file: string) => scan.problems.find((p) => p.file === file);
    expect(problem("broken.tf")).toMatchObject({
      line: 3,
      message: expect.stringContaining("Invalid expression"),
    });
    expect(problem("cfn-broken.json")).toMatchObject({ line: 4 });
    expect(problem("compose-broken.yml")).toMatchObject({ line: 6 });
    expect(problem("unknown.json")?.message).toContain("not a Dockerfile, Kubernetes manifest");
    expect(scan.facts.some((f) => f.file === "latest.Dockerfile")).toBe(true);
  });

  it("keep the good documents of a multi-document stream with a broken one in the middle", async () => {
    const scan = await scanPaths([join(ARTIFACTS, "k8s", "multi-doc-broken.yaml")], { today: TODAY });
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0]).toMatchObject({ line: 12, message: expect.stringContaining("same column") });
    const facts = scan.facts.map((f) => `${f.fact}=${f.value}@${f.line}`);
    expect(facts).toContain("k8s.service-exposed=true@6");
    expect(facts).toContain("container.host-namespaces=true@20");
  });

  it("stop an alias bomb instead of expanding it", async () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 12 }, (_, i) => {
        const prev = i === 0 ? "a" : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
      "apiVersion: v1",
      "kind: Pod",
    ].join("\n");
    const scan = await scanFiles([{ file: "bomb.yaml", text: bomb }], { today: TODAY });
    expect(scan.facts).toEqual([]);
    expect(scan.problems).toEqual([
      { file: "bomb.yaml", line: 1, message: expect.stringContaining("alias") },
    ]);
  });
});

describe("files that are refused", () => {
  it("refuses binary files, and skips files that are not infrastructure in a folder walk", async () => {
    const scan = await scanPaths([join(ARTIFACTS, "bad")], { today: TODAY });
    expect(scan.refused).toEqual([{ file: "binary.yaml", reason: expect.stringContaining("binary") }]);
    expect(scan.files.map((f) => f.file)).not.toContain("notes.md");
    expect(scan.problems.map((p) => p.file)).not.toContain("notes.md");
  });

  it("refuses files over the size cap and reads the rest", async () => {
    writeFileSync(
      join(dir, "huge.yaml"),
      `apiVersion: v1\nkind: ConfigMap\ndata:\n  blob: "${"x".repeat(1024 * 1024)}"\n`,
    );
    writeFileSync(join(dir, "Dockerfile"), "FROM node:latest\n");
    const scan = await scanPaths([dir], { today: TODAY });
    expect(scan.refused).toEqual([
      { file: "huge.yaml", reason: expect.stringContaining("larger than 1024 KiB") },
    ]);
    expect(scan.facts.map((f) => f.fact)).toContain("image.ref");
  });

  it("refuses symlinks that point outside the folder, and follows those inside it", async () => {
    const outside = mkdtempSync(join(tmpdir(), "threatbot-outside-"));
    try {
      writeFileSync(join(outside, "Dockerfile"), "FROM node:latest\n");
      mkdirSync(join(dir, "app"));
      writeFileSync(join(dir, "app", "real.Dockerfile"), "FROM node:20.11\nUSER node\n");
      symlinkSync(join(outside, "Dockerfile"), join(dir, "app", "Dockerfile"));
      symlinkSync(join(dir, "app", "real.Dockerfile"), join(dir, "inside.Dockerfile"));
      const scan = await scanPaths([dir], { today: TODAY });
      expect(scan.refused).toEqual([
        { file: "app/Dockerfile", reason: expect.stringContaining("outside the folder") },
      ]);
      expect(
        scan.facts
          .filter((f) => f.fact === "image.ref")
          .map((f) => `${f.file}:${f.value}`)
          .sort(),
      ).toEqual(["app/real.Dockerfile:version-tag", "inside.Dockerfile:version-tag"]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("shows files under a folder named by a relative path with that path, as code-scanning views expect", async () => {
    const scan = await scanPaths(["./test/fixtures/artifacts/stories/legacy-crm-vm/"], { today: TODAY });
    expect(new Set(scan.facts.map((f) => f.file))).toEqual(
      new Set([
        "test/fixtures/artifacts/stories/legacy-crm-vm/iam.tf",
        "test/fixtures/artifacts/stories/legacy-crm-vm/main.tf",
      ]),
    );
  });

  it("names a path that does not exist", async () => {
    const scan = await scanPaths([join(dir, "missing")], { today: TODAY });
    expect(scan.refused).toEqual([{ file: join(dir, "missing"), reason: "no such file or folder" }]);
  });
});

describe("parsing executes nothing", () => {
  it("reads build steps, provisioners and shell commands without running them", async () => {
    const marker = join(dir, "ran");
    writeFileSync(
      join(dir, "Dockerfile"),
      `FROM alpine:3.20\nRUN touch ${marker}\nHEALTHCHECK CMD touch ${marker}\n`,
    );
    writeFileSync(
      join(dir, "main.tf"),
      `resource "null_resource" "x" {\n  provisioner "local-exec" {\n    command = "touch ${marker}"\n  }\n}\n`,
    );
    writeFileSync(
      join(dir, "docker-compose.yml"),
      `services:\n  a:\n    image: alpine:3.20\n    command: touch ${marker}\n`,
    );
    const scan = await scanPaths([dir], { today: TODAY });
    expect(scan.files.map((f) => f.file).sort()).toEqual(["Dockerfile", "docker-compose.yml", "main.tf"]);
    expect(existsSync(marker)).toBe(false);
  });
});

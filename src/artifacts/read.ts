import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { basename, isAbsolute, join, posix, relative, sep } from "node:path";

/** A file given for scanning, with the path shown in evidence. */
export interface InputFile {
  /** As the team gave it, relative to the folder they named. */
  file: string;
  text: string;
  /** Set for a file read in a folder walk, whose siblings were read too. */
  walk?: WalkedFrom;
}

/** Where a walked file sits in the folder given, and what in that folder bears on CI but was not read. */
export interface WalkedFrom {
  /** Path inside the folder given (`.github/workflows/ci.yml`). */
  path: string;
  /** Pipeline definitions of other CI systems and refused files in the folder; shared by the walk. */
  unread: string[];
}

/** A file that was not read, and why. */
export interface Refusal {
  file: string;
  reason: string;
}

export const MAX_FILE_BYTES = 1024 * 1024;

// Folders of tools and dependencies, never the team's own infrastructure files.
const SKIP_DIRS = new Set([
  "node_modules",
  ".git",
  ".terraform",
  ".serverless",
  ".aws-sam",
  "dist",
  "vendor",
]);

/** Names a folder walk picks up; a file named on the command line is read whatever its name. */
export function looksLikeArtifact(name: string): boolean {
  return (
    /^(?:Dockerfile|Containerfile)(?:[.-].*)?$/i.test(name) ||
    /\.(?:dockerfile|ya?ml|json|tf|template)$/i.test(name) ||
    name === ".renovaterc"
  );
}

/** Lock files of package managers: their presence pins dependencies, so their content is not read. */
export const LOCKFILE =
  /^(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|poetry\.lock|Pipfile\.lock|uv\.lock|pdm\.lock|Gemfile\.lock|go\.sum|Cargo\.lock|composer\.lock|packages\.lock\.json|gradle\.lockfile|mix\.lock|pubspec\.lock)$/;

// In .github only the CI configuration is read: workflows, Dependabot and Renovate (not issue templates).
const GITHUB_CI = /^(?:workflows\/[^/]+\.ya?ml|dependabot\.ya?ml|renovate\.json)$/i;
// Pipelines of other CI systems: a folder holding one is not wholly described by the files read.
const OTHER_PIPELINES = new Set([
  "Jenkinsfile",
  ".circleci",
  ".travis.yml",
  "azure-pipelines.yml",
  "bitbucket-pipelines.yml",
  "buildspec.yml",
  "buildspec.yaml",
  ".drone.yml",
  "cloudbuild.yaml",
  "cloudbuild.yml",
  ".buildkite",
  ".woodpecker.yml",
]);

/**
 * Read the files and folders named. Nothing is executed or fetched: files are read as text. Refused:
 * files over the size cap, binary files, and symlinks in a folder that point outside it.
 */
export async function readInputs(
  inputs: readonly string[],
  maxBytes = MAX_FILE_BYTES,
): Promise<{ files: InputFile[]; refused: Refusal[] }> {
  const files: InputFile[] = [];
  const refused: Refusal[] = [];
  for (const input of inputs) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(input);
    } catch {
      refused.push({ file: input, reason: "no such file or folder" });
      continue;
    }
    if (info.isDirectory()) {
      const root = await realpath(input);
      // A folder named by a relative path keeps it in evidence (infra/main.tf), so code-scanning views
      // place results in the repository; an absolute one is shown relative to itself.
      const prefix = isAbsolute(input)
        ? ""
        : posix.normalize(input.split(sep).join("/")).replace(/^\.\/?$|\/$/g, "");
      await walk(root, root, files, refused, maxBytes, prefix, []);
    } else if (LOCKFILE.test(basename(input))) {
      files.push({ file: input, text: "" });
    } else {
      await readOne(input, input, files, refused, maxBytes);
    }
  }
  return { files, refused };
}

async function walk(
  root: string,
  dir: string,
  files: InputFile[],
  refused: Refusal[],
  maxBytes: number,
  prefix: string,
  unread: string[],
): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = relative(root, full).split(sep).join("/");
    const shown = prefix ? `${prefix}/${rel}` : rel;
    if (OTHER_PIPELINES.has(entry.name)) unread.push(shown);
    const inGithub = /(?:^|\/)\.github\/(.*)$/.exec(rel)?.[1];
    if (entry.isDirectory()) {
      if (entry.name === CDK_OUT)
        await cdkTemplates(full, prefix ? `${prefix}/${rel}` : rel, files, refused, maxBytes);
      else if (!SKIP_DIRS.has(entry.name) && (!entry.name.startsWith(".") || entry.name === ".github"))
        await walk(root, full, files, refused, maxBytes, prefix, unread);
      continue;
    }
    // Generated and often over the size cap: a lock file counts by being there.
    if (inGithub === undefined && LOCKFILE.test(entry.name) && entry.isFile()) {
      files.push({ file: shown, text: "", walk: { path: rel, unread } });
      continue;
    }
    if (inGithub !== undefined ? !GITHUB_CI.test(inGithub) : !looksLikeArtifact(entry.name)) continue;
    const before = refused.length;
    // A refused file may be a pipeline: what it runs is unknown, so the folder no longer settles a "never".
    if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (!target || (target !== root && !target.startsWith(root + sep))) {
        refused.push({
          file: shown,
          reason: "a symbolic link to a file outside the folder given; copy the file in instead",
        });
        unread.push(shown);
        continue;
      }
      if (!(await lstat(target)).isFile()) continue;
    } else if (!entry.isFile()) continue;
    await readOne(full, shown, files, refused, maxBytes);
    const read = files[files.length - 1];
    if (refused.length > before) unread.push(shown);
    else if (read?.file === shown) read.walk = { path: rel, unread };
  }
}

// The CDK writes each stack it synthesises as `<Stack>.template.json` at the top of cdk.out; the rest of
// the folder is bundled function code, asset manifests and the construct tree, none of it the team's.
const CDK_OUT = "cdk.out";
const CDK_TEMPLATE = /\.template\.json$/;

/** The stack templates of a CDK app's cdk.out folder: the infrastructure a CDK app deploys, resolved. */
async function cdkTemplates(
  dir: string,
  shown: string,
  files: InputFile[],
  refused: Refusal[],
  maxBytes: number,
): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries)
    if (entry.isFile() && CDK_TEMPLATE.test(entry.name))
      await readOne(join(dir, entry.name), `${shown}/${entry.name}`, files, refused, maxBytes);
}

async function readOne(
  path: string,
  shown: string,
  files: InputFile[],
  refused: Refusal[],
  maxBytes: number,
): Promise<void> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      refused.push({
        file: shown,
        reason: `larger than ${Math.round(maxBytes / 1024)} KiB (${size} bytes); give the file that describes the workload, not generated output`,
      });
      return;
    }
    const bytes = await handle.readFile();
    const refusal = binaryReason(bytes);
    if (refusal) {
      refused.push({ file: shown, reason: refusal });
      return;
    }
    files.push({ file: shown || basename(path), text: bytes.toString("utf8").replace(/^\uFEFF/, "") });
  } finally {
    await handle.close();
  }
}

/** A NUL byte or bytes that are not UTF-8 mean the file is not a text configuration file. */
export function binaryReason(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0))
    return "a binary file (it contains NUL bytes); only text configuration files are read";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "not UTF-8 text; only text configuration files are read";
  }
  return undefined;
}

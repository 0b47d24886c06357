import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { basename, isAbsolute, join, posix, relative, sep } from "node:path";

/** A file given for scanning, with the path shown in evidence. */
export interface InputFile {
  /** As the team gave it, relative to the folder they named. */
  file: string;
  text: string;
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
  "cdk.out",
  "dist",
  "vendor",
]);

/** Names a folder walk picks up; a file named on the command line is read whatever its name. */
export function looksLikeArtifact(name: string): boolean {
  return (
    /^(?:Dockerfile|Containerfile)(?:[.-].*)?$/i.test(name) ||
    /\.(?:dockerfile|ya?ml|json|tf|template)$/i.test(name)
  );
}

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
      await walk(root, root, files, refused, maxBytes, prefix);
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
): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = relative(root, full).split(sep).join("/");
    const shown = prefix ? `${prefix}/${rel}` : rel;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith("."))
        await walk(root, full, files, refused, maxBytes, prefix);
      continue;
    }
    if (!looksLikeArtifact(entry.name)) continue;
    if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (!target || (target !== root && !target.startsWith(root + sep))) {
        refused.push({
          file: shown,
          reason: "a symbolic link to a file outside the folder given; copy the file in instead",
        });
        continue;
      }
      if (!(await lstat(target)).isFile()) continue;
    } else if (!entry.isFile()) continue;
    await readOne(full, shown, files, refused, maxBytes);
  }
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

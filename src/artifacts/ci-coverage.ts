import type { FileFact } from "../core/facts/state.js";
import type { PipelineSummary } from "./ci-workflows.js";
import type { WalkedFrom } from "./read.js";

/** One pipeline file read, with where it came from and what it does as a whole. */
export interface PipelineRead {
  file: string;
  walk: WalkedFrom | undefined;
  summary: PipelineSummary;
  /** The line a fact about the whole file points at. */
  line: number;
}

const IN_WORKFLOWS = /(?:^|\/)\.github\/workflows\/[^/]+$/;

/**
 * Facts only the complete set of a repository's pipelines decides: no pipeline scans dependencies, and
 * images are built but no pipeline scans them. Safe only when a folder holding `.github/workflows` was
 * walked (so every workflow was read), none failed to parse or was refused, no other CI system's
 * pipeline sits in the folder, and no workflow hands steps to files not read (reusable workflows of
 * other repositories, local actions). Otherwise nothing is said: a missing scan in a partial set of
 * files is not evidence.
 */
export function pipelineNegatives(pipelines: readonly PipelineRead[], unreadable: boolean): FileFact[] {
  // Only GitHub workflows: GitLab can add scanning jobs from security policies kept outside the repository.
  const complete =
    !unreadable &&
    pipelines.length > 0 &&
    pipelines.every(
      (p) =>
        p.walk &&
        IN_WORKFLOWS.test(p.walk.path) &&
        p.walk.unread.length === 0 &&
        p.summary.hidden === undefined,
    );
  if (!complete) return [];
  const facts: FileFact[] = [];
  const first = pipelines[0];
  const n = pipelines.length;
  const read = `${n} pipeline file${n === 1 ? "" : "s"} read`;
  if (first && !pipelines.some((p) => p.summary.scansDeps)) {
    facts.push({
      fact: "deps.scanning",
      value: false,
      file: first.file,
      line: first.line,
      excerpt: `no step scans dependencies (${read})`,
    });
  }
  const builder = pipelines.find((p) => p.summary.buildsImage);
  if (builder && !pipelines.some((p) => p.summary.scansImage)) {
    facts.push({
      fact: "image.scanning",
      value: false,
      file: builder.file,
      line: builder.line,
      excerpt: `images are built but no step scans them (${read})`,
    });
  }
  return facts;
}

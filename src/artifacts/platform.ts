import type { PlatformHint } from "./findings.js";

export interface PlatformEvidence {
  file: string;
  line: number;
  excerpt: string;
  reason: string;
}

/** The answer the files suggest for the platform question; the team confirms it. */
export interface PlatformProposal {
  /** Set when the files settle it. */
  platform: string | undefined;
  /** The platforms still possible when they do not. */
  candidates: string[];
  evidence: PlatformEvidence[];
  note: string;
}

/**
 * Combine what each file says about the platform. A resource that names one platform (an EKS cluster,
 * a Fargate service, PackageType Image) narrows the broad hints (a Deployment runs on EKS or on a
 * self-managed cluster); when nothing narrows them, the candidates are proposed and the team picks.
 */
export function proposePlatform(
  hints: (PlatformHint & { file: string; line: number; excerpt: string })[],
): PlatformProposal | undefined {
  if (hints.length === 0) return undefined;
  const specific = new Set(hints.filter((h) => h.platforms.length === 1).flatMap((h) => h.platforms));
  // A broad hint adds its platforms only when no specific one already settles it.
  const open = hints.filter((h) => h.platforms.length > 1 && !h.platforms.some((p) => specific.has(p)));
  const candidates = [...new Set([...specific, ...open.flatMap((h) => h.platforms)])];
  const evidence = hints.map((h) => ({ file: h.file, line: h.line, excerpt: h.excerpt, reason: h.reason }));
  if (candidates.length === 1) {
    const platform = candidates[0];
    return { platform, candidates, evidence, note: `the files show ${platform}` };
  }
  const note =
    open.length > 0 && specific.size === 0
      ? `${[...new Set(open.map((h) => h.reason))].join("; ")}: confirm which one`
      : `the files show several platforms (${candidates.join(", ")}): pick the one this review is about`;
  return { platform: undefined, candidates, evidence, note };
}

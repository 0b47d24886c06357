import { asArray, asString, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";

// Operating system releases found in public AMI names, and the day each vendor's standard support ended
// (or ends), from the vendors' published lifecycle pages as of November 2026. Paid extended support (ESM,
// ELS, ESU) is not counted: a team on it would say so when asked. Releases not listed are left to the team.
const RELEASES: { pattern: RegExp; release: string; endOfSupport: string }[] = [
  { pattern: /ubuntu[^/]*?(?:trusty|14\.04)/i, release: "Ubuntu 14.04", endOfSupport: "2019-04-30" },
  { pattern: /ubuntu[^/]*?(?:xenial|16\.04)/i, release: "Ubuntu 16.04", endOfSupport: "2021-04-30" },
  { pattern: /ubuntu[^/]*?(?:bionic|18\.04)/i, release: "Ubuntu 18.04", endOfSupport: "2023-05-31" },
  { pattern: /ubuntu[^/]*?(?:focal|20\.04)/i, release: "Ubuntu 20.04", endOfSupport: "2025-05-31" },
  { pattern: /ubuntu[^/]*?(?:jammy|22\.04)/i, release: "Ubuntu 22.04", endOfSupport: "2027-04-30" },
  { pattern: /ubuntu[^/]*?(?:noble|24\.04)/i, release: "Ubuntu 24.04", endOfSupport: "2029-04-30" },
  { pattern: /centos[ _-]?(?:linux[ _-]?)?6\b/i, release: "CentOS 6", endOfSupport: "2020-11-30" },
  { pattern: /centos[ _-]?(?:linux[ _-]?)?7\b/i, release: "CentOS 7", endOfSupport: "2024-06-30" },
  { pattern: /centos[ _-]?(?:linux[ _-]?)?8\b/i, release: "CentOS 8", endOfSupport: "2021-12-31" },
  { pattern: /^RHEL-6\./i, release: "RHEL 6", endOfSupport: "2020-11-30" },
  { pattern: /^RHEL-7\./i, release: "RHEL 7", endOfSupport: "2024-06-30" },
  { pattern: /^RHEL-9\./i, release: "RHEL 9", endOfSupport: "2032-05-31" },
  { pattern: /^debian-(?:9|stretch)-/i, release: "Debian 9", endOfSupport: "2022-06-30" },
  { pattern: /^debian-(?:10|buster)-/i, release: "Debian 10", endOfSupport: "2024-06-30" },
  { pattern: /^debian-12-/i, release: "Debian 12", endOfSupport: "2028-06-30" },
  { pattern: /^amzn-ami-/i, release: "Amazon Linux (2018.03)", endOfSupport: "2023-12-31" },
  { pattern: /^amzn2-ami-/i, release: "Amazon Linux 2", endOfSupport: "2026-06-30" },
  { pattern: /^al2023-ami-/i, release: "Amazon Linux 2023", endOfSupport: "2029-06-30" },
  { pattern: /^Windows_Server-2008-/i, release: "Windows Server 2008", endOfSupport: "2020-01-14" },
  { pattern: /^Windows_Server-2012-/i, release: "Windows Server 2012", endOfSupport: "2023-10-10" },
  { pattern: /^Windows_Server-2016-/i, release: "Windows Server 2016", endOfSupport: "2027-01-12" },
  { pattern: /^Windows_Server-2022-/i, release: "Windows Server 2022", endOfSupport: "2031-10-14" },
];

/** The release an AMI name names, with whether its vendor support has ended on `today`. */
export function osRelease(amiName: string, today: Date): { release: string; ended: boolean } | undefined {
  const hit = RELEASES.find((r) => r.pattern.test(amiName));
  return hit && { release: hit.release, ended: new Date(hit.endOfSupport) <= today };
}

/**
 * An AMI looked up by name (`data "aws_ami"` with a `name` filter): the files launch their VMs from the
 * image it finds, so the release in its name is the VMs' OS.
 */
export function amiLookupFacts(
  f: Findings,
  values: Record<string, unknown>,
  path: PathStep[],
  today: Date,
): void {
  asArray(values.filter).forEach((filter, i) => {
    if (!isRecord(filter) || filter.name !== "name") return;
    for (const v of asArray(at(filter, "values"))) {
      const name = asString(v);
      const os = name === undefined ? undefined : osRelease(name, today);
      if (!os) continue;
      const support = os.ended ? "past vendor support" : "still supported";
      f.add(
        "host.os-end-of-life",
        os.ended,
        [...path, "filter", i, "values"],
        `${os.release} (${support}): ${name}`,
      );
    }
  });
}

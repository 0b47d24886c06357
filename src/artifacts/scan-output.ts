import { z } from "zod";
import { FileFactSchema } from "../core/facts/file-fact.js";
import { ModelThreat, type ThreatModel } from "../core/threats/model.js";
import type { ScanResult } from "./scan.js";

/** `threatbot scan --format json`: what the files showed and the threats it confirms, in the export's shape. */
export const ScanReport = z.strictObject({
  workload: z.string(),
  platform: z.string().optional(),
  facts: z.array(
    FileFactSchema.pick({ fact: true, value: true, file: true, line: true, excerpt: true, resource: true }),
  ),
  threats: z.array(ModelThreat),
  /** Confirmed Critical or High threats not in the baseline review (all of them without a baseline). */
  newHighThreats: z.array(z.string()),
  problems: z.array(z.strictObject({ file: z.string(), line: z.number().int(), message: z.string() })),
  refused: z.array(z.strictObject({ file: z.string(), reason: z.string() })),
});
export type ScanReport = z.infer<typeof ScanReport>;

export function scanReport(scan: ScanResult, model: ThreatModel, newHigh: readonly string[]): ScanReport {
  return ScanReport.parse({
    workload: model.review.workload,
    ...(model.review.platformsConfirmed && model.review.platforms.length === 1
      ? { platform: model.review.platforms[0] }
      : {}),
    facts: scan.facts.map(({ fact, value, file, line, excerpt, resource }) => ({
      fact,
      value,
      file,
      line,
      excerpt,
      ...(resource ? { resource } : {}),
    })),
    threats: model.threats.filter((t) => t.evidence === "confirmed"),
    newHighThreats: [...newHigh],
    problems: scan.problems,
    refused: scan.refused,
  });
}

/** A short Markdown report for CI logs: files read, facts with their lines, confirmed threats. */
export function scanMarkdown(scan: ScanResult, model: ThreatModel, newHigh: readonly string[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/`/g, "'");
  const lines = [`# Threatbot scan (${model.review.workload})`, ""];
  if (scan.platform)
    lines.push(
      `Platform: ${scan.platform.platform ?? scan.platform.candidates.join(" or ")} (${scan.platform.note}).`,
      "",
    );
  lines.push("## Facts from the files", "", "| fact | value | evidence |", "| --- | --- | --- |");
  for (const f of scan.facts)
    lines.push(`| ${f.fact} | ${String(f.value)} | \`${cell(`${f.file}:${f.line} ${f.excerpt}`)}\` |`);
  const confirmed = model.threats.filter((t) => t.evidence === "confirmed");
  lines.push("", `## Confirmed threats (${confirmed.length})`, "");
  for (const t of confirmed) {
    const why = t.because
      .map((b) =>
        b.source.kind === "file"
          ? `${b.source.file}:${b.source.line} ${b.source.excerpt}`
          : `${b.source.questionId}: ${b.source.answer}`,
      )
      .join("; ");
    const flag = newHigh.includes(t.ruleId) ? " **new**" : "";
    lines.push(`- **${t.severity}**${flag} \`${t.ruleId}\`: ${t.statement}`, `  - why: ${cell(why)}`);
  }
  if (scan.problems.length + scan.refused.length > 0) {
    lines.push("", "## Not read", "");
    for (const p of scan.problems) lines.push(`- ${p.file}:${p.line}: ${p.message}`);
    for (const r of scan.refused) lines.push(`- ${r.file}: ${r.reason}`);
  }
  return `${lines.join("\n")}\n`;
}

/** What could not be read, one warning line each: a scan never drops a file silently. */
export function scanWarnings(scan: ScanResult): string[] {
  return [
    ...scan.problems.map((p) => `warning: ${p.file}:${p.line}: ${p.message}`),
    ...scan.refused.map((r) => `warning: ${r.file}: not read: ${r.reason}`),
  ];
}

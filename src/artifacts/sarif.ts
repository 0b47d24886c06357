import type { Log, ReportingDescriptor, Result } from "sarif";

/** What SARIF needs of a threat: the export's rule id, wording, severity and the file lines it rests on. */
export interface SarifThreat {
  ruleId: string;
  statement: string;
  severity: "critical" | "high" | "medium" | "low";
  because: {
    fact: string;
    value: string | boolean;
    source: { kind: string; file?: string; line?: number; excerpt?: string };
  }[];
}

// GitHub code scanning ranks security results by this CVSS-like score; SARIF's own levels are coarser.
const SECURITY_SEVERITY = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0" } as const;
const LEVEL = { critical: "error", high: "error", medium: "warning", low: "note" } as const;

/**
 * A SARIF 2.1.0 log of confirmed threats: one rule per threat rule id, one result per threat, located at
 * every file line its facts came from, so code-scanning views show them on the lines that caused them.
 */
export function toSarif(threats: readonly SarifThreat[], tool: { name: string }): Log {
  const rules = new Map<string, ReportingDescriptor>();
  const results: Result[] = [];
  for (const t of threats) {
    if (!rules.has(t.ruleId)) {
      rules.set(t.ruleId, {
        id: t.ruleId,
        name: t.ruleId.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
          c ? c.toUpperCase() : "",
        ),
        shortDescription: {
          text: t.statement.length > 200 ? `${t.statement.slice(0, 197)}...` : t.statement,
        },
        fullDescription: { text: t.statement },
        defaultConfiguration: { level: LEVEL[t.severity] },
        properties: {
          tags: ["security", "threat-model"],
          "security-severity": SECURITY_SEVERITY[t.severity],
        },
      });
    }
    const files = t.because.flatMap((b) =>
      b.source.kind === "file" && b.source.file && b.source.line
        ? [{ ...b, file: b.source.file, line: b.source.line }]
        : [],
    );
    const evidence = files.map((f) => `${f.file}:${f.line} ${f.source.excerpt ?? ""}`.trim());
    results.push({
      ruleId: t.ruleId,
      ruleIndex: [...rules.keys()].indexOf(t.ruleId),
      level: LEVEL[t.severity],
      message: {
        text: evidence.length > 0 ? `${t.statement} Evidence: ${evidence.join("; ")}` : t.statement,
      },
      locations: files.map((f) => ({
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file) },
          region: { startLine: Math.max(1, f.line) },
        },
      })),
      partialFingerprints: { threatRule: `${t.ruleId}:${files.map((f) => `${f.file}:${f.line}`).join(",")}` },
    });
  }
  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            rules: [...rules.values()],
          },
        },
        results,
      },
    ],
  };
}

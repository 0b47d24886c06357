/** One measured figure, printed next to its baseline from the same run when there is one. */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number } | undefined;
  target?: string | undefined;
  /** Whether the figure meets its target; undefined when there is no target. */
  met?: boolean | undefined;
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);

export function printSection(title: string, rows: BenchRow[]): void {
  process.stdout.write(`\n## ${title}\n`);
  for (const r of rows) {
    const base = r.baseline
      ? ` | ${r.baseline.label}: ${fmt(r.baseline.value)} ${r.unit} | ratio ${fmt(r.value / r.baseline.value)}x`
      : "";
    const target = r.target ? ` | target ${r.target}: ${r.met ? "met" : "NOT met"}` : "";
    process.stdout.write(`- ${r.metric}: ${fmt(r.value)} ${r.unit}${base}${target}\n`);
  }
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

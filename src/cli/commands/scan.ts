import { writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { v5 as uuidv5 } from "uuid";
import { InputError, NewFindingsError } from "../../core/errors.js";
import type { WorkloadName } from "../../core/knowledge/workloads.js";
import type { Threatbot } from "../../core/open.js";
import { reviewId, workloadArg } from "../args.js";
import type { CliIo } from "../program.js";

// Scans are not stored reviews; their threat ids come from the files scanned, so reruns give the same ids.
const SCAN_NAMESPACE = "4f0c8d62-3e0b-5a1f-9c57-2d4b8e6a9f13";

interface ScanOptions {
  workload?: WorkloadName;
  format: "md" | "json" | "sarif";
  baseline?: number;
  out?: string;
}

/** `threatbot scan <file-or-dir>…`: facts from the files and the threats they confirm, for CI. */
export function registerScan(program: Command, io: CliIo, open: () => Promise<Threatbot>): void {
  program
    .command("scan")
    .description(
      "read Dockerfiles, manifests, templates and Terraform; print the facts and confirmed threats",
    )
    .argument("<paths...>", "files or folders to read (nothing is fetched or run)")
    .addOption(
      new Option(
        "--workload <workload>",
        "vm, container, serverless or undecided (default: from the files)",
      ).argParser(workloadArg),
    )
    .addOption(
      new Option("--format <format>", "md, json or sarif").choices(["md", "json", "sarif"]).default("md"),
    )
    .option(
      "--baseline <review-id>",
      "fail only on Critical or High threats this stored review does not have",
      reviewId,
    )
    .option("--out <file>", "write the report to a file instead of standard output")
    .action(async (paths: string[], o: ScanOptions) => {
      const [
        { scanPaths },
        { factsForReview, workloadOf },
        { loadKnowledgeBase },
        { initialState },
        { deriveThreatModel },
      ] = await Promise.all([
        import("../../artifacts/scan.js"),
        import("../../artifacts/for-review.js"),
        import("../../core/knowledge/load.js"),
        import("../../core/review/engine.js"),
        import("../../core/threats/derive.js"),
      ]);
      const kb = loadKnowledgeBase(io.env.THREATBOT_KNOWLEDGE || undefined);
      const scan = await scanPaths(paths);
      const { scanWarnings } = await import("../../artifacts/scan-output.js");
      for (const w of scanWarnings(scan)) process.stderr.write(`${w}\n`);
      if (scan.files.length === 0)
        throw new InputError(`No infrastructure files could be read from ${paths.join(", ")}.`);
      const workload = o.workload ?? workloadOf(scan, kb.vocabulary);
      if (!workload) {
        throw new InputError(
          `The files do not show one kind of workload (${scan.platform?.candidates.join(", ") || "no platform found"}); give --workload vm, container, serverless or undecided.`,
        );
      }
      const at = new Date().toISOString();
      const uuid = uuidv5(
        scan.files
          .map((f) => f.file)
          .sort()
          .join("\n"),
        SCAN_NAMESPACE,
      );
      const model = deriveThreatModel(
        kb,
        { id: 1, uuid, name: `scan of ${paths.join(", ")}`, workload, createdBy: io.user, createdAt: at },
        { ...initialState(workload, factsForReview(scan)), finished: true },
        { version: 1, generatedAt: at },
      );
      const baseline =
        o.baseline === undefined ? undefined : (await open()).reviews.threatModel(o.baseline).model;
      const known = new Set(
        baseline?.threats.filter((t) => t.evidence === "confirmed").map((t) => t.ruleId) ?? [],
      );
      const newHigh = model.threats
        .filter((t) => t.evidence === "confirmed" && (t.severity === "critical" || t.severity === "high"))
        .map((t) => t.ruleId)
        .filter((id) => !known.has(id));
      const text = await render(o.format, scan, model, newHigh);
      if (o.out) writeFileSync(o.out, text);
      else io.stdout.write(text);
      if (newHigh.length > 0) throw new NewFindingsError([...new Set(newHigh)]);
    });
}

async function render(
  format: ScanOptions["format"],
  ...args: Parameters<typeof import("../../artifacts/scan-output.js").scanReport>
): Promise<string> {
  const out = await import("../../artifacts/scan-output.js");
  if (format === "json") return `${JSON.stringify(out.scanReport(...args), null, 2)}\n`;
  if (format === "md") return out.scanMarkdown(...args);
  const { toSarif } = await import("../../artifacts/sarif.js");
  const confirmed = args[1].threats.filter((t) => t.evidence === "confirmed");
  return `${JSON.stringify(toSarif(confirmed, { name: "Threatbot" }), null, 2)}\n`;
}

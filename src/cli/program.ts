import { writeFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { Command, Option } from "commander";
import { InputError } from "../core/errors.js";
import type { WorkloadName } from "../core/knowledge/workloads.js";
import type { Threatbot } from "../core/open.js";
import type { RawAnswers } from "../core/review/service.js";
import { reviewId, workloadArg } from "./args.js";
import { registerAsk } from "./commands/ask.js";
import { registerScan } from "./commands/scan.js";
import { assertPlainKeys, checkOutputPath, readTextInput } from "./input-files.js";
import { LineReader } from "./line-reader.js";
import { runTerminalReview } from "./terminal-review.js";

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  /** Warnings, notes and errors; injectable so tests run the CLI in-process. */
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Who is answering, recorded in the answer log. */
  user: string;
}

const MAX_ANSWERS_FILE = 1024 * 1024;

async function readAnswersFile(path: string): Promise<RawAnswers> {
  const [{ load: parseYaml }, { z }] = await Promise.all([import("js-yaml"), import("zod")]);
  const RawAnswersFile = z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()])).min(1)], {
      error:
        "each answer must be a string, number or boolean (an option value, label or number, 'unsure', 'skip', or text), or a list of options for a multi-select question",
    }),
  );
  const text = readTextInput(path, "the answers file", MAX_ANSWERS_FILE);
  let data: unknown;
  try {
    data = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new InputError(
      `The answers file ${path} is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  assertPlainKeys(data, `The answers file ${path}`);
  const parsed = RawAnswersFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `The answers file ${path} must map question ids to answers${issue?.path.length ? ` (at ${issue.path.join(".")}: ${issue.message})` : ""}.`,
    );
  }
  return parsed.data;
}

/** Read the files a review starts from; what could not be read is reported, never silently dropped. */
async function readFiles(paths: string[], given: WorkloadName | undefined) {
  const [{ scanPaths }, forReview, { scanWarnings }, { loadKnowledgeBase }] = await Promise.all([
    import("../artifacts/scan.js"),
    import("../artifacts/for-review.js"),
    import("../artifacts/scan-output.js"),
    import("../core/knowledge/load.js"),
  ]);
  const scan = await scanPaths(paths);
  for (const w of scanWarnings(scan)) process.stderr.write(`${w}\n`);
  if (scan.platform) process.stderr.write(`Platform from the files: ${scan.platform.note}.\n`);
  process.stderr.write(`Read ${scan.files.length} file(s): ${scan.facts.length} fact line(s).\n`);
  const kb = loadKnowledgeBase(process.env.THREATBOT_KNOWLEDGE || undefined);
  const facts = forReview.factsForReview(scan);
  const workload = given ?? forReview.workloadOf(scan, kb.vocabulary);
  if (workload) {
    const settled = forReview.questionsSettledByFiles(kb, workload, facts).map((q) => q.id);
    if (settled.length > 0)
      process.stderr.write(`The files answer ${settled.length} question(s): ${settled.join(", ")}.\n`);
  }
  return { facts, workload };
}

/** The `threatbot` command line. Each action opens what it needs, so `kb` commands never touch the database. */
export function buildProgram(io: CliIo): Command {
  const print = (s: string): void => {
    io.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
  };
  const program = new Command("threatbot")
    .description("Guided threat-modeling reviews for VM, container and serverless workloads")
    .option("--db <path>", "SQLite database (default: $THREATBOT_DB or ./data/threatbot.db)")
    .option("--debug", "show stack traces for internal errors")
    .showHelpAfterError("(run 'threatbot --help' for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  // An organisation can point Threatbot at its own knowledge folder (same layout as knowledge/).
  const knowledgeDir = io.env.THREATBOT_KNOWLEDGE || undefined;
  // Heavy modules (zod schemas, YAML, SQLite, search) load on first use, so the first prompt shows at once.
  const knowledge = async () => (await import("../core/knowledge/load.js")).loadKnowledgeBase(knowledgeDir);
  let bot: Threatbot | undefined;
  const open = async (): Promise<Threatbot> => {
    const dbPath = (program.opts().db as string | undefined) ?? io.env.THREATBOT_DB ?? "./data/threatbot.db";
    const { openThreatbot } = await import("../core/open.js");
    bot ??= openThreatbot({ dbPath, knowledgeDir });
    return bot;
  };
  program.hook("postAction", () => {
    bot?.close();
    bot = undefined;
  });

  program
    .command("review")
    .description("run a review in the terminal, or from an answers file with --answers")
    .option("--resume <id>", "continue an unfinished review", reviewId)
    .addOption(
      new Option("--workload <workload>", "vm, container, serverless or undecided").argParser(workloadArg),
    )
    .option("--name <name>", "the system's name")
    .option("--answers <file>", "YAML or JSON mapping question id -> answer; runs without prompts")
    .option(
      "--from <paths...>",
      "Dockerfiles, manifests, templates or Terraform (files or folders) that pre-answer the review",
    )
    .action(
      async (o: {
        resume?: number;
        workload?: WorkloadName;
        name?: string;
        answers?: string;
        from?: string[];
      }) => {
        const files = o.from ? await readFiles(o.from, o.workload) : undefined;
        const workload = o.workload ?? files?.workload;
        if (o.answers) {
          if (!workload || !o.name) throw new InputError("--answers needs --workload and --name as well.");
          const raw = await readAnswersFile(o.answers);
          const done = await (await open()).reviews.reviewFromAnswers(
            { name: o.name, workload, actor: io.user, origin: "cli", fileFacts: files?.facts ?? [] },
            raw,
          );
          for (const w of done.warnings) io.stderr.write(`warning: ${w}\n`);
          print(done.markdown);
          io.stderr.write(`Saved review #${done.reviewId}, threat model version ${done.version}.\n`);
          return;
        }
        const service = open().then((b) => b.reviews);
        // Loading runs while the first prompt waits; a failure surfaces when the review first needs it.
        service.catch(() => undefined);
        const lines = new LineReader(io.stdin, io.stdout);
        try {
          await runTerminalReview({
            service,
            lines,
            out: io.stdout,
            actor: io.user,
            resumeId: o.resume,
            workload,
            name: o.name,
            fileFacts: files?.facts,
          });
        } finally {
          // Stop reading the terminal, so `q` (or the end of the review) ends the process.
          lines.close();
        }
      },
    );

  program
    .command("questions")
    .description("list the questions a review asks for a workload")
    .requiredOption("--workload <workload>", "vm, container, serverless or undecided", workloadArg)
    .option("--json", "print JSON")
    .action(async (o: { workload: WorkloadName; json?: boolean }) => {
      const kb = await knowledge();
      const qs = kb.questions.filter((q) => q.appliesTo.includes(o.workload));
      if (o.json) return print(JSON.stringify(qs, null, 2));
      const platforms = kb.vocabulary.platformsOf(o.workload);
      for (const q of qs) {
        const on = q.platforms ? `  (only on ${kb.vocabulary.resolve(q.platforms).join(", ")})` : "";
        const when = q.askWhen ? `  (asked when ${JSON.stringify(q.askWhen)})` : "";
        const kind = q.kind === "multi" ? "  (pick any: as a list in an answers file)" : "";
        print(`${q.id}  [${q.section}]${kind}${on}${when}\n  ${q.text}`);
        if (q.kind === "text") print("    (free text)");
        else
          print(
            q.options
              .filter(
                (opt) =>
                  !opt.platforms || kb.vocabulary.resolve(opt.platforms).some((p) => platforms.includes(p)),
              )
              .map((opt) => `    - ${opt.value}: ${opt.label}${opt.exclusive ? " (alone)" : ""}`)
              .join("\n"),
          );
      }
      print(
        `${qs.length} questions for ${o.workload}; a review asks only those that apply to its platform and answers. Unsure and Skip are always accepted.`,
      );
    });

  program
    .command("list")
    .description("list reviews, newest first")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const { reviews } = await open();
      const { SEVERITIES } = await import("../core/threats/model.js");
      const rows = reviews.listWithCounts({ limit: 200 });
      if (o.json)
        return print(
          JSON.stringify(
            rows.map(({ bySeverity: _, ...r }) => r),
            null,
            2,
          ),
        );
      if (rows.length === 0) return print("No reviews yet. Start one with: threatbot review");
      for (const r of rows) {
        const s = r.bySeverity;
        const counts = s ? SEVERITIES.map((sev) => `${s[sev] ?? 0} ${sev}`).join(", ") : "no model yet";
        print(`#${r.id}  ${r.name}  ${r.workload}  ${r.status}  ${r.updatedAt}  (${counts})`);
      }
    });

  program
    .command("show")
    .description("print a review's threat model as Markdown (a draft while the review is in progress)")
    .argument("<id>", "review id", reviewId)
    .option("--version <n>", "a stored version", (v) => reviewId(v))
    .action(async (id: number, o: { version?: number }) => {
      const { reviews } = await open();
      print(o.version ? reviews.storedVersion(id, o.version).markdown : reviews.threatModel(id).markdown);
    });

  program
    .command("export")
    .description("export a review's threat model")
    .argument("<id>", "review id", reviewId)
    .addOption(
      new Option("--format <format>", "md, json, or tc (Threat Composer workspace JSON)")
        .choices(["md", "json", "tc"])
        .default("md"),
    )
    .option("--out <file>", "write to a file instead of standard output")
    .option("--version <n>", "a stored version", (v) => reviewId(v))
    .action(async (id: number, o: { format: "md" | "json" | "tc"; out?: string; version?: number }) => {
      if (o.out) checkOutputPath(o.out);
      const { reviews } = await open();
      const m = o.version ? reviews.storedVersion(id, o.version) : reviews.threatModel(id);
      let text = m.markdown;
      // A version saved by an earlier model format is exported as it was stored.
      if (o.format === "json")
        text = m.model ? `${JSON.stringify(m.model, null, 2)}\n` : `${"json" in m ? m.json : ""}\n`;
      if (o.format === "tc") {
        if (!m.model)
          throw new InputError(
            `Version ${o.version} of review #${id} was saved in an earlier model format; export it as md or json, or export the latest version as tc.`,
          );
        const { toThreatComposer } = await import("../core/report/threat-composer.js");
        text = `${JSON.stringify(toThreatComposer(m.model), null, 2)}\n`;
      }
      if (o.out) {
        try {
          writeFileSync(o.out, text);
        } catch (e) {
          throw new InputError(
            `Cannot write --out ${o.out} (${(e as NodeJS.ErrnoException).code ?? "error"}); choose a writable file.`,
          );
        }
        io.stderr.write(`Wrote ${o.out}\n`);
      } else print(text);
    });

  const kb = program.command("kb").description("knowledge base tools");
  kb.command("check")
    .description("validate every entry and question")
    .action(async () => {
      const base = await knowledge();
      const { sourcesDir, verifyQuotes } = await import("../core/knowledge/provenance.js");
      const quotes = verifyQuotes(base, sourcesDir(io.env));
      if (quotes.verified && quotes.problems.length > 0) {
        const { KnowledgeError } = await import("../core/errors.js");
        throw new KnowledgeError(quotes.problems);
      }
      print(
        `Knowledge base OK: ${base.entries.length} entries, ${base.questions.length} questions, ${base.sources.length} sources (version ${base.version}).`,
      );
      print(
        quotes.verified
          ? `All ${quotes.claims} claim quotes found in their articles.`
          : `Claim quotes were not verified: ${quotes.reason}.`,
      );
    });
  kb.command("sources")
    .description("each source article with the claims taken from it and the entries that hold them")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const base = await knowledge();
      const { renderSourcesPage, sourcesPage } = await import("../core/knowledge/sources-page.js");
      const page = sourcesPage(base);
      print(o.json ? JSON.stringify(page, null, 2) : renderSourcesPage(page));
    });
  kb.command("search")
    .description("search the knowledge base")
    .argument("<query...>", "words to look for")
    .addOption(new Option("--workload <workload>", "only entries for this model").argParser(workloadArg))
    .option("--json", "print JSON")
    .action(async (words: string[], o: { workload?: WorkloadName; json?: boolean }) => {
      const base = await knowledge();
      const { KnowledgeIndex } = await import("../core/knowledge/search.js");
      const hits = new KnowledgeIndex(base.entries, { asked: base.asked.questions }).search(words.join(" "), {
        deploymentModel: o.workload === "undecided" ? undefined : o.workload,
        limit: 5,
      });
      if (o.json) {
        return print(
          JSON.stringify(
            hits.map((h) => ({
              id: h.entry.id,
              title: h.entry.title,
              score: h.score,
              deploymentModels: h.entry.deploymentModels,
            })),
            null,
            2,
          ),
        );
      }
      if (hits.length === 0)
        return print("No entries match. Try other words, or 'threatbot kb search secrets'.");
      for (const h of hits)
        print(
          `${h.entry.id}  ${h.entry.title}  [${h.entry.deploymentModels.join(", ")}]\n  ${h.entry.summary}`,
        );
    });

  registerAsk(program, io);
  registerScan(program, io, open);
  return program;
}

import type { Writable } from "node:stream";
import { InputError } from "../core/errors.js";
import type { FileFact } from "../core/facts/state.js";
import type { Question, Workload } from "../core/knowledge/schema.js";
import type { AnswerValue } from "../core/review/events.js";
import type { Outcome, ReviewService, ReviewView } from "../core/review/service.js";
import type { LineReader } from "./line-reader.js";

const WORKLOADS: { value: Workload; label: string }[] = [
  { value: "vm", label: "Virtual machines" },
  { value: "container", label: "Containers (Kubernetes, ECS, Fargate, Docker hosts)" },
  { value: "serverless", label: "Serverless functions" },
  { value: "undecided", label: "Undecided: compare all three" },
];

const HELP =
  "Commands: b = back, s = skip, u = unsure, ? = why we ask, f = finish now, q = stop and resume later.";

export interface TerminalReviewOptions {
  /** May still be loading while the first prompt is shown. */
  service: ReviewService | Promise<ReviewService>;
  lines: LineReader;
  out: Writable;
  actor: string;
  resumeId?: number;
  workload?: string;
  /** Facts read from the team's files (review --from). */
  fileFacts?: readonly FileFact[] | undefined;
  name?: string;
}

function formatQuestion(view: ReviewView, q: Question): string {
  const header = `\nQuestion ${view.progress.index} of ${view.progress.total} · ${q.section}\n${q.text}\n`;
  if (q.kind === "text") return `${header}  (type your answer, or one of b, s, u, ?, f, q)\n`;
  const options = view.options.map((o, i) => `  ${i + 1}. ${o.label}`).join("\n");
  const pick = q.kind === "multi" ? "  Pick any: numbers separated by commas, e.g. 1,3\n" : "";
  return `${header}${options}\n${pick}  u. Unsure   s. Skip   b. Back   ?. Why   f. Finish now   q. Stop\n`;
}

type Command =
  | { cmd: "back" }
  | { cmd: "stop" }
  | { cmd: "why" }
  | { cmd: "finish" }
  | { cmd: "answer"; value: AnswerValue };

export function parseReply(q: Question, line: string): Command {
  const t = line.trim();
  const lower = t.toLowerCase();
  // A one-letter reply is never a real free-text answer, so letters work everywhere; command words
  // need a colon on free-text questions (":skip"), where "skip" could be an answer.
  const bare = lower.startsWith(":") ? lower.slice(1) : q.kind !== "text" || lower.length === 1 ? lower : "";
  if (bare === "b" || bare === "back") return { cmd: "back" };
  if (bare === "f" || bare === "finish") return { cmd: "finish" };
  if (bare === "q" || bare === "stop" || bare === "quit") return { cmd: "stop" };
  if (bare === "?" || bare === "why") return { cmd: "why" };
  if (bare === "s" || bare === "skip") return { cmd: "answer", value: { kind: "skip" } };
  if (bare === "u" || bare === "unsure") return { cmd: "answer", value: { kind: "unsure" } };
  return { cmd: "answer", value: { kind: "text", text: t } };
}

async function choose<T>(
  lines: LineReader,
  out: Writable,
  title: string,
  items: { value: T; label: string }[],
): Promise<T | null> {
  out.write(`${title}\n${items.map((it, i) => `  ${i + 1}. ${it.label}`).join("\n")}\n`);
  for (;;) {
    const line = await lines.ask("> ");
    if (line === null) return null;
    const t = line.trim().toLowerCase();
    // q leaves from every prompt, not only from the questions.
    if (t === "q" || t === "quit") return null;
    const picked = items[Number(t) - 1] ?? items.find((it) => String(it.value) === t);
    if (picked) return picked.value;
    out.write(`Type a number from 1 to ${items.length}.\n`);
  }
}

/** The interactive review. Returns the review id, or undefined when the person left before starting. */
export async function runTerminalReview(opts: TerminalReviewOptions): Promise<number | undefined> {
  const { lines, out, actor } = opts;
  let view: ReviewView;
  if (opts.resumeId !== undefined) {
    view = (await opts.service).view(opts.resumeId);
    out.write(`Resuming review #${view.review.id} "${view.review.name}" (${view.review.workload}).\n`);
  } else {
    const workload = opts.workload ?? (await choose(lines, out, "What kind of workload is this?", WORKLOADS));
    if (workload === null) return undefined;
    let name = opts.name;
    while (!name) {
      const line = await lines.ask("System name: ");
      if (line === null || ["q", "quit"].includes(line.trim().toLowerCase())) return undefined;
      name = line.trim();
    }
    const started = await (await opts.service).start({
      name,
      workload,
      actor,
      origin: "terminal",
      fileFacts: opts.fileFacts ?? [],
    });
    view = started.view;
    for (const w of started.warnings) out.write(`! ${w}\n`);
    out.write(`Started review #${view.review.id}. ${HELP}\n`);
  }

  const service = await opts.service;
  let finishEarly = false;
  while (view.question) {
    const q = view.question;
    out.write(formatQuestion(view, q));
    const line = await lines.ask("> ");
    if (line === null) break;
    const command = parseReply(q, line);
    if (command.cmd === "stop") break;
    if (command.cmd === "finish") {
      finishEarly = true;
      break;
    }
    if (command.cmd === "why") {
      out.write(`Why: ${q.why}\n`);
      continue;
    }
    let outcome: Outcome;
    try {
      outcome =
        command.cmd === "back"
          ? service.back(view.review.id, actor)
          : await service.answer({ reviewId: view.review.id, questionId: q.id, value: command.value, actor });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      out.write(`! ${e.message}\n`);
      continue;
    }
    if (outcome.status === "rejected") out.write(`! ${outcome.message}\n`);
    if (outcome.status === "recorded") for (const w of outcome.warnings) out.write(`! ${w}\n`);
    view = outcome.view;
  }

  if (view.review.status === "finished") {
    out.write(
      `Review #${view.review.id} is already finished. See it with: threatbot show ${view.review.id}\n`,
    );
    return view.review.id;
  }
  if (view.question && !finishEarly) {
    out.write(
      `\nSaved: ${view.progress.answered} answers so far. Resume with: threatbot review --resume ${view.review.id}\n`,
    );
    return view.review.id;
  }
  const unanswered = view.progress.total - view.progress.answered;
  const confirm = await lines.ask(
    view.question
      ? `\nFinish now? The ${unanswered} unanswered questions become open questions. [y/N] `
      : "\nEvery question is answered. Finish and build the threat model? [Y/n/b=back] ",
  );
  const c = (confirm ?? (view.question ? "n" : "y")).trim().toLowerCase() || (view.question ? "n" : "y");
  if (view.question && c !== "y" && c !== "yes")
    return runTerminalReview({ ...opts, resumeId: view.review.id });
  if (c === "b" || c === "back") {
    service.back(view.review.id, actor);
    return runTerminalReview({ ...opts, resumeId: view.review.id });
  }
  if (c === "n" || c === "no") {
    out.write(`Not finished. Resume with: threatbot review --resume ${view.review.id}\n`);
    return view.review.id;
  }
  const finished = service.finish(view.review.id, actor);
  out.write(`\n${finished.markdown}\n`);
  out.write(
    `Saved review #${view.review.id}, threat model version ${finished.version}. Export it with: threatbot export ${view.review.id} --format md --out threat-model.md\n`,
  );
  return view.review.id;
}

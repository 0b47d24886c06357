import { type CiSignals, commandSignals } from "./ci-commands.js";
import { emptySummary, noteSignals, type PipelineSummary, runCommands } from "./ci-workflows.js";
import { asArray, asString, isRecord, type SourceDocument } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { envSecretCandidates } from "./secret-values.js";

// Top-level keys of .gitlab-ci.yml that are settings, not jobs.
const GLOBAL_KEYS = new Set([
  "stages",
  "variables",
  "default",
  "include",
  "workflow",
  "image",
  "services",
  "before_script",
  "after_script",
  "cache",
  "spec",
]);
const SCRIPT_KEYS = ["before_script", "script", "after_script"] as const;

/** `.gitlab-ci.yml` by name, or a YAML document whose jobs run `script:` lists under declared stages. */
export function isGitlabCi(name: string, data: unknown): data is Record<string, unknown> {
  if (!isRecord(data)) return false;
  if (/^\.gitlab-ci\.ya?ml$/i.test(name)) return true;
  return (
    Array.isArray(data.stages) &&
    Object.entries(data).some(([k, v]) => !GLOBAL_KEYS.has(k) && isRecord(v) && v.script !== undefined)
  );
}

// GitLab's own templates that add scanning jobs when included.
const TEMPLATES: [RegExp, CiSignals][] = [
  [/(?:^|\/)Dependency-Scanning(?:\.latest)?\.gitlab-ci\.yml$/i, { scansDeps: true }],
  [/(?:^|\/)Container-Scanning(?:\.latest)?\.gitlab-ci\.yml$/i, { scansImage: true }],
];

/** Facts of a GitLab pipeline, at the line of the script entry or `include` that shows each. */
export function gitlabCiFacts(
  f: Findings,
  data: Record<string, unknown>,
  doc: SourceDocument,
  lines: readonly string[],
): PipelineSummary {
  const summary = emptySummary(["stages"]);
  const note = (signals: CiSignals, line: number, g: Findings) => noteSignals(g, summary, signals, line);
  asArray(data.include).forEach((inc, i) => {
    const template = isRecord(inc) ? asString(inc.template) : undefined;
    const known = template ? TEMPLATES.find(([re]) => re.test(template)) : undefined;
    if (known) note(known[1], doc.lineOf(["include", i]), f.for("include"));
    // Jobs from other files (local, project, remote, components) are not in what was read.
    else if (!template) summary.hidden ??= `include ${i + 1} brings in jobs from another file`;
  });
  if (isRecord(data.variables))
    envSecretCandidates(f, data.variables, ["variables"], "secrets.in-code-or-image");
  const scripts: [PathStep[], unknown][] = [];
  for (const key of SCRIPT_KEYS) scripts.push([[key], data[key]]);
  if (isRecord(data.default))
    for (const key of SCRIPT_KEYS) scripts.push([["default", key], data.default[key]]);
  for (const [at, value] of scripts) scriptFacts(f.for("pipeline"), at, value, doc, lines, note);
  for (const [name, job] of Object.entries(data)) {
    if (GLOBAL_KEYS.has(name) || !isRecord(job)) continue;
    // Hidden jobs (.name) run only through the jobs that extend them, read with those.
    if (name.startsWith(".")) continue;
    const jf = f.for(`job ${name}`);
    if (isRecord(job.trigger) || typeof job.trigger === "string")
      summary.hidden ??= `job ${name} triggers another pipeline`;
    if (isRecord(job.variables))
      envSecretCandidates(jf, job.variables, [name, "variables"], "secrets.in-code-or-image");
    for (const key of SCRIPT_KEYS) {
      const [owner, source] = scriptOwner(data, name, key);
      scriptFacts(jf, [owner, key], source, doc, lines, note);
    }
  }
  return summary;
}

/** The job whose `key` a job runs: its own, or that of the hidden job it extends. */
function scriptOwner(data: Record<string, unknown>, name: string, key: string): [string, unknown] {
  const job = data[name] as Record<string, unknown>;
  if (job[key] !== undefined) return [name, job[key]];
  for (const parent of asArray(job.extends)) {
    const p = asString(parent);
    const base = p ? data[p] : undefined;
    if (p && isRecord(base) && base[key] !== undefined) return [p, base[key]];
  }
  return [name, undefined];
}

function scriptFacts(
  f: Findings,
  at: PathStep[],
  value: unknown,
  doc: SourceDocument,
  lines: readonly string[],
  note: (s: CiSignals, line: number, g: Findings) => void,
): void {
  const entries: [PathStep[], unknown][] = Array.isArray(value)
    ? value.map((v, i): [PathStep[], unknown] => [[...at, i], v])
    : [[at, value]];
  for (const [path, entry] of entries) {
    const text = asString(entry);
    if (text === undefined) continue;
    for (const c of runCommands(text, doc.lineOf(path), lines)) note(commandSignals(c.text), c.line, f);
  }
}

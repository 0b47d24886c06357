import { type CiSignals, commandSignals, grypeSignals, trivySignals } from "./ci-commands.js";
import { asArray, asString, isRecord, type SourceDocument } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { envSecretCandidates } from "./secret-values.js";

/** What a pipeline file does as a whole, for the facts only all of a repository's pipelines decide. */
export interface PipelineSummary {
  scansDeps: boolean;
  scansImage: boolean;
  buildsImage: boolean;
  /**
   * Why part of what runs is not in the file (a reusable workflow of another repository, a local
   * action): a step we cannot see may scan, so no "never" can be read from it.
   */
  hidden: string | undefined;
  /** Where a fact about the whole file points (the `jobs:` key). */
  anchor: PathStep[];
}

/** A pipeline that has shown nothing yet; whole-file facts point at `anchor`. */
export const emptySummary = (anchor: PathStep[]): PipelineSummary => ({
  scansDeps: false,
  scansImage: false,
  buildsImage: false,
  hidden: undefined,
  anchor,
});

/** The facts one step's signals show at its line, also folded into what the file does as a whole. */
export function noteSignals(f: Findings, summary: PipelineSummary, signals: CiSignals, line: number): void {
  if (signals.scansDeps) f.atLine("deps.scanning", true, line);
  if (signals.scansImage) f.atLine("image.scanning", true, line);
  if (signals.lockedInstall) f.atLine("deps.lockfiles", true, line);
  summary.scansDeps ||= signals.scansDeps === true;
  summary.scansImage ||= signals.scansImage === true;
  summary.buildsImage ||= signals.buildsImage === true;
}

/** A GitHub Actions workflow: a trigger and a map of jobs that run steps or call workflows. */
export function isGithubWorkflow(data: unknown): data is Record<string, unknown> {
  if (!isRecord(data) || !isRecord(data.jobs) || !("on" in data)) return false;
  return Object.values(data.jobs).some(
    (j) => isRecord(j) && ("runs-on" in j || Array.isArray(j.steps) || typeof j.uses === "string"),
  );
}

// Reusable workflows known to run a dependency scan.
const SCANNING_WORKFLOWS = ["google/osv-scanner-action/.github/workflows/osv-scanner-reusable"];

/** Owner/name[/path] of `uses: owner/name/path@ref`, lower-cased, without the ref. */
const actionName = (uses: string) => (uses.split("@")[0] ?? "").toLowerCase();

/** Signals of one action step from its name and inputs. */
function actionSignals(name: string, input: Record<string, unknown>): CiSignals {
  const str = (k: string) => asString(input[k])?.trim() ?? "";
  if (name === "aquasecurity/trivy-action") return trivySignals(str("scan-type") || "image");
  if (name === "anchore/scan-action")
    return str("image") ? grypeSignals(str("image")) : str("path") || str("sbom") ? { scansDeps: true } : {};
  if (name === "snyk/actions/docker") return { scansImage: true };
  if (name.startsWith("snyk/actions/") && name !== "snyk/actions/setup") {
    const command = str("command") || "test";
    return command === "test" ? { scansDeps: true } : {};
  }
  if (name === "docker/scout-action")
    return /\b(?:cves|quickview|recommendations)\b/.test(str("command"))
      ? { scansImage: true, scansDeps: true }
      : {};
  if (
    name === "actions/dependency-review-action" ||
    name.startsWith("google/osv-scanner-action") ||
    name === "pypa/gh-action-pip-audit" ||
    name === "dependency-check/dependency-check_action"
  )
    return { scansDeps: true };
  if (name === "docker/build-push-action" || name === "redhat-actions/buildah-build")
    return { buildsImage: true };
  return {};
}

const SECRET_EXPRESSION = /^\$\{\{\s*secrets\./;
// Cloud keys a job may be handed as environment variables: an AWS key pair, an Azure service
// principal's secret (also as Terraform's ARM_ variable), a Google service-account key file.
const LONG_LIVED_ENV = new Set([
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AZURE_CLIENT_SECRET",
  "ARM_CLIENT_SECRET",
  "GOOGLE_CREDENTIALS",
]);

interface Step {
  line: number;
  signals: CiSignals;
}

/**
 * Facts of one GitHub Actions workflow, each at the line of the step (or the command inside a `run:`
 * block) that shows it. `lines` is the file's text, for lines inside multi-line `run:` blocks.
 */
export function githubWorkflowFacts(
  f: Findings,
  data: Record<string, unknown>,
  doc: SourceDocument,
  lines: readonly string[],
): PipelineSummary {
  const summary = emptySummary(["jobs"]);
  const on = data.on;
  const scheduled = isRecord(on) && on.schedule !== undefined;
  longLivedEnv(f, data.env, ["env"]);
  for (const [jobId, job] of Object.entries(data.jobs as Record<string, unknown>)) {
    if (!isRecord(job)) continue;
    const jf = f.for(`job ${jobId}`);
    const at: PathStep[] = ["jobs", jobId];
    if (typeof job.uses === "string") {
      const called = actionName(job.uses);
      if (SCANNING_WORKFLOWS.some((w) => called.startsWith(w))) {
        jf.add("deps.scanning", true, [...at, "uses"]);
        summary.scansDeps = true;
      } else if (!called.startsWith("./")) summary.hidden ??= `job ${jobId} calls ${job.uses}`;
      continue;
    }
    const permissions = job.permissions ?? data.permissions;
    const idToken =
      permissions === "write-all" || (isRecord(permissions) && permissions["id-token"] === "write");
    // A job guarded by an event check other than the schedule does not run on it.
    const condition = asString(job.if) ?? "";
    const onSchedule = scheduled && (!/event_name/.test(condition) || /'schedule'/.test(condition));
    longLivedEnv(jf, job.env, [...at, "env"]);
    const steps: Step[] = [];
    asArray(job.steps).forEach((step, i) => {
      if (!isRecord(step)) return;
      const sp: PathStep[] = [...at, "steps", i];
      longLivedEnv(jf, step.env, [...sp, "env"]);
      const input = isRecord(step.with) ? step.with : {};
      if (typeof step.uses === "string") {
        const name = actionName(step.uses);
        if (name.startsWith("./"))
          summary.hidden ??= `step ${i + 1} of job ${jobId} runs the local action ${name}`;
        credentialFacts(jf, name, input, [...sp, "with"], idToken);
        steps.push({ line: doc.lineOf([...sp, "uses"]), signals: actionSignals(name, input) });
      }
      const run = asString(step.run);
      if (run !== undefined) {
        for (const c of runCommands(run, doc.lineOf([...sp, "run"]), lines))
          steps.push({ line: c.line, signals: commandSignals(c.text) });
      }
    });
    const buildsInJob = steps.some((s) => s.signals.buildsImage);
    for (const { line, signals } of steps) {
      noteSignals(jf, summary, signals, line);
      if (onSchedule && signals.buildsImage) jf.atLine("image.scheduled-rebuild", true, line);
      // A scheduled scan of images this job did not just build: the ones already pushed and deployed.
      if (onSchedule && signals.scansImage && !buildsInJob)
        jf.atLine("image.continuous-scanning", true, line);
    }
  }
  return summary;
}

/**
 * Cloud credentials of a login action: federated (OIDC) when it asks for a role or identity provider
 * and the job may request an ID token; long-lived when it is handed stored keys.
 */
function credentialFacts(
  f: Findings,
  name: string,
  input: Record<string, unknown>,
  at: PathStep[],
  idToken: boolean,
): void {
  const [stored, federated] =
    name === "aws-actions/configure-aws-credentials"
      ? ["aws-access-key-id", "role-to-assume"]
      : name === "google-github-actions/auth"
        ? ["credentials_json", "workload_identity_provider"]
        : name === "azure/login"
          ? ["creds", "client-id"]
          : [undefined, undefined];
  if (!stored || !federated) return;
  // Keys written into the workflow itself, not taken from the secret store, are secrets in the repository.
  envSecretCandidates(f, input, at, "secrets.in-code-or-image");
  if (input[stored] !== undefined) f.add("ci.short-lived-credentials", false, [...at, stored]);
  else if (input[federated] !== undefined && idToken)
    f.add("ci.short-lived-credentials", true, [...at, federated]);
}

/** Cloud keys handed to a workflow, job or step from the repository's secrets are long-lived keys. */
function longLivedEnv(f: Findings, env: unknown, at: PathStep[]): void {
  if (!isRecord(env)) return;
  for (const [name, value] of Object.entries(env)) {
    if (LONG_LIVED_ENV.has(name) && SECRET_EXPRESSION.test(asString(value) ?? ""))
      f.add("ci.short-lived-credentials", false, [...at, name]);
  }
  envSecretCandidates(f, env, at, "secrets.in-code-or-image");
}

/**
 * The commands of a `run:` value (or a GitLab script entry) with the line each starts on. A literal
 * block (`run: |`, `- |`) keeps its lines, so each command is placed on its own line; any other form
 * is placed on the key's line. Lines ending in a backslash continue the command.
 */
export function runCommands(
  run: string,
  keyLine: number,
  lines: readonly string[],
): { line: number; text: string }[] {
  const literal = /(?::|^\s*-)\s*\|[-+0-9]*\s*(?:#.*)?$/.test(lines[keyLine - 1] ?? "");
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | undefined;
  run.split("\n").forEach((text, i) => {
    const line = literal ? keyLine + 1 + i : keyLine;
    const joined = pending ? `${pending.text} ${text}` : text;
    const start = pending?.line ?? line;
    if (/\\\s*$/.test(joined)) pending = { line: start, text: joined.replace(/\\\s*$/, "") };
    else {
      pending = undefined;
      if (joined.trim() !== "" && !joined.trim().startsWith("#")) out.push({ line: start, text: joined });
    }
  });
  if (pending) out.push(pending);
  return out;
}

import { basename, dirname } from "node:path";
import type { FileFact } from "../core/facts/state.js";
import { maskSecrets } from "../core/secrets/mask.js";
import { type PipelineRead, pipelineNegatives } from "./ci-coverage.js";
import { githubWorkflowFacts, isGithubWorkflow } from "./ci-workflows.js";
import { cloudFormationFacts, isCloudFormation } from "./cloudformation.js";
import { composeFacts, ecsTaskFacts } from "./containers.js";
import { dependabotFacts, isDependabot, isRenovate, renovateFacts } from "./dependency-updates.js";
import { analyseDockerfile } from "./dockerfile.js";
import { isRecord, type ParseProblem, parseJson, parseYaml, type SourceDocument } from "./documents.js";
import { Findings, type PlatformHint } from "./findings.js";
import { gitlabCiFacts, isGitlabCi } from "./gitlab-ci.js";
import { analyseKubernetes, isKubernetesObject } from "./kubernetes.js";
import {
  isKustomizationFile,
  type Kustomization,
  namespacesWithoutPolicies,
  type ObjectSeen,
  objectSeen,
  readKustomization,
} from "./kustomize.js";
import { type PlatformProposal, proposePlatform } from "./platform.js";
import { type InputFile, LOCKFILE, MAX_FILE_BYTES, type Refusal, readInputs } from "./read.js";
import {
  isAccessKey,
  type PlacedRole,
  type PlacedRoleUse,
  type PlacedRunAs,
  taskRoleSharingFacts,
  workloadIdentityFacts,
} from "./run-time-identity.js";
import { secretCandidatesThatLeak } from "./secret-values.js";
import { isServerless, serverlessFacts } from "./serverless.js";
import { isTerraformPlan, parseTerraform, planDocument, terraformFacts } from "./terraform.js";

/** What a file was read as. */
export type ArtifactKind =
  | "dockerfile"
  | "kubernetes"
  | "compose"
  | "serverless"
  | "cloudformation"
  | "ecs-task-definition"
  | "terraform"
  | "terraform-plan"
  | "kustomization"
  | "github-workflow"
  | "gitlab-ci"
  | "dependabot"
  | "renovate"
  | "lockfile";

/** A file, or one document of it, that could not be read: where, and what was wrong. */
export interface ScanProblem {
  file: string;
  line: number;
  message: string;
}

export interface ScanResult {
  facts: FileFact[];
  /** Files read and what each was read as (a multi-document file may hold several kinds). */
  files: { file: string; kinds: ArtifactKind[] }[];
  problems: ScanProblem[];
  refused: Refusal[];
  platform: PlatformProposal | undefined;
}

export interface ScanOptions {
  /** The day runtime deprecation is judged on. */
  today?: Date;
  maxBytes?: number;
}

/** Read files and folders and turn them into facts with file:line evidence. */
export async function scanPaths(inputs: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const { files, refused } = await readInputs(inputs, options.maxBytes ?? MAX_FILE_BYTES);
  const result = await scanFiles(files, options);
  return { ...result, refused: [...refused, ...result.refused] };
}

/** Facts of files already in memory (a Slack upload, a test). */
export async function scanFiles(files: readonly InputFile[], options: ScanOptions = {}): Promise<ScanResult> {
  const today = options.today ?? new Date();
  const facts: FileFact[] = [];
  const problems: ScanProblem[] = [];
  const refused: Refusal[] = [];
  const hints: (PlatformHint & { file: string; line: number; excerpt: string })[] = [];
  const read: ScanResult["files"] = [];
  const roles: PlacedRole[] = [];
  const workloads: PlacedRunAs[] = [];
  const roleUses: PlacedRoleUse[] = [];
  const links = new Set<string>();
  const kustomizations: Kustomization[] = [];
  const objects: ObjectSeen[] = [];
  const pipelines: PipelineRead[] = [];
  // A workflow that could not be read may scan: "no pipeline scans" is then left open.
  let unreadableWorkflow = false;
  for (const input of files) {
    if (Buffer.byteLength(input.text) > (options.maxBytes ?? MAX_FILE_BYTES)) {
      refused.push({ file: input.file, reason: "larger than the size cap" });
      continue;
    }
    const analysed = await analyseFile(input, today);
    if (analysed.problems.length > 0 || analysed.unrecognised) unreadableWorkflow ||= isWorkflowPath(input);
    if (analysed.unrecognised) {
      problems.push({ file: input.file, line: 1, message: analysed.unrecognised });
      continue;
    }
    pipelines.push(...(analysed.pipelines ?? []).map((p) => ({ ...p, file: input.file, walk: input.walk })));
    problems.push(...analysed.problems.map((p) => ({ file: input.file, ...p })));
    objects.push(...(analysed.objects ?? []));
    kustomizations.push(...(analysed.kustomizations ?? []));
    if (analysed.kinds.length > 0) read.push({ file: input.file, kinds: analysed.kinds });
    const lines = input.text.split("\n");
    const fileFacts: FileFact[] = [];
    const secretFacts: FileFact[] = [];
    for (const { doc, findings } of analysed.parts) {
      const place = (line: number | undefined, path: Parameters<SourceDocument["lineOf"]>[0]) =>
        line ?? doc.lineOf(path);
      // Evidence read across files (roles and who runs as them) is placed here, while the lines are at hand.
      const located = (path: Parameters<SourceDocument["lineOf"]>[0], resource: string | undefined) => {
        const line = doc.lineOf(path);
        return {
          file: input.file,
          line,
          excerpt: sourceExcerpt(lines, line, fallbackExcerpt(resource, path)),
        };
      };
      for (const x of findings.facts) {
        const line = place(x.line, x.path);
        const excerpt =
          x.excerpt ??
          sourceExcerpt(lines, line, doc.excerptOf?.(x.path) ?? fallbackExcerpt(x.resource, x.path));
        fileFacts.push(fileFact(input.file, line, x.fact, x.value, x.resource, excerpt));
      }
      for (const c of await secretCandidatesThatLeak(findings.secrets)) {
        const line = place(c.line, c.path);
        // The excerpt is written here with the value already left out, so it needs no second scan.
        const masked = `${c.name}=[secret masked]`;
        secretFacts.push(fileFact(input.file, line, c.fact, true, c.resource, masked));
        if (isAccessKey(c))
          secretFacts.push(fileFact(input.file, line, "iam.static-keys", true, c.resource, masked));
      }
      for (const role of findings.roles)
        roles.push({
          ...role,
          callers: role.callers.map((c) => ({ ...c, ...located(c.path, role.resource) })),
        });
      workloads.push(...findings.runsAs);
      for (const use of findings.roleUses)
        roleUses.push({ ...use, module: dirname(input.file), ...located(use.path, use.resource) });
      for (const link of findings.links) links.add(link);
      for (const h of findings.platforms) {
        const line = place(h.line, h.path);
        hints.push({
          ...h,
          file: input.file,
          line,
          excerpt: sourceExcerpt(lines, line, h.resource ?? h.reason),
        });
      }
    }
    facts.push(...dedupe([...(await maskExcerpts(fileFacts)), ...secretFacts]));
  }
  facts.push(...dedupe(await maskExcerpts(workloadIdentityFacts(roles, workloads, links))));
  facts.push(...(await maskExcerpts(taskRoleSharingFacts(roleUses))));
  for (const { namespace, kustomization: k } of namespacesWithoutPolicies(kustomizations, objects)) {
    const excerpt = `namespace ${namespace}: no NetworkPolicy among the resources applied`;
    facts.push(fileFact(k.file, k.line, "k8s.netpol-default-deny", false, `Namespace/${namespace}`, excerpt));
  }
  facts.push(...pipelineNegatives(pipelines, unreadableWorkflow));
  const masked = await maskExcerpts(hints.map((h) => ({ ...h, fact: "", value: "" })));
  return {
    facts,
    files: read,
    problems,
    refused,
    platform: proposePlatform(hints.map((h, i) => ({ ...h, excerpt: masked[i]?.excerpt ?? "" }))),
  };
}

interface Analysed {
  kinds: ArtifactKind[];
  parts: { doc: SourceDocument; findings: Findings }[];
  problems: ParseProblem[];
  unrecognised?: string;
  /** Kubernetes objects and kustomizations, read across files for what a whole namespace holds. */
  objects?: ObjectSeen[];
  kustomizations?: Kustomization[];
  /** What each pipeline document does as a whole, with the line a whole-file fact points at. */
  pipelines?: Omit<PipelineRead, "file" | "walk">[];
}

const UNRECOGNISED =
  "not a Dockerfile, Kubernetes manifest, Compose file, serverless.yml, SAM/CloudFormation template, ECS task definition, Terraform file, `terraform show -json` output, GitHub Actions workflow, GitLab CI pipeline, Dependabot or Renovate configuration; nothing was read from it";

const isWorkflowPath = (input: InputFile) => /(?:^|\/)\.github\/workflows\//.test(input.walk?.path ?? "");

async function analyseFile(input: InputFile, today: Date): Promise<Analysed> {
  const name = basename(input.file);
  const dockerfile: SourceDocument = { data: undefined, lineOf: () => 1 };
  if (/^(?:Dockerfile|Containerfile)(?:[.-].*)?$/i.test(name) || /\.dockerfile$/i.test(name)) {
    return {
      kinds: ["dockerfile"],
      parts: [{ doc: dockerfile, findings: analyseDockerfile(input.text) }],
      problems: [],
    };
  }
  if (LOCKFILE.test(name)) {
    const f = new Findings(name);
    f.atLine("deps.lockfiles", true, 1, `${name}: dependency versions pinned by a lock file`);
    return { kinds: ["lockfile"], parts: [{ doc: dockerfile, findings: f }], problems: [] };
  }
  if (/\.tf$/i.test(name)) {
    const parsed = await parseTerraform(name, input.text);
    const parts = parsed.documents.map((doc) => {
      const f = new Findings();
      terraformFacts(f, doc.data as Parameters<typeof terraformFacts>[1], today);
      return { doc, findings: f };
    });
    return { kinds: ["terraform"], parts, problems: parsed.problems };
  }
  const isJson = /\.json$/i.test(name) || /^\s*[{[]/.test(input.text);
  const parsed = isJson ? parseJson(input.text) : parseYaml(input.text);
  const kinds = new Set<ArtifactKind>();
  const parts: Analysed["parts"] = [];
  const objects: ObjectSeen[] = [];
  const kustomizations: Kustomization[] = [];
  const pipelines: NonNullable<Analysed["pipelines"]> = [];
  for (const doc of parsed.documents) {
    const f = new Findings();
    const data = doc.data;
    let part: SourceDocument = doc;
    const kustomization = isKustomizationFile(name) ? readKustomization(input.file, data) : undefined;
    if (kustomization) {
      kustomizations.push({ ...kustomization, line: doc.lineOf(["resources"]) });
      kinds.add("kustomization");
    } else if (isTerraformPlan(data) && isRecord(data)) {
      part = planDocument(data, input.text);
      terraformFacts(f, part.data as Parameters<typeof terraformFacts>[1], today);
      kinds.add("terraform-plan");
    } else if (isKubernetesObject(data)) {
      analyseKubernetes(data, f);
      objects.push(objectSeen(input.file, data));
      kinds.add("kubernetes");
    } else if (isServerless(data) && isRecord(data)) {
      serverlessFacts(f, data, today);
      kinds.add("serverless");
    } else if (isCloudFormation(data) && isRecord(data)) {
      cloudFormationFacts(f, data, today);
      kinds.add("cloudformation");
    } else if (isRecord(data) && Array.isArray(data.containerDefinitions)) {
      ecsTaskFacts(f.for(`task ${String(data.family ?? name)}`), data, []);
      kinds.add("ecs-task-definition");
    } else if (isGithubWorkflow(data)) {
      const summary = githubWorkflowFacts(f, data, doc, input.text.split("\n"));
      pipelines.push({ summary, line: doc.lineOf(summary.anchor) });
      kinds.add("github-workflow");
    } else if (isGitlabCi(name, data)) {
      const summary = gitlabCiFacts(f, data, doc, input.text.split("\n"));
      pipelines.push({ summary, line: doc.lineOf(summary.anchor) });
      kinds.add("gitlab-ci");
    } else if (isDependabot(data)) {
      dependabotFacts(f, data);
      kinds.add("dependabot");
    } else if (isRenovate(name, data)) {
      renovateFacts(f, data);
      kinds.add("renovate");
    } else if (isRecord(data) && isRecord(data.services)) {
      composeFacts(f, data);
      kinds.add("compose");
    } else continue;
    parts.push({ doc: part, findings: f });
  }
  if (parts.length === 0 && kustomizations.length === 0 && parsed.problems.length === 0)
    return { kinds: [], parts, problems: [], unrecognised: UNRECOGNISED };
  return { kinds: [...kinds], parts, problems: parsed.problems, objects, kustomizations, pipelines };
}

const MAX_EXCERPT = 160;

function sourceExcerpt(lines: string[], line: number, fallback: string): string {
  const text = (lines[line - 1] ?? "").trim();
  return text.length > 0 && text.length <= MAX_EXCERPT ? text : fallback;
}

/** When the source line is too long to show (a one-line plan), the resource and the keys that lead there. */
function fallbackExcerpt(resource: string | undefined, path: (string | number)[]): string {
  const keys = path
    .filter((s) => typeof s === "string" && s !== resource)
    .slice(-2)
    .join(".");
  return `${resource ?? ""} ${keys}`.trim();
}

function fileFact(
  file: string,
  line: number,
  fact: string,
  value: FileFact["value"],
  resource: string | undefined,
  excerpt: string,
): FileFact {
  return { fact, value, file, line, excerpt, ...(resource ? { resource } : {}) };
}

function dedupe(facts: FileFact[]): FileFact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const key = `${f.fact}\0${String(f.value)}\0${f.line}\0${f.resource ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Mask secrets in every excerpt with one scan, before anything is stored or shown. */
async function maskExcerpts<T extends { excerpt: string }>(items: T[]): Promise<T[]> {
  if (items.length === 0) return items;
  const { text } = await maskSecrets(items.map((i) => i.excerpt.replace(/\n/g, " ")).join("\n"));
  const masked = text.split("\n");
  return items.map((item, i) => ({ ...item, excerpt: masked[i] ?? "[secret masked]" }));
}

import { asArray, asString, isRecord } from "./documents.js";
import type { Findings, PathStep, RoleUse, SecretCandidate } from "./findings.js";

/**
 * Who a role's trust policy lets assume it: tokens of an OIDC provider (a Kubernetes service account
 * through IRSA, a CI job), an AWS service (Lambda, EC2 for an instance profile), or other AWS principals.
 */
export interface TrustedCaller {
  kind: "web-identity" | "service" | "aws";
  /** Token subjects (patterns with * and ?) or service names it admits; undefined: any of that kind. */
  subjects: string[] | undefined;
  /** Where the statement's deciding line is: the subject condition, or the principal. */
  path: PathStep[];
}

/** Who a workload runs as, in the terms a trust policy names it ("system:serviceaccount:ns:name"). */
export interface RunAs {
  kind: TrustedCaller["kind"];
  subject: string;
}

/** The facts a role assumed at run time shows about the workload that runs as it. */
export interface IdentityFact {
  fact: "iam.static-keys" | "iam.shared-role";
  value: boolean;
  /** The trust statement that decides it. */
  path: PathStep[];
}

const WEB_IDENTITY = /^sts:AssumeRoleWithWebIdentity$/i;
const ASSUME = /^sts:(?:AssumeRole|\*)$|^\*$/i;

/** The callers of a trust policy's Allow statements; undefined when the document cannot be read. */
export function trustedCallers(doc: unknown, path: PathStep[]): TrustedCaller[] | undefined {
  if (!isRecord(doc)) return undefined;
  const callers: TrustedCaller[] = [];
  asArray(doc.Statement).forEach((s, i) => {
    if (!isRecord(s) || (asString(s.Effect) ?? "Allow") !== "Allow") return;
    const here = [...path, "Statement", i];
    const actions = asArray(s.Action).map(asString);
    const principal = isRecord(s.Principal) ? s.Principal : {};
    if (principal.Federated !== undefined && actions.some((a) => a !== undefined && WEB_IDENTITY.test(a))) {
      callers.push(webIdentityCaller(s.Condition, here));
    } else if (principal.Service !== undefined && actions.some((a) => a !== undefined && ASSUME.test(a))) {
      const services = asArray(principal.Service).map(asString);
      const known = services.every((x) => x !== undefined);
      callers.push({
        kind: "service",
        subjects: known ? (services as string[]) : undefined,
        path: [...here, "Principal"],
      });
    } else if (principal.AWS !== undefined || s.Principal === "*") {
      callers.push({ kind: "aws", subjects: undefined, path: [...here, "Principal"] });
    }
  });
  return callers;
}

/** An OIDC trust: the `:sub` condition names the tokens admitted; without one, every token of the issuer is. */
function webIdentityCaller(condition: unknown, here: PathStep[]): TrustedCaller {
  for (const operator of ["StringEquals", "StringLike"]) {
    const tests = isRecord(condition) ? condition[operator] : undefined;
    if (!isRecord(tests)) continue;
    const key = Object.keys(tests).find((k) => k.endsWith(":sub"));
    if (key === undefined) continue;
    const values = asArray(tests[key]).map(asString);
    if (values.some((v) => v === undefined)) break;
    const subjects = operator === "StringEquals" ? (values as string[]).map(literal) : (values as string[]);
    return { kind: "web-identity", subjects, path: [...here, "Condition", operator, key] };
  }
  return { kind: "web-identity", subjects: undefined, path: [...here, "Principal"] };
}

// StringEquals compares exactly: escape the pattern characters so a literal never matches more.
const literal = (s: string) => s.replace(/[*?]/g, "\\$&");

/** IAM's StringLike: * any run of characters, ? one character. */
function matches(pattern: string, subject: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "\\" && i + 1 < pattern.length) re += escapeChar(pattern.charAt(++i));
    else if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else re += escapeChar(c);
  }
  return new RegExp(`^${re}$`).test(subject);
}
const escapeChar = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isLiteral = (pattern: string) => !/(?<!\\)[*?]/.test(pattern);

/** Whether a caller of a trust policy admits the workload. */
export function admits(caller: TrustedCaller, who: RunAs): boolean {
  if (caller.kind !== who.kind) return false;
  return caller.subjects === undefined || caller.subjects.some((p) => matches(p, who.subject));
}

/**
 * What a role the workload assumes at run time shows. Its credentials are short-lived and issued on each
 * assumption, so the workload does not use long-lived keys (an access key anywhere in the same files
 * still wins when facts are combined). When the trust admits this one workload alone, no other workload
 * can take the role; when it admits patterns or every token of the issuer, others can. A service
 * principal (lambda.amazonaws.com) admits whatever the account attaches the role to, which the trust
 * cannot tell, so it decides nothing about sharing.
 */
export function runTimeIdentityFacts(callers: readonly TrustedCaller[], who: RunAs): IdentityFact[] {
  const admitting = callers.find((c) => admits(c, who));
  if (!admitting) return [];
  const out: IdentityFact[] = [{ fact: "iam.static-keys", value: false, path: admitting.path }];
  if (who.kind !== "web-identity") return out;
  const broad = callers.find((c) => c.subjects === undefined || !c.subjects.every(isLiteral));
  const only = callers.length === 1 && admitting.subjects?.length === 1 && broad === undefined;
  if (broad) out.push({ fact: "iam.shared-role", value: true, path: broad.path });
  else if (only) out.push({ fact: "iam.shared-role", value: false, path: admitting.path });
  return out;
}

// Environment variables and secret keys that hand a workload long-lived AWS access keys.
const ACCESS_KEY_NAMES = new Set(["aws_access_key_id", "aws_secret_access_key"]);

/** An environment variable or secret key that carries an AWS access key, whatever its value or source. */
export const isAccessKeyName = (name: string) => ACCESS_KEY_NAMES.has(name.toLowerCase());

/** A role with each caller's evidence already placed in its file. */
export interface PlacedRole {
  callers: (TrustedCaller & { file: string; line: number; excerpt: string })[];
  resource?: string | undefined;
}

/** A workload's run-time identity. */
export interface PlacedRunAs {
  who: RunAs;
  through?: string | undefined;
  mayHoldKeys?: boolean | undefined;
}

/**
 * Facts of the workloads whose run-time identity is a role the same files declare. Roles and workloads
 * sit in different files (the Terraform role, the Kubernetes Deployment), so this runs over the whole set.
 * A workload that holds keys, or may read variables the files do not list, decides nothing about keys.
 */
export function workloadIdentityFacts(
  roles: readonly PlacedRole[],
  workloads: readonly PlacedRunAs[],
  links: ReadonlySet<string>,
): {
  fact: IdentityFact["fact"];
  value: boolean;
  file: string;
  line: number;
  excerpt: string;
  resource?: string;
}[] {
  const out = [];
  for (const w of workloads) {
    if (w.through !== undefined && !links.has(w.through)) continue;
    for (const role of roles) {
      for (const f of runTimeIdentityFacts(role.callers, w.who)) {
        if (f.fact === "iam.static-keys" && w.mayHoldKeys) continue;
        const at = role.callers.find((c) => c.path === f.path);
        if (!at) continue;
        out.push({
          fact: f.fact,
          value: f.value,
          file: at.file,
          line: at.line,
          excerpt: at.excerpt,
          ...(role.resource ? { resource: role.resource } : {}),
        });
      }
    }
  }
  return out;
}

/**
 * A role the platform hands the workload at run time (a Lambda execution role, a VM instance profile):
 * short-lived credentials, so no long-lived access key. This is a per-file finding, and when facts are
 * combined any `true` wins (combine.ts): an access key anywhere in the given files still decides.
 */
export function roleAssumedAtRunTime(f: Findings, path: PathStep[], what: string): void {
  f.add("iam.static-keys", false, path, `${what}: role assumed at run time, no access key`);
}

/** An access key created for a user: long-lived credentials someone copies into the workload. */
export function accessKeyCreated(f: Findings, path: PathStep[]): void {
  f.add("iam.static-keys", true, path);
}

/**
 * An identity the workload's own files create for it alone (its execution role, its instance profile, a
 * service user with its key): not another workload's.
 */
export function identityOfItsOwn(f: Findings, path: PathStep[], what: string): void {
  f.add("iam.shared-role", false, path, `${what}: created for this workload alone`);
}

// The shape of a long-lived key id (AKIA…; the ASIA… ids of temporary credentials are not long-lived).
const LONG_LIVED_KEY_ID = /^AKIA[A-Z0-9]{16}$/;

/** A secret found in configuration that is itself a long-lived cloud access key. */
export const isAccessKey = (c: Pick<SecretCandidate, "name" | "value">): boolean =>
  isAccessKeyName(c.name) || LONG_LIVED_KEY_ID.test(c.value.trim());

/** `aws_iam_role.NAME` when a Terraform value is a reference to that role's arn, name or id. */
export function terraformRoleReference(value: unknown): string | undefined {
  const m =
    typeof value === "string" ? /^\$\{(aws_iam_role\.[A-Za-z_][\w-]*)\.(?:arn|name|id)\}$/.exec(value) : null;
  return m?.[1];
}

/** A role use placed in its file; the module is the folder, where Terraform resolves references. */
export type PlacedRoleUse = RoleUse & { module: string; file: string; line: number; excerpt: string };

/**
 * Whether an ECS task's role is its own. A role the given files create, that no other task, function or
 * instance profile of the same module runs as, is this task's alone; one several of them run as is
 * shared. A role created elsewhere (a reference the files cannot follow, a literal ARN) decides nothing.
 */
export function taskRoleSharingFacts(uses: readonly PlacedRoleUse[]): {
  fact: "iam.shared-role";
  value: boolean;
  file: string;
  line: number;
  excerpt: string;
  resource?: string;
}[] {
  const byRole = new Map<string, PlacedRoleUse[]>();
  for (const u of uses) {
    const key = `${u.module}\0${u.role}`;
    byRole.set(key, [...(byRole.get(key) ?? []), u]);
  }
  const out = [];
  for (const group of byRole.values()) {
    if (!group.some((u) => u.kind === "declared")) continue;
    const runners = group.filter((u) => u.kind !== "declared");
    for (const task of runners.filter((u) => u.kind === "task-role")) {
      const others = runners.filter((u) => u !== task).map((u) => u.resource ?? u.role);
      const excerpt =
        others.length === 0
          ? `ECS task role ${task.role}: created in these files for this task alone`
          : `ECS task role ${task.role}: also the role of ${others.join(", ")}`;
      out.push({
        fact: "iam.shared-role" as const,
        value: others.length > 0,
        file: task.file,
        line: task.line,
        excerpt,
        ...(task.resource ? { resource: task.resource } : {}),
      });
    }
  }
  return out;
}

import { asArray, asString, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";

// AWS managed policies that grant whole services or everything.
const BROAD_MANAGED = /(?:^|\/)(?:AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]+FullAccess)$/;

/**
 * The AWS managed policy that lets the Systems Manager agent open Session Manager sessions. Its exact
 * actions include ssm:GetParameter and GetParameters on "*": the instance may read every parameter.
 */
export const SSM_CORE_POLICY = /(?:^|:policy\/)AmazonSSMManagedInstanceCore$/;

/**
 * A managed policy attached to the workload's role. The broad ones grant whole services (or everything)
 * on every resource; administrator and IAM full access can also pass roles and edit policies.
 */
export function managedPolicyFacts(f: Findings, nameOrArn: unknown, path: PathStep[]): void {
  const s = asString(nameOrArn);
  if (s !== undefined && SSM_CORE_POLICY.test(s)) f.add("iam.resource-wildcard", true, path);
  if (s === undefined || !BROAD_MANAGED.test(s)) return;
  f.add("iam.action-wildcard", true, path);
  f.add("iam.resource-wildcard", true, path);
  if (/(?:^|\/)(?:AdministratorAccess|IAMFullAccess)$/.test(s)) f.add("iam.pass-role", true, path);
  // Managed policies whose published documents grant one data service and no IAM action at all.
  else if (/(?:^|\/)Amazon(?:S3|SQS|SNS|Kinesis)FullAccess$/.test(s)) f.add("iam.pass-role", false, path);
}

const isActionWildcard = (a: string) => a === "*" || a.endsWith(":*");
// Actions the Service Authorization Reference lists with no resource type: IAM can only grant them on
// "*", so a statement of these alone on "*" reaches no resource a narrower grant would have spared
// (CDK adds the X-Ray pair to every traced function's role).
const NO_RESOURCE_TYPE = new Set([
  "xray:puttracesegments",
  "xray:puttelemetryrecords",
  "xray:getsamplingrules",
  "xray:getsamplingtargets",
  "xray:getsamplingstatisticsummaries",
  "cloudwatch:putmetricdata",
]);
const onlyUnscopable = (actions: (string | undefined)[]) =>
  actions.length > 0 && actions.every((a) => a !== undefined && NO_RESOURCE_TYPE.has(a.toLowerCase()));
const canPassRole = (a: string) =>
  a === "*" || /^iam:(?:\*|PassRole|Put\w*Policy|Attach\w*Policy|Create\w*Policy\w*)$/i.test(a);

/**
 * Facts from one IAM policy document: wildcard actions, actions on Resource "*", and role passing or
 * policy editing. A document whose Allow statements name exact actions and resources shows the
 * opposite, so it sets the flags to false (a wildcard elsewhere still wins when facts are combined).
 */
export function policyDocumentFacts(f: Findings, doc: unknown, path: PathStep[]): void {
  if (typeof doc === "string") {
    try {
      policyDocumentFacts(f, JSON.parse(doc), path);
    } catch {
      // A policy built from expressions is not a literal document; nothing can be read from it.
    }
    return;
  }
  if (!isRecord(doc)) return;
  const statementKey =
    ["Statement", "statement", "statements", "iamRoleStatements"].find((k) => doc[k] !== undefined) ??
    "Statement";
  const statements = asArray(doc[statementKey]);
  let actionWildcard = false;
  let resourceWildcard = false;
  let passRole = false;
  let readable = false;
  statements.forEach((s, i) => {
    if (!isRecord(s)) return;
    const effect = asString(s.Effect ?? s.effect) ?? "Allow";
    if (effect !== "Allow") return;
    const here = [...path, statementKey, i];
    const actions = asArray(s.Action ?? s.actions ?? s.Actions).map(asString);
    // An intrinsic (!Sub, !GetAtt) or an interpolation names a specific resource, never "*".
    const resources = asArray(s.Resource ?? s.resources ?? s.Resources).map(asString);
    if (actions.some((a) => a === undefined)) return;
    readable = true;
    if (s.NotAction !== undefined || s.not_actions !== undefined) {
      actionWildcard = true;
      f.add("iam.action-wildcard", true, [...here, "NotAction"]);
    }
    const wild = actions.find((a) => a !== undefined && isActionWildcard(a));
    if (wild) {
      actionWildcard = true;
      f.add("iam.action-wildcard", true, [...here, actionKey(s)]);
    }
    if (resources.includes("*") && !onlyUnscopable(actions)) {
      resourceWildcard = true;
      f.add("iam.resource-wildcard", true, [...here, resourceKey(s)]);
    }
    if (actions.some((a) => a !== undefined && canPassRole(a)) && resources.includes("*")) {
      passRole = true;
      f.add("iam.pass-role", true, [...here, actionKey(s)]);
    }
  });
  if (!readable) return;
  const all = [...path, statementKey];
  if (!actionWildcard) f.add("iam.action-wildcard", false, all);
  if (!resourceWildcard) f.add("iam.resource-wildcard", false, all);
  if (!passRole) f.add("iam.pass-role", false, all);
}

const actionKey = (s: Record<string, unknown>) => (s.Action !== undefined ? "Action" : "actions");
const resourceKey = (s: Record<string, unknown>) => (s.Resource !== undefined ? "Resource" : "resources");

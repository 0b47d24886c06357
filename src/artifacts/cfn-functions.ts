import { arnText, referencedId } from "./api-gateway.js";
import { asArray, asString, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { identityOfItsOwn } from "./run-time-identity.js";
import { type DeclaredEvents, NO_WRITE, type Trigger, triggerWrite } from "./triggers.js";

const FUNCTION = "AWS::Lambda::Function";
// AWS managed policies for execution roles whose published documents grant logs, traces and network
// interfaces only: no queue or bucket write among them.
const NO_DATA_WRITES =
  /\/(?:AWSLambdaBasicExecutionRole|AWSLambdaVPCAccessExecutionRole|AWSXRayDaemonWriteAccess)$/;

interface Invocations {
  /** What invokes it: a service principal, "an event source mapping", "its function URL". */
  by: string[];
  triggers: Trigger[];
}

/**
 * A plain Lambda function is invoked only by whoever its resource policy (AWS::Lambda::Permission) lets
 * in, by the event source mappings that poll for it, or through its function URL; a CDK app declares
 * each of these in the function's own stack. So when every function of the template has its invokers in
 * it, and none is open to any principal, they are its whole event list, read as a SAM template's events
 * are (triggers.ts). A function with none here is invoked from somewhere the files do not show.
 */
export function plainFunctionFacts(
  f: Findings,
  resources: Record<string, unknown>,
  outputs: unknown,
  declared: DeclaredEvents,
): void {
  const functions = new Map<string, Invocations>();
  for (const [id, res] of Object.entries(resources))
    if (at(res, "Type") === FUNCTION) functions.set(id, { by: [], triggers: [] });
  if (functions.size === 0) return;
  for (const [id, res] of Object.entries(resources)) {
    const props = at(res, "Properties");
    const p: PathStep[] = ["Resources", id, "Properties"];
    switch (at(res, "Type")) {
      case "AWS::Lambda::Permission": {
        const fn = functions.get(referencedId(at(props, "FunctionName")) ?? "");
        const principal = asString(at(props, "Principal"));
        // A permission for a function named another way, or for any principal, leaves the list open.
        if (!fn || principal === undefined || !principal.endsWith(".amazonaws.com")) {
          declared.complete = false;
          break;
        }
        fn.by.push(principal);
        if (principal === "s3.amazonaws.com") {
          declared.storage = true;
          // A bucket may invoke the function only to deliver its object events.
          f.for(`AWS::Lambda::Permission ${id}`).add("events.storage", true, [...p, "Principal"]);
          fn.triggers.push({ kind: "storage", source: at(props, "SourceArn") });
        }
        break;
      }
      case "AWS::Lambda::EventSourceMapping": {
        const fn = functions.get(referencedId(at(props, "FunctionName")) ?? "");
        declared.queue = true;
        if (!fn) declared.complete = false;
        fn?.by.push("an event source mapping");
        fn?.triggers.push({ kind: "queue", source: at(props, "EventSourceArn") });
        break;
      }
      case "AWS::Lambda::Url":
        functions.get(referencedId(at(props, "TargetFunctionArn")) ?? "")?.by.push("its function URL");
        break;
    }
  }
  for (const [id, fn] of functions) {
    declared.listed.push(`${id} invoked by ${fn.by.join(", ")}`);
    if (fn.by.length === 0) declared.complete = false;
  }
  loopFacts(f, resources, functions);
  secretReads(f, resources, functions);
  ownRoles(f, resources, outputs);
}

/**
 * Whether a function writes to its own trigger, over every function with a queue or bucket trigger: one
 * whose role writes to it by name decides true; false needs each such role wholly in the template
 * (inline policies, policy resources attached to it, managed policies known to write no data) and
 * granting no write of its triggers' kinds.
 */
function loopFacts(
  f: Findings,
  resources: Record<string, unknown>,
  functions: Map<string, Invocations>,
): void {
  let none: PathStep[] | undefined;
  for (const [id, fn] of functions) {
    if (fn.triggers.length === 0) continue;
    const rolePath = ["Resources", id, "Properties", "Role"];
    const role = roleStatements(resources, referencedId(at(resources[id], "Properties", "Role")));
    const w = role ? triggerWrite(role.statements, fn.triggers) : "maybe";
    if (typeof w === "object") {
      f.for(`${FUNCTION} ${id}`).add("fn.writes-to-trigger", true, w.writes);
      return;
    }
    if (w === "maybe" || !role?.complete) return;
    none ??= rolePath;
  }
  if (none) f.for("functions").add("fn.writes-to-trigger", false, none, NO_WRITE);
}

/**
 * A function whose execution role may read a named secret's value fetches that secret from the secret
 * manager at run time. A read on "*" or through a wildcard action shows no particular secret, so it is
 * not counted.
 */
function secretReads(
  f: Findings,
  resources: Record<string, unknown>,
  functions: Map<string, Invocations>,
): void {
  for (const id of functions.keys()) {
    const role = roleStatements(resources, referencedId(at(resources[id], "Properties", "Role")));
    const read = role?.statements.find(({ value: s }) => {
      if ((asString(at(s, "Effect")) ?? "Allow") !== "Allow") return false;
      const resources = asArray(at(s, "Resource"));
      const named = resources.length > 0 && resources.every((r) => r !== "*");
      return named && asArray(at(s, "Action")).some((a) => asString(a)?.toLowerCase() === READ_SECRET);
    });
    if (read) f.for(`${FUNCTION} ${id}`).add("secrets.manager", true, [...read.path, "Action"]);
  }
}

const READ_SECRET = "secretsmanager:getsecretvalue";

function roleStatements(
  resources: Record<string, unknown>,
  roleId: string | undefined,
): { statements: { value: unknown; path: PathStep[] }[]; complete: boolean } | undefined {
  const role = roleId === undefined ? undefined : resources[roleId];
  if (roleId === undefined || at(role, "Type") !== "AWS::IAM::Role") return undefined;
  const statements: { value: unknown; path: PathStep[] }[] = [];
  const add = (doc: unknown, path: PathStep[]) =>
    asArray(at(doc, "Statement")).forEach((value, i) => {
      statements.push({ value, path: [...path, "Statement", i] });
    });
  const p = ["Resources", roleId, "Properties"];
  asArray(at(role, "Properties", "Policies")).forEach((pol, i) => {
    add(at(pol, "PolicyDocument"), [...p, "Policies", i, "PolicyDocument"]);
  });
  for (const [id, res] of Object.entries(resources)) {
    const type = at(res, "Type");
    if (type !== "AWS::IAM::Policy" && type !== "AWS::IAM::ManagedPolicy") continue;
    if (asArray(at(res, "Properties", "Roles")).some((r) => referencedId(r) === roleId))
      add(at(res, "Properties", "PolicyDocument"), ["Resources", id, "Properties", "PolicyDocument"]);
  }
  const managed = asArray(at(role, "Properties", "ManagedPolicyArns"));
  const complete = managed.every((arn) => NO_DATA_WRITES.test(arnText(arn) ?? ""));
  return { statements, complete };
}

/**
 * A role created in this template with no fixed name, for one function and nothing else here: no other
 * stack can name it in advance, so it is that function's own. A named role, or one the template exports,
 * may be attached elsewhere, so nothing is said of it.
 */
function ownRoles(f: Findings, resources: Record<string, unknown>, outputs: unknown): void {
  const users = new Map<string, string[]>();
  for (const [id, res] of Object.entries(resources)) {
    if (at(res, "Type") !== FUNCTION) continue;
    const roleId = referencedId(at(res, "Properties", "Role"));
    if (roleId !== undefined) users.set(roleId, [...(users.get(roleId) ?? []), id]);
  }
  for (const [roleId, fns] of users) {
    const role = resources[roleId];
    if (fns.length !== 1 || at(role, "Type") !== "AWS::IAM::Role") continue;
    if (at(role, "Properties", "RoleName") !== undefined || mentions(outputs, roleId)) continue;
    if (usedElsewhere(resources, roleId)) continue;
    const fn = fns[0] ?? "";
    identityOfItsOwn(
      f.for(`${FUNCTION} ${fn}`),
      ["Resources", fn, "Properties", "Role"],
      `execution role ${roleId}`,
    );
  }
}

/** Whether anything but a function's Role or a policy attached to the role refers to it. */
function usedElsewhere(resources: Record<string, unknown>, roleId: string): boolean {
  return Object.entries(resources).some(([id, res]) => {
    if (id === roleId || !isRecord(res)) return false;
    const type = at(res, "Type");
    if (type === FUNCTION || type === "AWS::IAM::Policy" || type === "AWS::IAM::ManagedPolicy") return false;
    return mentions(res.Properties, roleId);
  });
}

const mentions = (value: unknown, id: string): boolean =>
  referencedId(value) === id ||
  (Array.isArray(value)
    ? value.some((v) => mentions(v, id))
    : isRecord(value) && Object.values(value).some((v) => mentions(v, id)));

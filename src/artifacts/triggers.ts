import { asArray, asString, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";

/** Which kinds of event source the functions of one template list, and where their events are declared. */
export interface DeclaredEvents {
  path: PathStep[];
  /** Each function and the event types it lists, e.g. ["intake: http", "fulfil: sqs"]. */
  listed: string[];
  storage: boolean;
  queue: boolean;
  /** False when some function lists no events: it is invoked or wired from somewhere the files do not show. */
  complete: boolean;
}

/**
 * A serverless.yml or SAM template lists every event source of each function it declares, so a kind no
 * function lists is a kind they do not have. This negative is safe within the given files because a
 * trigger wired by another resource in them (a bucket notification, an event source mapping) sets its
 * fact true, and a true wins when facts are combined.
 */
export function declaredEventKinds(f: Findings, e: DeclaredEvents): void {
  if (e.listed.length === 0 || !e.complete) return;
  const listed = e.listed.join("; ");
  if (!e.storage) f.add("events.storage", false, e.path, `events: ${listed} (no object-storage events)`);
  if (!e.queue) f.add("events.queue", false, e.path, `events: ${listed} (no queue or stream events)`);
}

/** An event source of one function: the queue ARN or bucket name its event names. */
export interface Trigger {
  kind: "storage" | "queue";
  /** An ARN, a bucket name or an intrinsic (`Fn::GetAtt`), compared as written. */
  source: unknown;
}

// The action that puts a message on a queue or an object in a bucket.
const WRITE: Record<Trigger["kind"], string> = { queue: "sqs:SendMessage", storage: "s3:PutObject" };

/** Whether an IAM action, wildcards and all (`sqs:*`, `s3:Put*`, `*`), covers `action`. */
const covers = (granted: string, action: string): boolean =>
  new RegExp(
    `^${granted
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  ).test(action);

const names = (resource: unknown, t: Trigger): boolean => {
  if (JSON.stringify(resource) === JSON.stringify(t.source)) return true;
  const r = asString(resource);
  const bucket = asString(t.source);
  // A bucket event names the bucket; a policy names it, or its objects, by ARN.
  return (
    t.kind === "storage" &&
    r !== undefined &&
    bucket !== undefined &&
    (r === `arn:aws:s3:::${bucket}` || r.startsWith(`arn:aws:s3:::${bucket}/`))
  );
};

/** What a role's statements show about writes to its function's triggers. */
export type TriggerWrite = { writes: PathStep[] } | "none" | "maybe";

/**
 * Whether a function's role may write to the queue or bucket that triggers it, from the role's statements
 * (each with its path). A statement that grants the write on the trigger itself, by name, is a write the
 * function was given on purpose: the loop is real. A role that grants no write of its triggers' kinds at
 * all rules the loop out. A write on "*", on another resource, or on one written another way (an ARN for
 * a `!GetAtt`) decides neither: the role may reach the trigger, but nothing says the code does.
 */
export function triggerWrite(
  statements: readonly { value: unknown; path: PathStep[] }[],
  triggers: readonly Trigger[],
): TriggerWrite {
  let mayWrite = false;
  for (const { value: s, path } of statements) {
    if (!isRecord(s) || (asString(s.Effect) ?? "Allow") !== "Allow") continue;
    if (s.NotAction !== undefined || s.NotResource !== undefined) {
      mayWrite = true;
      continue;
    }
    const actions = asArray(s.Action).map((a) => asString(a) ?? "");
    const resources = asArray(s.Resource);
    for (const t of triggers) {
      if (!actions.some((a) => covers(a, WRITE[t.kind]))) continue;
      if (resources.some((r) => names(r, t))) return { writes: [...path, "Resource"] };
      mayWrite = true;
    }
  }
  return mayWrite ? "maybe" : "none";
}

/** The loop fact of one role's statements; `complete` when no statement of the role is out of sight. */
export function writesToTrigger(
  f: Findings,
  statements: unknown[],
  path: PathStep[],
  triggers: Trigger[],
  complete: boolean,
): void {
  if (triggers.length === 0) return;
  const w = triggerWrite(
    statements.map((value, i) => ({ value, path: [...path, i] })),
    triggers,
  );
  if (typeof w === "object") f.add("fn.writes-to-trigger", true, w.writes);
  else if (complete && w === "none") f.add("fn.writes-to-trigger", false, path, NO_WRITE);
}

export const NO_WRITE = "role grants no write to a queue or bucket of its triggers' kinds";

/** Is a principal in a queue or topic policy anyone, or a whole account, rather than a named producer? */
function admitsMore(statement: Record<string, unknown>): boolean {
  // A source ARN or account condition narrows a service or wildcard principal to named producers.
  const conditionKeys = Object.values(isRecord(statement.Condition) ? statement.Condition : {}).flatMap(
    (operator) => (isRecord(operator) ? Object.keys(operator) : []),
  );
  if (conditionKeys.some((k) => /^aws:(?:SourceArn|SourceAccount|SourceOwner|PrincipalArn)$/i.test(k)))
    return false;
  const principal = statement.Principal;
  if (principal === "*") return true;
  if (!isRecord(principal)) return false;
  const aws = asArray(principal.AWS).map((p) => asString(p) ?? "");
  // A whole account (its root or bare id) lets every identity its administrators choose publish.
  if (aws.some((p) => p === "*" || /^\d{12}$/.test(p) || /:root$/.test(p))) return true;
  return principal.Service !== undefined;
}

const PUBLISH = /^(?:\*|sqs:\*|sqs:SendMessage|sns:\*|sns:Publish)$/i;

/**
 * A queue or topic policy that lets anyone, a whole account, or a service without a source condition
 * publish. Only the open side is claimed: a policy naming its producers says nothing about other trigger
 * sources in or outside the files, and a source with no policy at all is open to whoever its account's
 * IAM policies allow, which the team decides (so that case is asked, not guessed).
 */
export function publisherPolicyFacts(f: Findings, doc: unknown, path: PathStep[]): void {
  const policy = typeof doc === "string" ? safeJson(doc) : doc;
  if (!isRecord(policy)) return;
  asArray(policy.Statement).forEach((s, i) => {
    if (!isRecord(s) || (asString(s.Effect) ?? "Allow") !== "Allow") return;
    const publishes = asArray(s.Action).some((a) => PUBLISH.test(asString(a) ?? ""));
    if (publishes && admitsMore(s))
      f.add("events.publishers-restricted", false, [...path, "Statement", i, "Principal"]);
  });
}

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

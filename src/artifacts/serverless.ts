import { classificationFacts } from "./classification.js";
import { cloudFormationFacts, functionUrl } from "./cloudformation.js";
import { asArray, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { policyDocumentFacts } from "./iam.js";
import { type Located, lambdaFacts } from "./lambda.js";
import { identityOfItsOwn, roleAssumedAtRunTime } from "./run-time-identity.js";
import { declaredEventKinds, type Trigger, writesToTrigger } from "./triggers.js";

/** A serverless.yml: a `service` with a `provider` (the Serverless Framework). */
export const isServerless = (doc: unknown) =>
  isRecord(doc) && doc.service !== undefined && isRecord(doc.provider);

const HTTP_EVENTS = new Set(["http", "httpApi"]);
const QUEUE_EVENTS = new Set(["sqs", "stream", "kafka", "msk", "activemq", "rabbitmq"]);

/** Facts of a Serverless Framework service: provider defaults, each function, IAM statements, resources. */
export function serverlessFacts(f: Findings, doc: Record<string, unknown>, today: Date): void {
  const provider = isRecord(doc.provider) ? doc.provider : {};
  const fromProvider = (key: string, ...sub: string[]): Located | undefined => {
    const v = at(provider, key, ...sub);
    return v === undefined ? undefined : { value: v, path: ["provider", key, ...sub] };
  };
  const p = f.for("provider");
  for (const key of ["tags", "stackTags"]) classificationFacts(p, provider[key], ["provider", key]);
  const role = at(provider, "iam", "role");
  if (isRecord(role) && role.statements !== undefined)
    policyDocumentFacts(p, role, ["provider", "iam", "role"]);
  else if (provider.iamRoleStatements !== undefined) policyDocumentFacts(p, provider, ["provider"]);
  const providerEnv = fromProvider("environment");
  if (providerEnv) lambdaEnv(p, providerEnv);

  const functions = isRecord(doc.functions) ? doc.functions : {};
  // Functions without a role of their own all run with the provider's one role.
  const onProviderRole = Object.entries(functions)
    .filter(([, fn]) => isRecord(fn) && fn.role === undefined)
    .map(([name]) => name);
  if (onProviderRole.length > 1 && (isRecord(role) || provider.iamRoleStatements !== undefined)) {
    p.add(
      "iam.shared-role",
      true,
      ["provider", "iam", "role"],
      `one provider role for ${onProviderRole.join(", ")}`,
    );
  }
  const roleIsArn = typeof role === "string" || typeof provider.role === "string";
  const rolePath: PathStep[] = isRecord(role) ? ["provider", "iam", "role"] : ["functions"];
  if (Object.keys(functions).length > 0) roleAssumedAtRunTime(p, rolePath, "Lambda execution role");
  // The framework creates the provider role for this service; one function on it has it to itself.
  if (onProviderRole.length === 1 && Object.keys(functions).length === 1 && !roleIsArn)
    identityOfItsOwn(p, rolePath, `provider role of ${onProviderRole[0]}`);
  const listed: string[] = [];
  const routes = { count: 0, open: false };
  const kinds = { storage: false, queue: false, complete: true };
  const providerTriggers: Trigger[] = [];
  for (const [name, fn] of Object.entries(functions)) {
    if (!isRecord(fn)) continue;
    const r = f.for(`function ${name}`);
    const p: PathStep[] = ["functions", name];
    classificationFacts(r, fn.tags, [...p, "tags"]);
    const own = (key: string): Located | undefined =>
      fn[key] === undefined ? undefined : { value: fn[key], path: [...p, key] };
    const events = asArray(fn.events).map((e) => (isRecord(e) ? (Object.keys(e)[0] ?? "") : String(e)));
    listed.push(`${name}: ${events.join(", ")}`);
    if (events.length === 0) kinds.complete = false;
    if (fn.role === undefined) providerTriggers.push(...triggersOf(fn.events));
    // `private: true` on an http event makes API Gateway require an API key.
    asArray(fn.events).forEach((e, i) => {
      if (at(e, "http", "private") === true)
        r.add("api.static-keys", true, [...p, "events", i, "http", "private"]);
      // A request schema makes API Gateway refuse bodies that do not match it before the function runs.
      if (at(e, "http", "request", "schemas") !== undefined)
        r.add("api.validation", true, [...p, "events", i, "http", "request", "schemas"]);
      const kind = isRecord(e) ? Object.keys(e)[0] : undefined;
      if (kind !== undefined && HTTP_EVENTS.has(kind)) {
        const route = at(e, kind);
        const guarded = at(route, "private") === true || at(route, "authorizer") !== undefined;
        if (!guarded) routes.open = true;
        routes.count++;
      }
    });
    const tracing = own("tracing") ?? fromProvider("tracing", "lambda");
    lambdaFacts(
      r,
      {
        path: p,
        runtime: own("runtime") ?? fromProvider("runtime"),
        timeout: own("timeout") ?? fromProvider("timeout"),
        reservedConcurrency: own("reservedConcurrency"),
        vpc: own("vpc") ?? fromProvider("vpc"),
        tracing,
        deadLetter:
          own("onError") ??
          (at(fn, "destinations", "onFailure") === undefined
            ? undefined
            : { value: true, path: [...p, "destinations", "onFailure"] }),
        image: fn.image !== undefined,
        httpOnly: events.length > 0 && events.every((e) => HTTP_EVENTS.has(e)),
      },
      today,
    );
    const env = own("environment");
    if (env) lambdaEnv(r, env);
    const url = fn.url;
    // `url: true` creates a function URL with no authoriser; `authorizer: aws_iam` requires signed calls.
    if (url === true) functionUrl(r, "NONE", [...p, "url"]);
    else if (isRecord(url)) functionUrl(r, url.authorizer === "aws_iam" ? "AWS_IAM" : "NONE", [...p, "url"]);
    if (events.some((e) => HTTP_EVENTS.has(e))) {
      r.add("api.present", true, [...p, "events"]);
      // API Gateway endpoints are public unless the service declares them private.
      if (String(provider.endpointType).toUpperCase() !== "PRIVATE")
        r.add("exposure.internet", true, [...p, "events"]);
    }
    if (events.includes("s3")) {
      kinds.storage = true;
      r.add("events.storage", true, [...p, "events"]);
    }
    if (events.some((e) => QUEUE_EVENTS.has(e))) {
      kinds.queue = true;
      r.add("events.queue", true, [...p, "events"]);
    }
  }
  // The service's routes are all listed here: when each needs an API key or an authorizer, API Gateway
  // refuses calls without one before any function runs. A function URL with no auth still sets the
  // fact true, which wins.
  if (routes.count > 0 && !routes.open)
    f.for("functions").add(
      "api.unauthenticated",
      false,
      ["functions"],
      "every HTTP event needs an API key or an authorizer",
    );
  declaredEventKinds(f.for("functions"), {
    path: ["functions"],
    listed,
    ...kinds,
  });
  const statementsKey = isRecord(role) ? "statements" : "iamRoleStatements";
  const statements = isRecord(role) ? role.statements : provider.iamRoleStatements;
  if (statements !== undefined) {
    const path = isRecord(role) ? ["provider", "iam", "role", statementsKey] : ["provider", statementsKey];
    // Managed policies add statements the file does not show, so only a role of inline statements is whole.
    const complete = !(isRecord(role) && role.managedPolicies !== undefined);
    writesToTrigger(p, asArray(statements), path, providerTriggers, complete);
  }
  // Extra CloudFormation resources declared under `resources:`.
  const resources = at(doc, "resources");
  if (isRecord(resources)) {
    cloudFormationFacts(f.under(["resources"]), resources, today);
  }
}

/** The queues and buckets a function's events name. */
function triggersOf(events: unknown): Trigger[] {
  return asArray(events).flatMap((e): Trigger[] => {
    const sqs = at(e, "sqs");
    if (sqs !== undefined) return [{ kind: "queue", source: isRecord(sqs) ? sqs.arn : sqs }];
    const s3 = at(e, "s3");
    if (s3 !== undefined) return [{ kind: "storage", source: isRecord(s3) ? s3.bucket : s3 }];
    return [];
  });
}

function lambdaEnv(f: Findings, env: Located): void {
  if (!isRecord(env.value)) return;
  for (const [name, value] of Object.entries(env.value)) {
    if (typeof value === "string" || typeof value === "number") {
      f.secret({ fact: "secrets.env-plaintext", name, value: String(value), path: [...env.path, name] });
    }
  }
}

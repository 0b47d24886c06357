import { asString, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { envSecretCandidates } from "./secret-values.js";

// Lambda runtimes and the day the provider stopped patching them (its published deprecation schedule).
const DEPRECATED: Record<string, string> = {
  nodejs: "2016-10-31",
  "nodejs4.3": "2020-03-05",
  "nodejs6.10": "2019-08-12",
  "nodejs8.10": "2020-03-06",
  "nodejs10.x": "2021-07-30",
  "nodejs12.x": "2023-03-31",
  "nodejs14.x": "2023-12-04",
  "nodejs16.x": "2024-06-12",
  "nodejs18.x": "2025-09-01",
  "nodejs20.x": "2026-04-30",
  "python2.7": "2021-07-15",
  "python3.6": "2022-07-18",
  "python3.7": "2023-12-04",
  "python3.8": "2024-10-14",
  "python3.9": "2025-12-15",
  "ruby2.5": "2021-07-30",
  "ruby2.7": "2023-12-07",
  "ruby3.2": "2026-03-31",
  java8: "2024-01-08",
  "dotnetcore1.0": "2019-07-30",
  "dotnetcore2.0": "2019-05-30",
  "dotnetcore2.1": "2022-01-05",
  "dotnetcore3.1": "2023-04-03",
  "dotnet5.0": "2022-05-10",
  dotnet6: "2024-12-20",
  dotnet7: "2024-05-14",
  "go1.x": "2024-01-08",
  provided: "2024-01-08",
};
// Runtimes still supported on the day this list was written; anything else is left to the team.
const SUPPORTED = new Set([
  "nodejs22.x",
  "nodejs24.x",
  "python3.11",
  "python3.12",
  "python3.13",
  "python3.14",
  "java17",
  "java21",
  "java25",
  "dotnet8",
  "dotnet10",
  "ruby3.3",
  "ruby3.4",
  "provided.al2",
  "provided.al2023",
]);

/** Deprecated on `today`, supported, or not known to this list (undefined). */
export function runtimeDeprecated(runtime: string, today: Date): boolean | undefined {
  const since = DEPRECATED[runtime];
  if (since !== undefined) return new Date(since) <= today;
  return SUPPORTED.has(runtime) ? false : undefined;
}

/** A property of a function and where it is written. */
export interface Located {
  value: unknown;
  path: PathStep[];
}

/** One function's settings, read from SAM, CloudFormation, serverless.yml or Terraform. */
export interface LambdaFunction {
  /** The resource itself, where a missing setting is shown. */
  path: PathStep[];
  runtime?: Located | undefined;
  timeout?: Located | undefined;
  reservedConcurrency?: Located | undefined;
  vpc?: Located | undefined;
  tracing?: Located | undefined;
  deadLetter?: Located | undefined;
  environment?: Located | undefined;
  image: boolean;
  /** Only HTTP events trigger it: a timeout past the gateway's 29 s limit can never be used. */
  httpOnly: boolean;
}

const present = (l: Located | undefined): l is Located =>
  l !== undefined && l.value !== undefined && l.value !== null && l.value !== false;

/** The facts one function's own settings show. */
export function lambdaFacts(f: Findings, fn: LambdaFunction, today: Date): void {
  f.platform(
    [fn.image ? "lambda-image" : "lambda-zip"],
    fn.image ? "PackageType Image" : "zip package",
    fn.path,
  );
  const runtime = asString(fn.runtime?.value);
  if (runtime && fn.runtime) {
    const deprecated = runtimeDeprecated(runtime, today);
    if (deprecated !== undefined) f.add("fn.runtime-deprecated", deprecated, fn.runtime.path);
  }
  const timeout = Number(fn.timeout?.value);
  if (fn.timeout && (timeout >= 900 || (fn.httpOnly && timeout > 30))) {
    f.add("fn.timeout-max", true, fn.timeout.path);
  }
  const reserved = Number(fn.reservedConcurrency?.value);
  if (present(fn.reservedConcurrency) && Number.isFinite(reserved) && reserved >= 0) {
    f.add("fn.concurrency-cap", true, fn.reservedConcurrency.path);
  } else if (fn.reservedConcurrency === undefined || reserved === -1) {
    // Reserved concurrency can only be set on the function itself: a function without it has no cap.
    f.add("fn.concurrency-cap", false, fn.reservedConcurrency?.path ?? fn.path, "no reserved concurrency");
  }
  if (present(fn.vpc)) f.add("fn.in-vpc", true, fn.vpc.path);
  else if (fn.vpc === undefined) {
    f.add("fn.in-vpc", false, fn.path, "no VPC configuration");
    // Outside a VPC a function reaches the whole internet and nothing can narrow it.
    f.add("net.egress-open", true, fn.path, "no VPC configuration: outbound traffic unrestricted");
  }
  const tracing = asString(fn.tracing?.value)?.toLowerCase();
  if (fn.tracing && (tracing === "active" || fn.tracing.value === true))
    f.add("logs.tracing", true, fn.tracing.path);
  else if (fn.tracing && tracing === "passthrough") f.add("logs.tracing", false, fn.tracing.path);
  if (present(fn.deadLetter)) f.add("fn.dead-letter", true, fn.deadLetter.path);
  if (fn.environment && isRecord(fn.environment.value)) {
    envSecretCandidates(f, fn.environment.value, fn.environment.path, "secrets.env-plaintext");
  }
}

import { asString, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";

/** The logical id a `Ref` or `Fn::GetAtt` (long or short form) points at, if it is one. */
export function referencedId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === "string") return value.Ref;
  const att = value["Fn::GetAtt"];
  if (Array.isArray(att)) return asString(att[0]);
  return typeof att === "string" ? att.split(".")[0] : undefined;
}

// Route authorisation that proves the caller's identity with a signed token or a SigV4 signature.
const STRONG = new Set(["JWT", "AWS_IAM"]);

/**
 * Facts of the API Gateway HTTP APIs (ApiGatewayV2, protocol HTTP) of one template. HTTP APIs have no
 * private endpoint type, so one whose default endpoint is on is reachable from the internet. A route
 * without authorisation is open; JWT and IAM authorisation are strong. Only when every route of every
 * HTTP API here needs one of those is nothing open, and then no caller uses a static key either: HTTP
 * APIs have no API keys (usage plans and keys belong to REST APIs), and a JWT or a SigV4 signature is
 * what each route demands. A Lambda authoriser (CUSTOM) may check anything, a shared secret included,
 * so it decides neither. An API defined by an OpenAPI body, or created by "quick create", has routes
 * this template does not list, so no negative is read from it.
 */
export function httpApiFacts(f: Findings, resources: Record<string, unknown>): void {
  const apis = new Map<string, { whole: boolean; routes: number }>();
  for (const [id, res] of Object.entries(resources)) {
    if (at(res, "Type") !== "AWS::ApiGatewayV2::Api" || at(res, "Properties", "ProtocolType") !== "HTTP")
      continue;
    const props = at(res, "Properties");
    const p: PathStep[] = ["Resources", id, "Properties"];
    const r = f.for(`AWS::ApiGatewayV2::Api ${id}`);
    r.add("api.present", true, [...p, "ProtocolType"]);
    if (at(props, "DisableExecuteApiEndpoint") !== true)
      r.add(
        "exposure.internet",
        true,
        [...p, "ProtocolType"],
        `${id}: HTTP API with its public default endpoint`,
      );
    // Quick create adds a catch-all route that needs no authorisation.
    if (at(props, "Target") !== undefined) r.add("api.unauthenticated", true, [...p, "Target"]);
    const whole = at(props, "Body") === undefined && at(props, "BodyS3Location") === undefined;
    apis.set(id, { whole: whole && at(props, "Target") === undefined, routes: 0 });
  }
  if (apis.size === 0) return;
  let allStrong = true;
  let first: PathStep[] | undefined;
  for (const [id, res] of Object.entries(resources)) {
    const type = at(res, "Type");
    const props = at(res, "Properties");
    const api = apis.get(referencedId(at(props, "ApiId")) ?? "");
    if (!api) continue;
    const p: PathStep[] = ["Resources", id, "Properties"];
    const r = f.for(`${String(type)} ${id}`);
    if (type === "AWS::ApiGatewayV2::Route") {
      api.routes++;
      const auth = asString(at(props, "AuthorizationType")) ?? "NONE";
      const where =
        at(props, "AuthorizationType") === undefined ? ["Resources", id] : [...p, "AuthorizationType"];
      first ??= where;
      if (STRONG.has(auth)) r.add("api.strong-auth", true, where);
      else allStrong = false;
      if (auth === "NONE")
        r.add(
          "api.unauthenticated",
          true,
          where,
          at(props, "AuthorizationType") === undefined ? `${id}: no AuthorizationType (open)` : undefined,
        );
    } else if (type === "AWS::ApiGatewayV2::Stage") stageThrottling(r, props, p);
  }
  const routesWhole = [...apis.values()].every((a) => a.whole && a.routes > 0);
  if (allStrong && routesWhole && first) {
    const r = f.for("HTTP API routes");
    const excerpt = "every HTTP API route needs a JWT or an IAM signature";
    r.add("api.unauthenticated", false, first, excerpt);
    r.add("api.static-keys", false, first, `${excerpt} (HTTP APIs have no API keys)`);
  }
}

/** Stage-wide or per-route rate and burst limits on an HTTP API stage. */
function stageThrottling(f: Findings, props: unknown, p: PathStep[]): void {
  const limited = (s: unknown) =>
    typeof at(s, "ThrottlingRateLimit") === "number" || typeof at(s, "ThrottlingBurstLimit") === "number";
  if (limited(at(props, "DefaultRouteSettings"))) {
    f.add("api.throttling", true, [...p, "DefaultRouteSettings"]);
    return;
  }
  const routes = at(props, "RouteSettings");
  if (!isRecord(routes)) return;
  const key = Object.keys(routes).find((k) => limited(routes[k]));
  if (key !== undefined) f.add("api.throttling", true, [...p, "RouteSettings", key]);
}

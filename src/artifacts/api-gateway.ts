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

/**
 * The text of an ARN written as a string, a `Fn::Sub` template or CDK's `Fn::Join` of the partition and
 * the rest (intrinsics inside a join read as empty), enough to see its service and resource type.
 */
export function arnText(value: unknown): string | undefined {
  const sub = at(value, "Fn::Sub");
  if (sub !== undefined) return asString(Array.isArray(sub) ? sub[0] : sub);
  const joined = at(value, "Fn::Join");
  if (Array.isArray(joined) && Array.isArray(joined[1]))
    return joined[1].map((p) => (typeof p === "string" ? p : "")).join("");
  return asString(value);
}

const OTHER_ENDPOINTS = [
  "AWS::ApiGateway::",
  "AWS::Serverless::",
  "AWS::AppSync::",
  "AWS::ElasticLoadBalancingV2::",
];

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
  // Another kind of endpoint here (a REST API, SAM's implicit APIs, a load balancer, a GraphQL API) has
  // routes and keys this reader does not see, so the HTTP APIs alone are not the template's endpoints.
  const others = Object.values(resources).some((r) => {
    const type = asString(at(r, "Type")) ?? "";
    return OTHER_ENDPOINTS.some((prefix) => type.startsWith(prefix));
  });
  const routesWhole = !others && [...apis.values()].every((a) => a.whole && a.routes > 0);
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

// What a regional web ACL can sit in front of that serves requests: REST API stages, load balancers,
// GraphQL APIs. (A Cognito user pool association guards sign-in, not the workload's endpoints.)
const WAF_FRONTED = new Set([
  "AWS::ApiGateway::Stage",
  "AWS::ElasticLoadBalancingV2::LoadBalancer",
  "AWS::AppSync::GraphQLApi",
]);
const WAF_FRONTED_SERVICES = new Set(["apigateway", "elasticloadbalancing", "appsync"]);

/**
 * A WAF in front of the endpoints: a web ACL associated with an API stage or load balancer, or a
 * CloudFront distribution with a web ACL whose origin is an API Gateway endpoint (HTTP APIs cannot take
 * a web ACL themselves, so CloudFront carries it). Only the presence is read; a stack without one may
 * sit behind a WAF another stack attaches.
 */
export function wafFacts(f: Findings, resources: Record<string, unknown>): void {
  for (const [id, res] of Object.entries(resources)) {
    const type = at(res, "Type");
    const props = at(res, "Properties");
    const p: PathStep[] = ["Resources", id, "Properties"];
    if (type === "AWS::WAFv2::WebACLAssociation") {
      const target = at(props, "ResourceArn");
      const service = arnText(target)?.split(":")[2];
      const referenced = resources[referencedId(target) ?? ""];
      if (WAF_FRONTED.has(String(at(referenced, "Type"))) || WAF_FRONTED_SERVICES.has(service ?? ""))
        f.for(`${type} ${id}`).add("api.waf", true, [...p, "ResourceArn"]);
    } else if (type === "AWS::CloudFront::Distribution") {
      const config = at(props, "DistributionConfig");
      if (at(config, "WebACLId") === undefined) continue;
      const origins = Array.isArray(at(config, "Origins")) ? (at(config, "Origins") as unknown[]) : [];
      const toApi = origins.some((o) => asString(at(o, "DomainName"))?.split(".")[1] === "execute-api");
      if (toApi) f.for(`${type} ${id}`).add("api.waf", true, [...p, "DistributionConfig", "WebACLId"]);
    }
  }
}

import { asArray, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { referenced, type TfRef } from "./terraform-refs.js";

/**
 * Whether something in the document puts the web ACL in front of traffic: a CloudFront distribution
 * naming it, or an association with a load balancer or API stage. A web ACL nothing uses filters nothing.
 */
function associated(resources: readonly TfRef[], name: string): boolean {
  const names = (ref: unknown) => referenced(ref, "aws_wafv2_web_acl", "arn", "id") === name;
  return resources.some(
    (r) =>
      r.mode === "managed" &&
      ((r.type === "aws_cloudfront_distribution" && names(r.values.web_acl_id)) ||
        (r.type === "aws_wafv2_web_acl_association" && names(r.values.web_acl_arn))),
  );
}

// A block in a rule's action or override that only counts matches lets every request through.
const enforces = (action: unknown) =>
  isRecord(asArray(action)[0]) && at(asArray(action)[0], "count") === undefined;

/**
 * An AWS WAF web ACL in front of the workload: a managed rule group that blocks what it matches is the
 * WAF, and a rate-based rule that blocks is a rate limit per client (its key is the caller's address
 * unless told otherwise).
 */
export function webAclFacts(
  f: Findings,
  resources: readonly TfRef[],
  name: string,
  v: Record<string, unknown>,
  path: PathStep[],
): void {
  if (!associated(resources, name)) return;
  asArray(v.rule).forEach((rule, i) => {
    const statement = asArray(at(rule, "statement"))[0];
    const here = [...path, "rule", i, "statement", 0];
    if (at(statement, "managed_rule_group_statement") !== undefined && enforces(at(rule, "override_action")))
      f.add("api.waf", true, [...here, "managed_rule_group_statement"]);
    if (at(statement, "rate_based_statement") !== undefined && enforces(at(rule, "action")))
      f.add("api.throttling", true, [...here, "rate_based_statement"]);
  });
}

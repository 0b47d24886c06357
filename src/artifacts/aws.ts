import type { Findings, PathStep } from "./findings.js";
import { isPublicCidr } from "./network.js";

/** Where a setting sits, or the resource that leaves it to its default. */
interface Setting {
  value: unknown;
  path: PathStep[];
  resource: PathStep[];
  /** Shown when the setting is missing, e.g. "internal not set (internet-facing)". */
  unset: string;
}

const place = (s: Setting): [PathStep[], string | undefined] =>
  s.value === undefined ? [s.resource, s.unset] : [s.path, undefined];

/**
 * An EKS cluster: the platform, and its API endpoint, which EKS makes public unless told otherwise. A
 * public endpoint limited to named address ranges is not reachable from the internet at large.
 */
export function eksClusterFacts(
  f: Findings,
  publicAccess: Setting,
  resource: PathStep[],
  label: string,
  allowed?: { value: unknown; path: PathStep[] },
): void {
  f.platform(["eks"], label, resource);
  const ranges = Array.isArray(allowed?.value) ? allowed.value : [];
  const literal = ranges.length > 0 && ranges.every((c) => typeof c === "string" && !c.includes("${"));
  if (publicAccess.value !== false && allowed && literal) {
    f.add("k8s.api-public", ranges.some(isPublicCidr), allowed.path);
    return;
  }
  f.add("k8s.api-public", publicAccess.value !== false, ...place(publicAccess));
}

/** An ECS service's launch type settles Fargate or EC2. */
export function ecsLaunchType(f: Findings, launchType: unknown, path: PathStep[], key: string): void {
  if (launchType !== "FARGATE" && launchType !== "EC2") return;
  f.platform([launchType === "FARGATE" ? "ecs-fargate" : "ecs-ec2"], `${key} ${launchType}`, path);
}

/** A load balancer is internet-facing unless declared internal. */
export function loadBalancerExposure(f: Findings, internal: boolean, setting: Setting): void {
  f.add("exposure.internet", !internal, ...place(setting));
}

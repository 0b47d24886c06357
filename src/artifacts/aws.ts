import type { Findings, PathStep } from "./findings.js";

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

/** An EKS cluster: the platform, and its API endpoint, which EKS makes public unless told otherwise. */
export function eksClusterFacts(
  f: Findings,
  publicAccess: Setting,
  resource: PathStep[],
  label: string,
): void {
  f.platform(["eks"], label, resource);
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

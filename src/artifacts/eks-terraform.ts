import { asArray, asString, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { findResource, referenced, type TfRef } from "./terraform-refs.js";

/**
 * Whether every subnet listed sits in a VPC the same document creates. Terraform creates a VPC only
 * through aws_vpc (the default VPC is adopted through aws_default_vpc), so such subnets are not the
 * default network. Subnets given by variable or data source are someone else's and decide nothing.
 */
export function inDeclaredVpc(resources: readonly TfRef[], subnetIds: unknown): boolean {
  const ids = asArray(subnetIds);
  if (ids.length === 0) return false;
  return ids.every((id) => {
    const name = referenced(id, "aws_subnet", "id");
    const subnet = name ? findResource(resources, "aws_subnet", name) : undefined;
    const vpc = subnet ? referenced(subnet.values.vpc_id, "aws_vpc", "id") : undefined;
    return vpc !== undefined && findResource(resources, "aws_vpc", vpc) !== undefined;
  });
}

/** Launch templates the document's EKS node groups start their nodes from. */
export function nodeLaunchTemplates(resources: readonly TfRef[]): Set<string> {
  const names = new Set<string>();
  for (const r of resources) {
    if (r.mode !== "managed" || r.type !== "aws_eks_node_group") continue;
    const name = referenced(at(asArray(r.values.launch_template)[0], "id"), "aws_launch_template", "id");
    if (name) names.add(name);
  }
  return names;
}

/**
 * A node's metadata endpoint as its pods see it. A pod's traffic takes one more network hop than the
 * node's own, so with IMDSv2 and a hop limit of 1 the token answer never reaches a pod; with 2 or more it
 * does, and the pod can take the node's role. The limit left unset is the AMI's default, unknown here.
 */
export function nodeMetadataFacts(f: Findings, options: unknown, path: PathStep[]): void {
  if (!isRecord(options) || options.http_tokens !== "required") return;
  const limit = options.http_put_response_hop_limit;
  if (typeof limit !== "number") return;
  f.add("host.imdsv1", limit >= 2, [...path, "http_put_response_hop_limit"]);
}

// Container-optimised node operating systems that EKS offers as AMI types.
const CONTAINER_OS = ["BOTTLEROCKET_"];

/** A managed node group: its OS when it is a container-optimised one, and SSH opened by remote_access. */
export function nodeGroupFacts(f: Findings, values: Record<string, unknown>, path: PathStep[]): void {
  f.platform(["eks"], "aws_eks_node_group", path);
  const ami = asString(values.ami_type);
  if (ami && CONTAINER_OS.some((prefix) => ami.startsWith(prefix)))
    f.add("host.hardened", true, [...path, "ami_type"]);
  // EKS opens SSH to the world on nodes given a key and no source security groups.
  const remote = asArray(values.remote_access)[0];
  if (isRecord(remote) && remote.ec2_ssh_key !== undefined) {
    const sources = asArray(remote.source_security_group_ids);
    f.add("net.admin-ports-public", sources.length === 0, [...path, "remote_access", 0]);
  }
}

import { asArray, asString, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { SSM_CORE_POLICY } from "./iam.js";
import { isPublicCidr, opensAdminPort, opensRemoteLogin } from "./network.js";
import { findResource, referenced, type TfRef } from "./terraform-refs.js";

/** A resource with where it sits in its document. */
type Placed = TfRef & { path: PathStep[] };

/**
 * The security groups an instance or launch template starts its instances with, when every one is a
 * group of this document that declares its ingress inline. Terraform then owns the group's whole rule
 * set (rules added by a separate rule resource or by hand are removed on the next apply), so the
 * inline rules are all the ways in. Undefined when any group is given another way (a variable, a data
 * source, by name), when none is listed (the VPC's default group applies) or when a separate rule
 * resource of this document also targets one of them.
 */
function completeGroups(resources: readonly Placed[], v: Record<string, unknown>): Placed[] | undefined {
  // Groups named rather than referenced (an instance's security_groups, a template's names) are not followed.
  if (v.security_groups !== undefined || v.security_group_names !== undefined) return undefined;
  const ids = [
    ...asArray(v.vpc_security_group_ids),
    ...asArray(v.network_interfaces).flatMap((n) => asArray(at(n, "security_groups"))),
  ];
  if (ids.length === 0) return undefined;
  const groups: Placed[] = [];
  for (const id of ids) {
    const name = referenced(id, "aws_security_group", "id");
    const group = name ? findResource(resources, "aws_security_group", name) : undefined;
    if (!group || group.values.ingress === undefined) return undefined;
    groups.push(group);
  }
  const separate = resources.some(
    (r) =>
      ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule"].includes(r.type) &&
      groups.some((g) => referenced(r.values.security_group_id, "aws_security_group", "id") === g.name),
  );
  return separate ? undefined : groups;
}

/** Whether the role behind an instance profile reference has the Session Manager agent policy attached. */
function sessionManagerPolicy(resources: readonly Placed[], profileRef: unknown): PathStep[] | undefined {
  const profileName = referenced(profileRef, "aws_iam_instance_profile", "name", "arn", "id");
  const profile = profileName ? findResource(resources, "aws_iam_instance_profile", profileName) : undefined;
  const role = referenced(profile?.values.role, "aws_iam_role", "name", "id");
  if (!role) return undefined;
  const ofRole = (ref: unknown) => referenced(ref, "aws_iam_role", "name", "id") === role;
  for (const r of resources) {
    if (r.mode !== "managed") continue;
    if (r.type === "aws_iam_role_policy_attachment" && ofRole(r.values.role)) {
      if (SSM_CORE_POLICY.test(asString(r.values.policy_arn) ?? "")) return [...r.path, "policy_arn"];
    }
    if (r.type === "aws_iam_role" && r.name === role) {
      const i = asArray(r.values.managed_policy_arns).findIndex((a) =>
        SSM_CORE_POLICY.test(asString(a) ?? ""),
      );
      if (i >= 0) return [...r.path, "managed_policy_arns"];
    }
  }
  return undefined;
}

/**
 * How administrators reach the instances of an `aws_instance` or `aws_launch_template`, and whether their
 * security groups open an admin port to the internet, when the document holds their complete rule sets.
 * No rule letting SSH or RDP in from any source rules out SSH and RDP, allow-listed or through a bastion
 * or VPN (those reach the host on the same ports); an instance role with the Session Manager agent policy
 * is then the way in. The security groups' facts hold for these instances only: other groups of the
 * workload, in this file or not, add their own.
 */
export function instanceAccessFacts(
  f: Findings,
  resources: readonly Placed[],
  v: Record<string, unknown>,
  path: PathStep[],
): void {
  const groups = completeGroups(resources, v);
  if (!groups) return;
  const rules = groups.flatMap((g) => asArray(g.values.ingress).filter(isRecord));
  const names = `security group${groups.length > 1 ? "s" : ""} ${groups.map((g) => g.name).join(", ")}`;
  const where = [...path, "vpc_security_group_ids"];
  const publicAdmin = rules.some(
    (r) =>
      opensAdminPort(r.protocol, r.from_port, r.to_port) &&
      [...asArray(r.cidr_blocks), ...asArray(r.ipv6_cidr_blocks)].some(isPublicCidr),
  );
  if (!publicAdmin)
    f.add(
      "net.admin-ports-public",
      false,
      where,
      `${names}: no admin or database port open to the internet (every ingress rule inline)`,
    );
  // Whatever the source (addresses, another group, a prefix list): SSH or RDP let in at all decides it.
  if (rules.some((r) => opensRemoteLogin(r.protocol, r.from_port, r.to_port))) return;
  const profile = v.iam_instance_profile;
  const ref = isRecord(asArray(profile)[0])
    ? (at(asArray(profile)[0], "arn") ?? at(asArray(profile)[0], "name"))
    : profile;
  const policy = sessionManagerPolicy(resources, ref);
  if (policy)
    f.add(
      "vm.remote-access",
      "session-manager",
      policy,
      `AmazonSSMManagedInstanceCore on the instance role; no SSH or RDP rule in ${names}`,
    );
}

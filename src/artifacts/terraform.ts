import { ecsLaunchType, eksClusterFacts, loadBalancerExposure } from "./aws.js";
import { classificationFacts } from "./classification.js";
import { functionUrl, managedPolicies } from "./cloudformation.js";
import { ecsTaskFacts } from "./containers.js";
import {
  asArray,
  asString,
  at,
  hclKey,
  isRecord,
  jsonLines,
  keyLine,
  LineIndex,
  type ParsedFile,
  type SourceDocument,
} from "./documents.js";
import { inDeclaredVpc, nodeGroupFacts, nodeLaunchTemplates, nodeMetadataFacts } from "./eks-terraform.js";
import type { Findings, PathStep } from "./findings.js";
import { managedPolicyFacts, policyDocumentFacts } from "./iam.js";
import { type Located, lambdaFacts } from "./lambda.js";
import { ingressFacts, isPublicCidr } from "./network.js";
import { amiLookupFacts } from "./os-releases.js";
import {
  accessKeyCreated,
  identityOfItsOwn,
  roleAssumedAtRunTime,
  terraformRoleReference,
  trustedCallers,
} from "./run-time-identity.js";
import { publicPolicyStatement } from "./storage.js";
import { publisherPolicyFacts } from "./triggers.js";
import { instanceAccessFacts } from "./vm-access.js";
import { webAclFacts } from "./waf.js";

/** One resource or data source with its attributes; nested blocks are lists of objects in both forms. */
interface TfResource {
  /** A provider block is read for its default_tags only. */
  mode: "managed" | "data" | "provider";
  type: string;
  name: string;
  values: Record<string, unknown>;
  /** Path of the resource in its document, for line lookup. */
  path: PathStep[];
}

// Loaded by a name the type checker does not follow: the package's typings pull the browser's DOM types
// into the whole program (its own FormData would replace Node's).
const HCL2JSON = "@cdktf/hcl2json";
interface Hcl2Json {
  parse(file: string, text: string): Promise<Record<string, unknown>>;
}

/** HashiCorp's HCL parser compiled to WebAssembly; loaded on first use since it unpacks a large module. */
async function parseHcl(file: string, text: string): Promise<unknown> {
  const { parse } = (await import(HCL2JSON)) as Hcl2Json;
  return parse(file, text);
}

/** Terraform HCL through @cdktf/hcl2json. */
export async function parseTerraform(file: string, text: string): Promise<ParsedFile> {
  let json: Record<string, unknown>;
  try {
    json = (await parseHcl(file, text)) as Record<string, unknown>;
  } catch (e) {
    const message = String((e as Error).message ?? e);
    const at =
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+),`).exec(message) ??
      /:(\d+),\d+/.exec(message);
    const detail = /:\s*([^:\]]+(?:;[^\]]*)?)\]?$/.exec(message)?.[1] ?? message;
    return { documents: [], problems: [{ line: at ? Number(at[1]) : 1, message: detail.trim() }] };
  }
  await decodeJsonencode(json);
  const index = new LineIndex(text);
  const lineOf = (path: PathStep[]) => {
    if (path[0] === "provider") {
      // Provider blocks have no name: the nth block of that provider, in the order the parser gives them.
      const [, type, n, ...rest] = path;
      const headers = [...text.matchAll(new RegExp(`^[ \\t]*provider[ \\t]+"${String(type)}"`, "gm"))];
      const header = headers[Number(n)];
      return header ? keyLine(index, rest, hclKey, (header.index ?? 0) + header[0].length) : 1;
    }
    const [block, type, name, , ...rest] = path;
    const header = new RegExp(`^[ \\t]*${block}[ \\t]+"${String(type)}"[ \\t]+"${String(name)}"`, "m").exec(
      text,
    );
    if (!header) return 1;
    return keyLine(index, rest, hclKey, header.index + header[0].length);
  };
  const resources: TfResource[] = [];
  for (const [block, mode] of [
    ["resource", "managed"],
    ["data", "data"],
  ] as const) {
    const byType = isRecord(json[block]) ? json[block] : {};
    for (const [type, byName] of Object.entries(byType)) {
      for (const [name, bodies] of Object.entries(isRecord(byName) ? byName : {})) {
        const values = asArray(bodies)[0];
        if (isRecord(values)) resources.push({ mode, type, name, values, path: [block, type, name, 0] });
      }
    }
  }
  for (const [type, bodies] of Object.entries(isRecord(json.provider) ? json.provider : {})) {
    asArray(bodies).forEach((values, i) => {
      if (isRecord(values))
        resources.push({ mode: "provider", type, name: String(i), values, path: ["provider", type, i] });
    });
  }
  return { documents: [{ data: resources, lineOf }], problems: [] };
}

/** `policy = jsonencode({...})` arrives as an expression string; its object is HCL, read by the same parser. */
async function decodeJsonencode(node: unknown): Promise<void> {
  if (!isRecord(node) && !Array.isArray(node)) return;
  const entries = Object.entries(node);
  for (const [key, value] of entries) {
    const m = typeof value === "string" ? /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value) : null;
    if (m) {
      try {
        const decoded = (await parseHcl("expression.tf", `value = ${m[1]}\n`)) as Record<string, unknown>;
        (node as Record<string, unknown>)[key] = decoded.value;
      } catch {
        // An expression the parser cannot read stays a string and shows nothing.
      }
    } else await decodeJsonencode(value);
  }
}

export const isTerraformPlan = (doc: unknown) =>
  isRecord(doc) &&
  doc.format_version !== undefined &&
  (doc.planned_values !== undefined || doc.values !== undefined);

/** `terraform show -json` of a plan (planned_values) or of state (values), modules included. */
export function planDocument(doc: Record<string, unknown>, text: string): SourceDocument {
  const resources: TfResource[] = [];
  const walk = (module: unknown, path: PathStep[]) => {
    if (!isRecord(module)) return;
    asArray(module.resources).forEach((r, i) => {
      if (!isRecord(r) || !isRecord(r.values)) return;
      const address = asString(r.address) ?? `${r.type}.${r.name}`;
      const mode = r.mode === "data" ? "data" : "managed";
      resources.push({
        mode,
        type: String(r.type),
        name: address,
        values: r.values,
        path: [...path, "resources", i, "values"],
      });
    });
    asArray(module.child_modules).forEach((child, i) => {
      walk(child, [...path, "child_modules", i]);
    });
  };
  const root = doc.planned_values !== undefined ? "planned_values" : "values";
  walk(at(doc, root, "root_module"), [root, "root_module"]);
  return {
    data: resources,
    lineOf: jsonLines(text),
    excerptOf: (path) => {
      const cut = path.indexOf("values");
      const address = asString(at(doc, ...path.slice(0, cut), "address")) ?? "";
      const value = at(doc, ...path);
      const shown = value === undefined || typeof value === "object" ? "" : ` = ${JSON.stringify(value)}`;
      return `${address} ${path
        .slice(cut + 1)
        .filter((s) => typeof s === "string")
        .join(".")}${shown}`;
    },
  };
}

/** Facts of Terraform resources, from HCL or from a plan. */
export function terraformFacts(f: Findings, resources: TfResource[], today: Date): void {
  const nodeTemplates = nodeLaunchTemplates(resources);
  const ownNetwork = (r: Findings, subnetIds: unknown, path: PathStep[]) => {
    if (inDeclaredVpc(resources, subnetIds))
      r.add("net.default-network", false, path, "subnets of a VPC these files create, not the default VPC");
  };
  const onKey = new Map<string, number>();
  for (const res of resources)
    if (res.type === "aws_instance" && res.values.key_name !== undefined) {
      const key = JSON.stringify(res.values.key_name);
      onKey.set(key, (onKey.get(key) ?? 0) + 1);
    }
  for (const res of resources) {
    const r = f.for(
      res.mode === "data"
        ? `data.${res.type}.${res.name}`
        : res.mode === "provider"
          ? `provider.${res.type}`
          : res.name.includes(".")
            ? res.name
            : `${res.type}.${res.name}`,
    );
    const v = res.values;
    const p = res.path;
    const first = (key: string) => asArray(v[key])[0];
    if (res.mode === "provider") {
      // Tags every resource of this provider carries, unless it overrides them.
      classificationFacts(r, at(v, "default_tags", 0, "tags"), [...p, "default_tags", 0, "tags"]);
      continue;
    }
    if (res.mode === "managed") {
      // A plan's tags_all adds the provider's default_tags to the resource's own.
      const tags = isRecord(v.tags_all) ? "tags_all" : "tags";
      classificationFacts(r, v[tags], [...p, tags]);
    }
    if (res.mode === "data") {
      if (res.type === "aws_iam_policy_document") policyDocumentFacts(r, { statement: v.statement }, p);
      if (res.type === "aws_ami") amiLookupFacts(r, v, p, today);
      continue;
    }
    switch (res.type) {
      case "aws_security_group":
        asArray(v.ingress).forEach((rule, i) => {
          ingress(r, rule, [...p, "ingress", i]);
        });
        asArray(v.egress).forEach((rule, i) => {
          const all =
            String(at(rule, "protocol")) === "-1" && asArray(at(rule, "cidr_blocks")).some(isPublicCidr);
          if (all) r.add("net.egress-open", true, [...p, "egress", i, "cidr_blocks"]);
        });
        break;
      case "aws_default_vpc":
      case "aws_default_security_group":
        r.add("net.default-network", true, p);
        break;
      case "aws_cloudtrail":
        r.add("logs.audit-trail", true, p);
        break;
      case "aws_guardduty_detector":
        if (v.enable !== false) r.add("detect.runtime", true, p);
        break;
      case "aws_secretsmanager_secret_rotation":
        r.add("secrets.rotation", true, p);
        break;
      case "aws_iam_access_key":
        accessKeyCreated(r, p);
        // A service user whose key the workload's own files create is that workload's identity.
        identityOfItsOwn(r, p, "IAM user with its access key");
        break;
      case "aws_iam_instance_profile":
        identityOfItsOwn(r, p, "instance profile");
        runsAsRole(r, v.role, [...p, "role"], "run-as");
        break;
      case "aws_sqs_queue":
        if (v.redrive_policy !== undefined) r.add("fn.dead-letter", true, [...p, "redrive_policy"]);
        if (v.policy !== undefined) publisherPolicyFacts(r, v.policy, [...p, "policy"]);
        break;
      case "aws_sqs_queue_policy":
      case "aws_sns_topic_policy":
        publisherPolicyFacts(r, v.policy, [...p, "policy"]);
        break;
      case "aws_budgets_budget":
        if (asArray(v.notification).length > 0) r.add("cost.budget-alerts", true, [...p, "notification", 0]);
        break;
      case "aws_ce_anomaly_subscription":
        r.add("cost.budget-alerts", true, p);
        break;
      case "aws_s3_bucket_notification":
        for (const key of ["lambda_function", "queue"])
          if (asArray(v[key]).length > 0) r.add("events.storage", true, [...p, key, 0]);
        break;
      case "aws_lb":
      case "aws_alb": {
        const unset = "internal not set (internet-facing)";
        loadBalancerExposure(r, v.internal === true, {
          value: v.internal,
          path: [...p, "internal"],
          resource: p,
          unset,
        });
        break;
      }
      case "aws_security_group_rule":
        if (v.type === "ingress") ingress(r, v, p);
        else if (
          v.type === "egress" &&
          String(v.protocol) === "-1" &&
          asArray(v.cidr_blocks).some(isPublicCidr)
        ) {
          r.add("net.egress-open", true, [...p, "cidr_blocks"]);
        }
        break;
      case "aws_vpc_security_group_ingress_rule":
        ingressFacts(
          r,
          { protocol: v.ip_protocol, from: v.from_port, to: v.to_port, cidrs: [v.cidr_ipv4, v.cidr_ipv6] },
          [...p, v.cidr_ipv4 !== undefined ? "cidr_ipv4" : "cidr_ipv6"],
        );
        break;
      case "aws_instance":
        r.platform(["cloud-vm"], "aws_instance", p);
        if (v.iam_instance_profile !== undefined)
          roleAssumedAtRunTime(r, [...p, "iam_instance_profile"], "instance profile");
        sharedKeyPair(r, v, p, onKey.get(JSON.stringify(v.key_name)) ?? 0);
        instanceAccessFacts(r, resources, v, p);
        imds(r, first("metadata_options"), [...p, "metadata_options", 0]);
        for (const key of ["root_block_device", "ebs_block_device"]) {
          asArray(v[key]).forEach((d, i) => {
            encryptedFlag(r, at(d, "encrypted"), [...p, key, i, "encrypted"]);
          });
        }
        break;
      case "aws_launch_template":
        // For nodes, what pods can reach decides; the hop limit line comes first as the evidence.
        if (nodeTemplates.has(res.name))
          nodeMetadataFacts(r, first("metadata_options"), [...p, "metadata_options", 0]);
        else {
          // A node's role is the node's, not the pods' identity; a VM's instance profile is the workload's.
          if (v.iam_instance_profile !== undefined)
            roleAssumedAtRunTime(r, [...p, "iam_instance_profile"], "instance profile");
          instanceAccessFacts(r, resources, v, p);
        }
        imds(r, first("metadata_options"), [...p, "metadata_options", 0]);
        asArray(v.block_device_mappings).forEach((m, i) => {
          encryptedFlag(r, at(asArray(at(m, "ebs"))[0], "encrypted"), [
            ...p,
            "block_device_mappings",
            i,
            "ebs",
            0,
            "encrypted",
          ]);
        });
        break;
      case "aws_wafv2_web_acl":
        webAclFacts(r, resources, res.name, v, p);
        break;
      case "aws_autoscaling_group":
        // Instances an Auto Scaling group launches from a template or launch configuration are EC2 VMs.
        r.platform(["cloud-vm"], "aws_autoscaling_group", p);
        ownNetwork(r, v.vpc_zone_identifier, [...p, "vpc_zone_identifier"]);
        break;
      case "aws_ebs_volume":
        encryptedFlag(r, v.encrypted, [...p, "encrypted"]);
        break;
      case "aws_ebs_encryption_by_default":
        if (v.enabled === true || v.enabled === undefined)
          r.add("host.volumes-unencrypted", false, p, "EBS encryption by default enabled");
        break;
      case "aws_db_instance":
      case "aws_rds_cluster":
        // RDS storage is unencrypted unless asked for, so silence here is the fact.
        if (v.storage_encrypted === undefined)
          r.add("host.volumes-unencrypted", true, p, `${res.name}: storage_encrypted not set (unencrypted)`);
        else encryptedFlag(r, v.storage_encrypted, [...p, "storage_encrypted"]);
        break;
      case "aws_s3_bucket":
      case "aws_s3_bucket_acl":
        if (v.acl === "public-read" || v.acl === "public-read-write")
          r.add("data.public-bucket", true, [...p, "acl"]);
        break;
      case "aws_s3_bucket_public_access_block":
        if (
          ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every(
            (k) => v[k] === true,
          )
        ) {
          r.add("data.public-bucket", false, p);
        }
        break;
      case "aws_s3_bucket_policy": {
        const doc = typeof v.policy === "string" ? safeJson(v.policy) : v.policy;
        asArray(at(doc, "Statement")).forEach((s) => {
          if (publicPolicyStatement(s)) r.add("data.public-bucket", true, [...p, "policy"]);
        });
        break;
      }
      case "aws_iam_policy":
      case "aws_iam_role_policy":
      case "aws_iam_user_policy":
      case "aws_iam_group_policy":
        policyDocumentFacts(r, v.policy, [...p, "policy"]);
        break;
      case "aws_iam_role": {
        const trust =
          typeof v.assume_role_policy === "string" ? safeJson(v.assume_role_policy) : v.assume_role_policy;
        r.roleUse({ role: `aws_iam_role.${res.name}`, kind: "declared", path: p });
        const callers = trustedCallers(trust, [...p, "assume_role_policy"]);
        if (callers) r.role(callers);
        asArray(v.inline_policy).forEach((pol, i) => {
          policyDocumentFacts(r, at(pol, "policy"), [...p, "inline_policy", i, "policy"]);
        });
        managedPolicies(r, v.managed_policy_arns, [...p, "managed_policy_arns"]);
        break;
      }
      case "aws_iam_role_policy_attachment":
      case "aws_iam_policy_attachment":
      case "aws_iam_user_policy_attachment":
        managedPolicyFacts(r, v.policy_arn, [...p, "policy_arn"]);
        break;
      case "aws_lambda_function": {
        roleAssumedAtRunTime(r, [...p, "role"], "Lambda execution role");
        runsAsRole(r, v.role, [...p, "role"], "run-as");
        const own = (key: string, ...sub: PathStep[]): Located | undefined => {
          const value = at(v, key, ...sub);
          return value === undefined ? undefined : { value, path: [...p, key, ...sub] };
        };
        lambdaFacts(
          r,
          {
            path: p,
            runtime: own("runtime"),
            timeout: own("timeout"),
            reservedConcurrency: own("reserved_concurrent_executions"),
            vpc: asArray(v.vpc_config).length > 0 ? own("vpc_config") : undefined,
            tracing: own("tracing_config", 0, "mode"),
            deadLetter: asArray(v.dead_letter_config).length > 0 ? own("dead_letter_config") : undefined,
            environment: own("environment", 0, "variables"),
            image: v.package_type === "Image",
            httpOnly: false,
          },
          today,
        );
        break;
      }
      case "aws_lambda_function_url":
        functionUrl(r, v.authorization_type, [...p, "authorization_type"]);
        break;
      case "aws_lambda_function_event_invoke_config":
        if (at(asArray(v.destination_config)[0], "on_failure") !== undefined)
          r.add("fn.dead-letter", true, [...p, "destination_config"]);
        break;
      case "aws_lambda_event_source_mapping":
        r.add("events.queue", true, p);
        break;
      case "aws_ecs_task_definition": {
        const defs =
          typeof v.container_definitions === "string"
            ? safeJson(v.container_definitions)
            : v.container_definitions;
        ecsTaskFacts(r, v, p, defs);
        runsAsRole(r, v.task_role_arn, [...p, "task_role_arn"], "task-role");
        break;
      }
      case "aws_ecs_service":
        ecsLaunchType(r, v.launch_type, [...p, "launch_type"], "launch_type");
        break;
      case "aws_eks_cluster": {
        const vpc = asArray(v.vpc_config)[0];
        const value = at(vpc, "endpoint_public_access");
        const path = [...p, "vpc_config", 0, "endpoint_public_access"];
        const unset = "endpoint_public_access not set (public)";
        const cidrs = {
          value: at(vpc, "public_access_cidrs"),
          path: [...p, "vpc_config", 0, "public_access_cidrs"],
        };
        eksClusterFacts(r, { value, path, resource: p, unset }, p, "aws_eks_cluster", cidrs);
        ownNetwork(r, at(vpc, "subnet_ids"), [...p, "vpc_config", 0, "subnet_ids"]);
        break;
      }
      case "aws_eks_node_group":
        nodeGroupFacts(r, v, p);
        ownNetwork(r, v.subnet_ids, [...p, "subnet_ids"]);
        break;
    }
  }
}

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

function runsAsRole(f: Findings, value: unknown, path: PathStep[], kind: "task-role" | "run-as"): void {
  const role = terraformRoleReference(value);
  if (role) f.roleUse({ role, kind, path });
}

function ingress(f: Findings, rule: unknown, path: PathStep[]): void {
  if (!isRecord(rule)) return;
  const cidrs = [...asArray(rule.cidr_blocks), ...asArray(rule.ipv6_cidr_blocks)];
  const key = asArray(rule.cidr_blocks).length > 0 ? "cidr_blocks" : "ipv6_cidr_blocks";
  ingressFacts(f, { protocol: rule.protocol, from: rule.from_port, to: rule.to_port, cidrs }, [...path, key]);
}

/**
 * One EC2 key pair on several instances: the one private key opens every host, so everyone who administers
 * them holds the same key.
 */
function sharedKeyPair(f: Findings, v: Record<string, unknown>, p: PathStep[], instancesOnKey: number): void {
  if (v.key_name === undefined) return;
  if (Number(v.count ?? 1) > 1 || instancesOnKey > 1)
    f.add("vm.shared-admin-credentials", true, [...p, "key_name"]);
}

function imds(f: Findings, options: unknown, path: PathStep[]): void {
  const tokens = asString(at(options, "http_tokens"));
  if (tokens === "optional") f.add("host.imdsv1", true, [...path, "http_tokens"]);
  else if (tokens === "required") f.add("host.imdsv1", false, [...path, "http_tokens"]);
}

function encryptedFlag(f: Findings, encrypted: unknown, path: PathStep[]): void {
  if (typeof encrypted === "boolean") f.add("host.volumes-unencrypted", !encrypted, path);
}

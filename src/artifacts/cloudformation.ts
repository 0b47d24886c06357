import { arnText, httpApiFacts, wafFacts } from "./api-gateway.js";
import { ecsLaunchType, eksClusterFacts, loadBalancerExposure } from "./aws.js";
import { plainFunctionFacts } from "./cfn-functions.js";
import { classificationFacts } from "./classification.js";
import { ecsTaskFacts } from "./containers.js";
import { asArray, asString, at, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { managedPolicyFacts, policyDocumentFacts } from "./iam.js";
import { type LambdaFunction, type Located, lambdaFacts } from "./lambda.js";
import { ingressFacts } from "./network.js";
import { accessKeyCreated, roleAssumedAtRunTime } from "./run-time-identity.js";
import { publicPolicyStatement } from "./storage.js";
import { type DeclaredEvents, declaredEventKinds, publisherPolicyFacts } from "./triggers.js";

export const isCloudFormation = (doc: unknown) =>
  isRecord(doc) &&
  (doc.AWSTemplateFormatVersion !== undefined || doc.Transform !== undefined || isRecord(doc.Resources));

const HTTP_EVENTS = new Set(["Api", "HttpApi"]);
const QUEUE_EVENTS = new Set(["SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "SelfManagedKafka"]);

/** Facts of a CloudFormation or SAM template, resource by resource. */
export function cloudFormationFacts(f: Findings, doc: Record<string, unknown>, today: Date): void {
  const resources = isRecord(doc.Resources) ? doc.Resources : {};
  const globals = at(doc, "Globals", "Function");
  const privateApi = Object.values(resources).some((r) =>
    asArray(
      at(r, "Properties", "EndpointConfiguration", "Types") ?? at(r, "Properties", "EndpointConfiguration"),
    ).includes("PRIVATE"),
  );
  const roles = new Map<string, string[]>();
  const declared: DeclaredEvents = {
    path: ["Resources"],
    listed: [],
    storage: false,
    queue: false,
    complete: true,
  };
  for (const [id, res] of Object.entries(resources)) {
    if (!isRecord(res)) continue;
    const type = asString(res.Type) ?? "";
    const props = isRecord(res.Properties) ? res.Properties : {};
    const p: PathStep[] = ["Resources", id, "Properties"];
    const r = f.for(`${type} ${id}`);
    classificationFacts(r, props.Tags, [...p, "Tags"]);
    const prop = (key: string): Located | undefined => {
      if (props[key] !== undefined) return { value: props[key], path: [...p, key] };
      if (type === "AWS::Serverless::Function" && isRecord(globals) && globals[key] !== undefined) {
        return { value: globals[key], path: ["Globals", "Function", key] };
      }
      return undefined;
    };
    if (
      (type === "AWS::Serverless::Function" || type === "AWS::Lambda::Function") &&
      props.Role !== undefined
    ) {
      const key = JSON.stringify(props.Role);
      roles.set(key, [...(roles.get(key) ?? []), id]);
    }
    if (type === "AWS::Serverless::Function" || type === "AWS::Lambda::Function")
      roleAssumedAtRunTime(
        r,
        props.Role !== undefined ? [...p, "Role"] : ["Resources", id],
        "Lambda execution role",
      );
    switch (type) {
      case "AWS::Serverless::Function": {
        const kinds = samFunction(r, prop, ["Resources", id], today, privateApi);
        declared.listed.push(`${id}: ${kinds.types.join(", ")}`);
        if (kinds.types.length === 0) declared.complete = false;
        declared.storage ||= kinds.storage;
        declared.queue ||= kinds.queue;
        break;
      }
      case "AWS::Lambda::Function":
        lambdaFacts(
          r,
          {
            path: ["Resources", id],
            runtime: prop("Runtime"),
            timeout: prop("Timeout"),
            reservedConcurrency: prop("ReservedConcurrentExecutions"),
            vpc: prop("VpcConfig"),
            tracing: located(at(props, "TracingConfig", "Mode"), [...p, "TracingConfig", "Mode"]),
            deadLetter: prop("DeadLetterConfig"),
            environment: located(at(props, "Environment", "Variables"), [...p, "Environment", "Variables"]),
            image: props.PackageType === "Image",
            httpOnly: false,
          },
          today,
        );
        break;
      case "AWS::Lambda::Url":
        functionUrl(r, props.AuthType, [...p, "AuthType"]);
        break;
      case "AWS::Lambda::EventInvokeConfig":
        if (at(props, "DestinationConfig", "OnFailure") !== undefined) {
          r.add("fn.dead-letter", true, [...p, "DestinationConfig", "OnFailure"]);
        }
        break;
      case "AWS::Lambda::EventSourceMapping":
        r.add("events.queue", true, ["Resources", id, "Type"]);
        break;
      case "AWS::IAM::Role":
      case "AWS::IAM::User":
      case "AWS::IAM::Group":
        asArray(props.Policies).forEach((pol, i) => {
          policyDocumentFacts(r, at(pol, "PolicyDocument"), [...p, "Policies", i, "PolicyDocument"]);
        });
        managedPolicies(r, props.ManagedPolicyArns, [...p, "ManagedPolicyArns"]);
        break;
      case "AWS::IAM::Policy":
      case "AWS::IAM::ManagedPolicy":
        policyDocumentFacts(r, props.PolicyDocument, [...p, "PolicyDocument"]);
        break;
      case "AWS::EC2::SecurityGroup":
        asArray(props.SecurityGroupIngress).forEach((rule, i) => {
          ingressRule(r, rule, [...p, "SecurityGroupIngress", i]);
        });
        break;
      case "AWS::EC2::SecurityGroupIngress":
        ingressRule(r, props, p);
        break;
      case "AWS::EC2::Instance":
        r.platform(["cloud-vm"], "EC2 instance", ["Resources", id]);
        if (props.IamInstanceProfile !== undefined)
          roleAssumedAtRunTime(r, [...p, "IamInstanceProfile"], "instance profile");
        metadataOptions(r, props.MetadataOptions, [...p, "MetadataOptions"]);
        blockDevices(r, props.BlockDeviceMappings, [...p, "BlockDeviceMappings"]);
        break;
      case "AWS::EC2::LaunchTemplate":
        metadataOptions(r, at(props, "LaunchTemplateData", "MetadataOptions"), [
          ...p,
          "LaunchTemplateData",
          "MetadataOptions",
        ]);
        blockDevices(r, at(props, "LaunchTemplateData", "BlockDeviceMappings"), [
          ...p,
          "LaunchTemplateData",
          "BlockDeviceMappings",
        ]);
        break;
      case "AWS::EC2::Volume":
        if (typeof props.Encrypted === "boolean")
          r.add("host.volumes-unencrypted", !props.Encrypted, [...p, "Encrypted"]);
        break;
      case "AWS::RDS::DBInstance":
      case "AWS::RDS::DBCluster":
        // RDS storage is unencrypted unless asked for, so silence here is the fact.
        r.add(
          "host.volumes-unencrypted",
          props.StorageEncrypted !== true,
          props.StorageEncrypted === undefined ? ["Resources", id] : [...p, "StorageEncrypted"],
          props.StorageEncrypted === undefined ? `${id}: StorageEncrypted not set (unencrypted)` : undefined,
        );
        break;
      case "AWS::S3::Bucket":
        bucket(r, props, p);
        break;
      case "AWS::S3::BucketPolicy":
        asArray(at(props, "PolicyDocument", "Statement")).forEach((s, i) => {
          if (publicPolicyStatement(s))
            r.add("data.public-bucket", true, [...p, "PolicyDocument", "Statement", i]);
        });
        break;
      case "AWS::ECS::TaskDefinition":
        ecsTaskFacts(r, props, p);
        break;
      case "AWS::ECS::Service":
        ecsLaunchType(r, props.LaunchType, [...p, "LaunchType"], "LaunchType");
        break;
      case "AWS::EKS::Cluster": {
        const path = [...p, "ResourcesVpcConfig", "EndpointPublicAccess"];
        const value = at(props, "ResourcesVpcConfig", "EndpointPublicAccess");
        const unset = `${id}: EndpointPublicAccess not set (public)`;
        eksClusterFacts(
          r,
          { value, path, resource: ["Resources", id], unset },
          ["Resources", id],
          "EKS cluster",
          {
            value: at(props, "ResourcesVpcConfig", "PublicAccessCidrs"),
            path: [...p, "ResourcesVpcConfig", "PublicAccessCidrs"],
          },
        );
        break;
      }
      case "AWS::CloudTrail::Trail":
        r.add("logs.audit-trail", true, ["Resources", id, "Type"]);
        break;
      case "AWS::GuardDuty::Detector":
        if (props.Enable !== false) r.add("detect.runtime", true, ["Resources", id, "Type"]);
        break;
      case "AWS::SecretsManager::RotationSchedule":
        // The schedule's rules are the clearer evidence (the type's name reads as a secret to the masker).
        r.add(
          "secrets.rotation",
          true,
          props.RotationRules ? [...p, "RotationRules"] : ["Resources", id, "Type"],
        );
        break;
      case "AWS::IAM::AccessKey":
        accessKeyCreated(r, ["Resources", id, "Type"]);
        break;
      case "AWS::SQS::Queue":
        if (props.RedrivePolicy !== undefined) r.add("fn.dead-letter", true, [...p, "RedrivePolicy"]);
        break;
      case "AWS::SQS::QueuePolicy":
      case "AWS::SNS::TopicPolicy":
        publisherPolicyFacts(r, props.PolicyDocument, [...p, "PolicyDocument"]);
        break;
      case "AWS::Logs::SubscriptionFilter":
        if (isLogsDestination(props.DestinationArn)) r.add("logs.central", true, [...p, "DestinationArn"]);
        break;
      case "AWS::Budgets::Budget":
        if (asArray(props.NotificationsWithSubscribers).length > 0)
          r.add("cost.budget-alerts", true, [...p, "NotificationsWithSubscribers"]);
        break;
      case "AWS::CE::AnomalySubscription":
        r.add("cost.budget-alerts", true, ["Resources", id, "Type"]);
        break;
      case "AWS::ElasticLoadBalancingV2::LoadBalancer": {
        const unset = `${id}: Scheme not set (internet-facing)`;
        const setting = { value: props.Scheme, path: [...p, "Scheme"], resource: ["Resources", id], unset };
        loadBalancerExposure(r, props.Scheme === "internal", setting);
        break;
      }
    }
  }
  // Plain Lambda functions get their triggers from permissions and mappings elsewhere in the template.
  plainFunctionFacts(f, resources, doc.Outputs, declared);
  declaredEventKinds(f.for("functions"), declared);
  httpApiFacts(f, resources);
  wafFacts(f, resources);
  // One execution role on several functions: each can do whatever any of them needs.
  for (const ids of roles.values()) {
    if (ids.length > 1) {
      const path = ["Resources", ids[1] ?? "", "Properties", "Role"];
      f.for(`functions ${ids.join(", ")}`).add("iam.shared-role", true, path);
    }
  }
}

/**
 * A CloudWatch Logs destination (`arn:aws:logs:<region>:<account>:destination:<name>`) is how logs are
 * shipped to a receiver another account owns, a central log account's; a filter to a function or a
 * stream of the same stack is not one.
 */
function isLogsDestination(arn: unknown): boolean {
  const parts = arnText(arn)?.split(":") ?? [];
  return parts[0] === "arn" && parts[2] === "logs" && parts[5] === "destination" && parts.length >= 7;
}

const located = (value: unknown, path: PathStep[]): Located | undefined =>
  value === undefined ? undefined : { value, path };

function samFunction(
  f: Findings,
  prop: (key: string) => Located | undefined,
  base: PathStep[],
  today: Date,
  privateApi: boolean,
): { types: string[]; storage: boolean; queue: boolean } {
  const events = prop("Events");
  const types = isRecord(events?.value)
    ? Object.values(events.value).map((e) => asString(at(e, "Type")) ?? "")
    : [];
  const env = prop("Environment");
  const fn: LambdaFunction = {
    path: base,
    runtime: prop("Runtime"),
    timeout: prop("Timeout"),
    reservedConcurrency: prop("ReservedConcurrentExecutions"),
    vpc: prop("VpcConfig"),
    tracing: prop("Tracing"),
    deadLetter:
      prop("DeadLetterQueue") ??
      located(at(prop("EventInvokeConfig")?.value, "DestinationConfig", "OnFailure"), [
        ...(prop("EventInvokeConfig")?.path ?? []),
        "DestinationConfig",
        "OnFailure",
      ]),
    environment: env && located(at(env.value, "Variables"), [...env.path, "Variables"]),
    image: prop("PackageType")?.value === "Image",
    httpOnly: types.length > 0 && types.every((t) => HTTP_EVENTS.has(t)),
  };
  lambdaFacts(f, fn, today);
  const url = prop("FunctionUrlConfig");
  if (url) functionUrl(f, at(url.value, "AuthType"), [...url.path, "AuthType"]);
  if (types.some((t) => HTTP_EVENTS.has(t)) && events) {
    f.add("api.present", true, events.path);
    // SAM's Api and HttpApi events create public endpoints unless the API is declared PRIVATE.
    if (!privateApi) f.add("exposure.internet", true, events.path);
  }
  const storage = types.includes("S3");
  const queue = types.some((t) => QUEUE_EVENTS.has(t));
  if (storage && events) f.add("events.storage", true, events.path);
  if (queue && events) f.add("events.queue", true, events.path);
  const policies = prop("Policies");
  if (policies) {
    asArray(policies.value).forEach((pol, i) => {
      const path = Array.isArray(policies.value) ? [...policies.path, i] : policies.path;
      if (typeof pol === "string") managedPolicies(f, [pol], path.slice(0, -1));
      else if (isRecord(pol) && pol.Statement !== undefined) policyDocumentFacts(f, pol, path);
    });
    // Without a Role, SAM creates an execution role for this function alone from its Policies.
    if (prop("Role") === undefined)
      f.add("iam.shared-role", false, policies.path, "Policies without Role: a role of its own");
  }
  return { types, storage, queue };
}

/** A function URL: AuthType NONE lets anyone on the internet call it. */
export function functionUrl(f: Findings, authType: unknown, path: PathStep[]): void {
  f.add("api.present", true, path);
  // A function URL is a public HTTPS endpoint whatever its auth type.
  f.add("exposure.internet", true, path);
  if (authType === "NONE") f.add("api.unauthenticated", true, path);
  else if (authType === "AWS_IAM") f.add("api.strong-auth", true, path);
}

export function managedPolicies(f: Findings, arns: unknown, path: PathStep[]): void {
  asArray(arns).forEach((arn, i) => {
    managedPolicyFacts(f, arn, [...path, i]);
  });
}

function ingressRule(f: Findings, rule: unknown, path: PathStep[]): void {
  if (!isRecord(rule)) return;
  const where = [...path, rule.CidrIp !== undefined ? "CidrIp" : "CidrIpv6"];
  const cidrs = [rule.CidrIp, rule.CidrIpv6];
  ingressFacts(f, { protocol: rule.IpProtocol, from: rule.FromPort, to: rule.ToPort, cidrs }, where);
}

function metadataOptions(f: Findings, options: unknown, path: PathStep[]): void {
  const tokens = asString(at(options, "HttpTokens"));
  if (tokens === "optional") f.add("host.imdsv1", true, [...path, "HttpTokens"]);
  else if (tokens === "required") f.add("host.imdsv1", false, [...path, "HttpTokens"]);
}

function blockDevices(f: Findings, mappings: unknown, path: PathStep[]): void {
  asArray(mappings).forEach((m, i) => {
    const encrypted = at(m, "Ebs", "Encrypted");
    if (typeof encrypted === "boolean")
      f.add("host.volumes-unencrypted", !encrypted, [...path, i, "Ebs", "Encrypted"]);
  });
}

function bucket(f: Findings, props: Record<string, unknown>, p: PathStep[]): void {
  // Object events sent to a function or a queue are storage events, whichever template declares them.
  for (const key of ["LambdaConfigurations", "QueueConfigurations"])
    if (asArray(at(props, "NotificationConfiguration", key)).length > 0)
      f.add("events.storage", true, [...p, "NotificationConfiguration", key]);
  if (props.AccessControl === "PublicRead" || props.AccessControl === "PublicReadWrite") {
    f.add("data.public-bucket", true, [...p, "AccessControl"]);
  }
  const block = props.PublicAccessBlockConfiguration;
  const keys = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];
  if (isRecord(block) && keys.every((k) => block[k] === true)) {
    f.add("data.public-bucket", false, [...p, "PublicAccessBlockConfiguration"]);
  }
}

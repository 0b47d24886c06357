import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { factsForReview } from "../../src/artifacts/for-review.js";
import { type ScanResult, scanPaths } from "../../src/artifacts/scan.js";
import type { FileFact } from "../../src/core/facts/state.js";
import { ARTIFACTS, TODAY, vocabulary } from "./support.js";

let scan: ScanResult;
beforeAll(async () => {
  scan = await scanPaths([ARTIFACTS], { today: TODAY });
});

const factsOf = (file: string, fact: string): FileFact[] =>
  scan.facts.filter((f) => f.file === file && f.fact === fact);

// [file, fact, value, line, excerpt fragment]: what each fixture must show, with its evidence line.
const POSITIVE: [string, string, string | boolean, number, string][] = [
  ["docker/latest.Dockerfile", "image.ref", "latest", 1, "FROM node:latest"],
  ["docker/untagged.Dockerfile", "image.ref", "latest", 1, "FROM ubuntu"],
  ["docker/moving-tag.Dockerfile", "image.ref", "latest", 1, "FROM node:lts"],
  ["docker/version-tag.Dockerfile", "image.ref", "version-tag", 1, "node:20.11-alpine"],
  ["docker/digest.Dockerfile", "image.ref", "digest", 1, "@sha256:"],
  ["docker/latest.Dockerfile", "container.runs-as-root", true, 1, "no USER instruction"],
  ["docker/user-root.Dockerfile", "container.runs-as-root", true, 3, "USER root"],
  ["docker/version-tag.Dockerfile", "container.runs-as-root", false, 4, "USER node"],
  ["docker/digest.Dockerfile", "container.runs-as-root", false, 4, "USER 1000"],
  ["docker/multistage.Dockerfile", "container.runs-as-root", false, 9, "USER 65532"],
  ["docker/add-remote.Dockerfile", "image.add-remote", true, 2, "ADD https://example.com"],
  ["docker/curl-pipe-shell.Dockerfile", "image.curl-pipe-shell", true, 2, "install.sh | sh"],
  ["docker/wget-shell-c.Dockerfile", "image.curl-pipe-shell", true, 2, "$(wget"],
  ["docker/json-run-pipe.Dockerfile", "image.curl-pipe-shell", true, 2, "sudo bash"],
  ["docker/apt-upgrade.Dockerfile", "image.pkg-upgrade", true, 2, "apt-get -y upgrade"],
  ["docker/apk-upgrade.Dockerfile", "image.pkg-upgrade", true, 2, "apk upgrade"],
  ["docker/healthcheck.Dockerfile", "image.healthcheck", true, 2, "HEALTHCHECK --interval"],
  ["docker/healthcheck-none.Dockerfile", "image.healthcheck", false, 2, "HEALTHCHECK NONE"],
  ["docker/env-secret.Dockerfile", "secrets.in-code-or-image", true, 3, "STRIPE_API_KEY=[secret masked]"],
  ["docker/arg-token.Dockerfile", "secrets.in-code-or-image", true, 2, "NPM_TOKEN"],
  ["docker/arg-token.Dockerfile", "deps.lockfiles", true, 3, "npm ci"],
  ["stories/payments-eks/Dockerfile", "deps.lockfiles", true, 4, "RUN npm ci --omit=dev"],

  ["k8s/deployment-root.yaml", "container.runs-as-root", true, 16, "runAsUser: 0"],
  ["k8s/cronjob-root.yaml", "container.runs-as-root", true, 13, "runAsUser: 0"],
  ["k8s/deployment-hardened.yaml", "container.runs-as-root", false, 15, "runAsNonRoot: true"],
  ["k8s/multi-doc.yaml", "container.runs-as-root", false, 16, "runAsNonRoot: true"],
  ["k8s/pod-privileged.yaml", "container.privileged", true, 10, "privileged: true"],
  ["k8s/list.yaml", "container.privileged", true, 13, "privileged: true"],
  ["k8s/deployment-hardened.yaml", "container.privileged", false, 22, "privileged: false"],
  [
    "k8s/escalation-allowed.yaml",
    "container.privilege-escalation",
    true,
    16,
    "allowPrivilegeEscalation: true",
  ],
  ["k8s/pod-privileged.yaml", "container.privilege-escalation", true, 7, "allowPrivilegeEscalation not set"],
  [
    "k8s/deployment-hardened.yaml",
    "container.privilege-escalation",
    false,
    23,
    "allowPrivilegeEscalation: false",
  ],
  ["k8s/caps-added.yaml", "container.capabilities-added", true, 17, "NET_ADMIN"],
  ["k8s/deployment-hardened.yaml", "container.capabilities-added", false, 26, 'drop: ["ALL"]'],
  ["k8s/hostpath.yaml", "container.host-path", true, 19, "hostPath:"],
  ["k8s/hostnetwork.yaml", "container.host-namespaces", true, 6, "hostNetwork: true"],
  ["k8s/hostpid.yaml", "container.host-namespaces", true, 6, "hostPID: true"],
  ["k8s/hostipc.yaml", "container.host-namespaces", true, 6, "hostIPC: true"],
  ["k8s/host-namespaces-off.yaml", "container.host-namespaces", false, 6, "hostNetwork: false"],
  ["k8s/writable-rootfs.yaml", "container.writable-rootfs", true, 10, "readOnlyRootFilesystem: false"],
  ["k8s/no-limits.yaml", "container.writable-rootfs", true, 13, "readOnlyRootFilesystem not set"],
  ["k8s/deployment-hardened.yaml", "container.writable-rootfs", false, 24, "readOnlyRootFilesystem: true"],
  ["k8s/no-limits.yaml", "container.no-limits", true, 13, "no CPU or memory limit"],
  ["k8s/deployment-hardened.yaml", "container.no-limits", false, 28, "limits:"],
  ["k8s/seccomp-unconfined.yaml", "container.unconfined", true, 8, "type: Unconfined"],
  ["k8s/apparmor-unconfined.yaml", "container.unconfined", true, 11, "type: Unconfined"],
  ["k8s/deployment-hardened.yaml", "container.unconfined", false, 17, "type: RuntimeDefault"],
  ["k8s/automount-true.yaml", "k8s.sa-token-automount", true, 6, "automountServiceAccountToken: true"],
  [
    "k8s/deployment-hardened.yaml",
    "k8s.sa-token-automount",
    false,
    13,
    "automountServiceAccountToken: false",
  ],
  [
    "k8s/serviceaccount-no-automount.yaml",
    "k8s.sa-token-automount",
    false,
    5,
    "automountServiceAccountToken: false",
  ],
  ["k8s/netpol-default-deny.yaml", "k8s.netpol-default-deny", true, 7, "podSelector: {}"],
  ["k8s/multi-doc.yaml", "k8s.netpol-default-deny", true, 33, "podSelector: {}"],
  ["k8s/service-loadbalancer.yaml", "k8s.service-exposed", true, 6, "type: LoadBalancer"],
  ["k8s/service-nodeport.yaml", "k8s.service-exposed", true, 6, "type: NodePort"],
  ["k8s/multi-doc.yaml", "k8s.service-exposed", true, 23, "type: LoadBalancer"],
  ["k8s/service-clusterip.yaml", "k8s.service-exposed", false, 6, "type: ClusterIP"],
  ["k8s/image-latest.yaml", "image.ref", "latest", 8, "nginx:latest"],
  ["k8s/deployment-hardened.yaml", "image.ref", "digest", 20, "@sha256:"],
  ["k8s/env-secret.yaml", "secrets.env-plaintext", true, 19, "DB_PASSWORD=[secret masked]"],
  ["k8s/secret-manifest.yaml", "secrets.in-code-or-image", true, 7, "stringData.password"],
  ["k8s/clusterrolebinding-admin.yaml", "k8s.broad-rbac", true, 8, "cluster-admin"],
  ["k8s/namespace-restricted.yaml", "k8s.pod-security-enforced", true, 6, "enforce: restricted"],
  ["k8s/namespace-privileged.yaml", "k8s.pod-security-enforced", false, 6, "enforce: privileged"],

  ["compose/docker-compose.yml", "image.ref", "latest", 3, "postgres:latest"],
  ["compose/docker-compose.yml", "container.privileged", true, 11, "privileged: true"],
  ["compose/docker-compose.yml", "container.host-namespaces", true, 12, "network_mode: host"],
  ["compose/docker-compose.yml", "container.capabilities-added", true, 13, "cap_add:"],
  ["compose/docker-compose.yml", "docker.socket-exposed", true, 16, "docker.sock"],
  ["compose/docker-compose.yml", "container.host-path", true, 8, "./data"],
  ["compose/docker-compose.yml", "secrets.env-plaintext", true, 6, "POSTGRES_PASSWORD=[secret masked]"],
  ["compose/docker-compose.yml", "container.no-limits", true, 2, "no CPU and memory limits"],
  ["compose/compose-hardened.yaml", "container.no-limits", false, 11, "limits:"],
  ["compose/compose-hardened.yaml", "container.runs-as-root", false, 4, 'user: "1000:1000"'],
  ["compose/compose-hardened.yaml", "container.writable-rootfs", false, 5, "read_only: true"],
  ["compose/compose-hardened.yaml", "container.privilege-escalation", false, 8, "no-new-privileges"],
  ["compose/compose-hardened.yaml", "image.healthcheck", true, 14, "healthcheck:"],
  ["compose/compose-unconfined.yml", "container.runs-as-root", true, 4, "user: root"],
  ["compose/compose-unconfined.yml", "container.unconfined", true, 7, "seccomp:unconfined"],
  ["compose/compose-unconfined.yml", "container.host-namespaces", true, 5, "pid: host"],
  ["compose/compose-unconfined.yml", "image.healthcheck", false, 11, "healthcheck:"],
  ["compose/compose-unconfined.yml", "secrets.env-plaintext", true, 10, "API_TOKEN=[secret masked]"],

  ["lambda/sam-open-url.yaml", "api.unauthenticated", true, 16, "AuthType: NONE"],
  ["lambda/sam-open-url.yaml", "api.present", true, 16, "AuthType: NONE"],
  ["lambda/sam-open-url.yaml", "fn.runtime-deprecated", true, 11, "nodejs16.x"],
  ["lambda/sam-open-url.yaml", "fn.timeout-max", true, 14, "Timeout: 900"],
  ["lambda/sam-open-url.yaml", "fn.concurrency-cap", false, 7, "no reserved concurrency"],
  ["lambda/sam-open-url.yaml", "fn.in-vpc", false, 7, "no VPC configuration"],
  ["lambda/sam-open-url.yaml", "iam.action-wildcard", true, 24, "dynamodb:*"],
  ["lambda/sam-open-url.yaml", "iam.resource-wildcard", true, 25, 'Resource: "*"'],
  ["lambda/sam-open-url.yaml", "secrets.env-plaintext", true, 20, "STRIPE_SECRET_KEY=[secret masked]"],
  ["lambda/sam-hardened.yaml", "fn.runtime-deprecated", false, 10, "nodejs22.x"],
  ["lambda/sam-hardened.yaml", "logs.tracing", true, 11, "Tracing: Active"],
  ["lambda/sam-hardened.yaml", "fn.concurrency-cap", true, 19, "ReservedConcurrentExecutions: 20"],
  ["lambda/sam-hardened.yaml", "fn.in-vpc", true, 20, "VpcConfig:"],
  ["lambda/sam-hardened.yaml", "fn.dead-letter", true, 23, "DeadLetterQueue:"],
  ["lambda/sam-hardened.yaml", "api.strong-auth", true, 27, "AuthType: AWS_IAM"],
  ["lambda/sam-hardened.yaml", "iam.action-wildcard", false, 35, "Statement:"],
  ["lambda/sam-hardened.yaml", "iam.resource-wildcard", false, 35, "Statement:"],
  ["lambda/sam-api-timeout.yaml", "fn.timeout-max", true, 9, "Timeout: 120"],
  ["lambda/sam-tracing-passthrough.yaml", "logs.tracing", false, 9, "Tracing: PassThrough"],
  ["lambda/sam-managed-admin.yaml", "iam.action-wildcard", true, 10, "AdministratorAccess"],
  ["lambda/sam-events.yaml", "events.storage", true, 9, "Events:"],
  ["lambda/sam-events.yaml", "events.queue", true, 9, "Events:"],
  ["lambda/cfn-function.json", "iam.action-wildcard", true, 20, '"Action": "*"'],
  ["lambda/cfn-function.json", "iam.pass-role", true, 20, '"Action": "*"'],
  ["lambda/cfn-function.json", "fn.runtime-deprecated", true, 29, "python3.8"],
  ["lambda/cfn-function.json", "fn.concurrency-cap", true, 33, "ReservedConcurrentExecutions"],
  ["lambda/cfn-function.json", "logs.tracing", true, 35, '"Mode": "Active"'],
  ["lambda/cfn-function.json", "api.unauthenticated", true, 48, '"AuthType": "NONE"'],
  ["lambda/cfn-function.json", "secrets.env-plaintext", true, 40, "UPLOAD_KEY_ID=[secret masked]"],
  ["lambda/serverless.yml", "iam.action-wildcard", true, 9, "Action:"],
  ["lambda/serverless.yml", "iam.resource-wildcard", true, 11, 'Resource: "*"'],
  ["lambda/serverless.yml", "api.unauthenticated", true, 17, "url: true"],
  ["lambda/serverless.yml", "fn.runtime-deprecated", true, 4, "nodejs18.x"],
  ["lambda/serverless.yml", "fn.timeout-max", true, 24, "timeout: 900"],
  ["lambda/serverless.yml", "fn.concurrency-cap", true, 25, "reservedConcurrency: 5"],
  ["lambda/serverless.yml", "secrets.env-plaintext", true, 13, "DB_PASSWORD=[secret masked]"],
  ["lambda/serverless-hardened.yml", "fn.dead-letter", true, 22, "onError:"],
  ["lambda/serverless-hardened.yml", "logs.tracing", true, 6, "lambda: true"],
  ["lambda/serverless-hardened.yml", "fn.in-vpc", true, 7, "vpc:"],
  ["lambda/serverless-hardened.yml", "api.strong-auth", true, 23, "url:"],
  ["lambda/lambda.tf", "fn.runtime-deprecated", true, 3, "nodejs16.x"],
  ["lambda/lambda.tf", "fn.timeout-max", true, 7, "timeout       = 900"],
  ["lambda/lambda.tf", "api.unauthenticated", true, 19, 'authorization_type = "NONE"'],
  ["lambda/lambda.tf", "iam.action-wildcard", true, 28, 'Action   = "*"'],
  ["lambda/lambda.tf", "iam.resource-wildcard", true, 29, 'Resource = "*"'],
  ["lambda/lambda.tf", "secrets.env-plaintext", true, 12, "API_TOKEN=[secret masked]"],
  ["lambda/lambda-hardened.tf", "fn.concurrency-cap", true, 6, "reserved_concurrent_executions = 10"],
  ["lambda/lambda-hardened.tf", "fn.in-vpc", true, 8, "vpc_config {"],
  ["lambda/lambda-hardened.tf", "logs.tracing", true, 14, 'mode = "Active"'],
  ["lambda/lambda-hardened.tf", "fn.dead-letter", true, 17, "dead_letter_config {"],
  ["lambda/lambda-hardened.tf", "fn.runtime-deprecated", false, 24, "python3.12"],

  ["infra/sg-ssh-open.tf", "net.admin-ports-public", true, 10, '["0.0.0.0/0"]'],
  ["infra/sg-rules.tf", "net.admin-ports-public", true, 6, '["0.0.0.0/0"]'],
  ["infra/sg-rules.tf", "net.admin-ports-public", true, 12, 'cidr_ipv4         = "0.0.0.0/0"'],
  ["infra/cfn-vm.yaml", "net.admin-ports-public", true, 13, "CidrIp: 0.0.0.0/0"],
  ["infra/plan.json", "net.admin-ports-public", true, 42, '"cidr_blocks"'],
  ["infra/instance-imdsv1.tf", "host.imdsv1", true, 7, 'http_tokens   = "optional"'],
  ["infra/launch-template.tf", "host.imdsv1", true, 7, '"optional"'],
  ["infra/cfn-vm.yaml", "host.imdsv1", true, 19, "HttpTokens: optional"],
  ["infra/plan.json", "host.imdsv1", true, 18, '"http_tokens": "optional"'],
  [
    "infra/plan-minified.json",
    "host.imdsv1",
    true,
    1,
    'aws_instance.web metadata_options.http_tokens = "optional"',
  ],
  ["infra/instance-hardened.tf", "host.imdsv1", false, 6, '"required"'],
  ["infra/cfn-vm-hardened.json", "host.imdsv1", false, 17, '"HttpTokens": "required"'],
  ["infra/instance-imdsv1.tf", "host.volumes-unencrypted", true, 12, "encrypted   = false"],
  ["infra/volumes.tf", "host.volumes-unencrypted", true, 4, "encrypted         = false"],
  ["infra/volumes.tf", "host.volumes-unencrypted", true, 7, "storage_encrypted not set"],
  ["infra/cfn-vm.yaml", "host.volumes-unencrypted", true, 29, "Encrypted: false"],
  ["infra/instance-hardened.tf", "host.volumes-unencrypted", false, 10, "encrypted = true"],
  [
    "infra/vm-session-manager.tf",
    "vm.remote-access",
    "session-manager",
    30,
    "AmazonSSMManagedInstanceCore on the instance role; no SSH or RDP rule in security group app",
  ],
  [
    "infra/vm-session-manager.tf",
    "net.admin-ports-public",
    false,
    40,
    "security group app: no admin or database port open to the internet",
  ],
  ["infra/vm-session-manager.tf", "iam.static-keys", false, 42, "instance profile: role assumed at run time"],
  ["infra/vm-session-manager.tf", "net.default-network", false, 50, "subnets of a VPC these files create"],
  ["stories/map-tiles-vm/edge.tf", "api.waf", true, 20, "managed_rule_group_statement {"],
  ["stories/map-tiles-vm/edge.tf", "api.throttling", true, 42, "rate_based_statement {"],
  ["infra/volumes-encrypted.tf", "host.volumes-unencrypted", false, 9, "storage_encrypted = true"],
  ["infra/s3-public.tf", "data.public-bucket", true, 7, '"public-read"'],
  ["infra/s3-public.tf", "data.public-bucket", true, 12, "jsonencode"],
  ["infra/cfn-vm.yaml", "data.public-bucket", true, 33, "AccessControl: PublicRead"],
  ["infra/s3-private.tf", "data.public-bucket", false, 5, "aws_s3_bucket_public_access_block"],
  ["infra/iam-wildcard.tf", "iam.action-wildcard", true, 4, '["s3:*"]'],
  ["infra/iam-wildcard.tf", "iam.resource-wildcard", true, 5, '["*"]'],
  ["infra/iam-wildcard.tf", "iam.action-wildcard", true, 11, "AdministratorAccess"],
  ["infra/cfn-vm.yaml", "iam.action-wildcard", true, 47, '"ec2:*"'],
  ["infra/iam-exact.tf", "iam.action-wildcard", false, 6, '"Statement"'],
  ["infra/iam-exact.tf", "iam.resource-wildcard", false, 6, '"Statement"'],
  ["infra/ecs-fargate.tf", "image.ref", "latest", 11, "api:latest"],
  ["infra/ecs-fargate.tf", "secrets.env-plaintext", true, 12, "SESSION_SECRET=[secret masked]"],
  ["infra/cfn-ecs.yaml", "container.privileged", true, 13, "Privileged: true"],
  ["infra/cfn-ecs.yaml", "container.runs-as-root", true, 12, "User: root"],
  ["infra/cfn-ecs.yaml", "container.host-namespaces", true, 8, "NetworkMode: host"],
  ["infra/cfn-ecs.yaml", "image.healthcheck", true, 15, "HealthCheck:"],
  ["infra/cfn-ecs.yaml", "secrets.manager", true, 17, "Secrets:"],
  ["infra/taskdef.json", "container.runs-as-root", true, 11, '"user": "0"'],
  ["infra/taskdef.json", "secrets.env-plaintext", true, 14, "PAYMENT_API_KEY=[secret masked]"],
  ["infra/eks.tf", "k8s.api-public", false, 7, "endpoint_public_access  = false"],
  // A task's cpu and memory cap all its containers; ECS adds only the capabilities a container names.
  ["infra/ecs-task-own-role.tf", "container.no-limits", false, 10, "task size cpu 512, memory 1024"],
  ["infra/ecs-task-own-role.tf", "container.capabilities-added", false, 14, "reports: no capabilities added"],
  ["infra/ecs-tasks-shared-role.tf", "container.capabilities-added", true, 33, 'add = ["SYS_PTRACE"]'],
  ["infra/ecs-task-own-role.tf", "iam.static-keys", false, 12, "ECS task role: role assumed at run time"],
  ["infra/taskdef-keys.json", "iam.static-keys", true, 13, '"name": "AWS_ACCESS_KEY_ID"'],
  ["infra/ecs-task-own-role.tf", "iam.shared-role", false, 12, "created in these files for this task alone"],
  [
    "infra/ecs-tasks-shared-role.tf",
    "iam.shared-role",
    true,
    9,
    "also the role of aws_ecs_task_definition.profiler",
  ],
  ["lambda/sam-open-url.yaml", "exposure.internet", true, 16, "AuthType: NONE"],
  ["lambda/sam-hardened.yaml", "exposure.internet", true, 39, "Events:"],
  ["lambda/serverless.yml", "exposure.internet", true, 18, "events:"],
  ["k8s/service-loadbalancer.yaml", "exposure.internet", true, 6, "type: LoadBalancer"],
  ["k8s/service-internal-lb.yaml", "exposure.internet", false, 8, "type: LoadBalancer"],
  ["k8s/ingress-public.yaml", "exposure.internet", true, 4, "name: shop"],
  ["infra/account-controls.tf", "exposure.internet", true, 22, "internal not set (internet-facing)"],
  ["infra/account-controls.tf", "exposure.internet", false, 29, "internal = true"],
  ["lambda/sam-open-url.yaml", "net.egress-open", true, 7, "outbound traffic unrestricted"],
  ["infra/sg-egress-open.tf", "net.egress-open", true, 8, '["0.0.0.0/0"]'],
  ["lambda/sam-shared-role.yaml", "iam.shared-role", true, 22, "Role: !GetAtt SharedRole.Arn"],
  ["lambda/serverless.yml", "iam.shared-role", true, 6, "one provider role for api, worker"],
  ["lambda/sam-hardened.yaml", "iam.shared-role", false, 32, "Policies without Role: a role of its own"],
  ["infra/sg-ssh-open.tf", "vm.remote-access", "open-internet", 10, '["0.0.0.0/0"]'],
  ["infra/cfn-vm.yaml", "vm.remote-access", "open-internet", 13, "CidrIp: 0.0.0.0/0"],
  ["infra/sg-ssh-private.tf", "vm.remote-access", "ip-allowlist", 8, '["10.20.0.0/16"]'],
  ["infra/sg-ssh-private.tf", "net.admin-ports-public", false, 8, '["10.20.0.0/16"]'],
  ["lambda/sam-managed-admin.yaml", "iam.pass-role", true, 10, "AdministratorAccess"],
  ["infra/account-controls.tf", "logs.audit-trail", true, 1, 'resource "aws_cloudtrail" "org"'],
  ["infra/account-controls.tf", "detect.runtime", true, 7, "aws_guardduty_detector"],
  ["infra/account-controls.tf", "secrets.rotation", true, 11, "aws_secretsmanager_secret_rotation"],
  ["infra/account-controls.tf", "iam.static-keys", true, 16, "aws_iam_access_key"],
  ["infra/account-controls.tf", "net.default-network", true, 20, "aws_default_vpc"],
  ["k8s/deployment-root.yaml", "container.privileged", false, 13, "privileged not set"],
  ["k8s/deployment-root.yaml", "container.host-path", false, 11, "no hostPath volume"],
  ["k8s/deployment-root.yaml", "container.host-namespaces", false, 11, "not set (not shared)"],
  ["k8s/deployment-root.yaml", "container.capabilities-added", false, 13, "no capabilities added"],
  ["compose/compose-hardened.yaml", "container.privileged", false, 2, "privileged not set"],
  // A role assumed through the workload's own service account (IRSA): the trust policy decides.
  ["irsa/pinned/role.tf", "iam.static-keys", false, 11, "system:serviceaccount:invoices:invoices"],
  ["irsa/pinned/role.tf", "iam.shared-role", false, 11, "system:serviceaccount:invoices:invoices"],
  ["irsa/namespace-wide/role.tf", "iam.shared-role", true, 11, "system:serviceaccount:reports:*"],
  ["irsa/namespace-wide/role.tf", "iam.static-keys", false, 11, "system:serviceaccount:reports:*"],
  ["irsa/access-key/deployment.yaml", "iam.static-keys", true, 27, "AWS_ACCESS_KEY_ID"],
  ["infra/eks-nodes.tf", "k8s.api-public", false, 17, "203.0.113.0/24"],
  ["infra/eks-nodes-locked.tf", "k8s.api-public", true, 7, '["0.0.0.0/0"]'],
  ["infra/cfn-eks.yaml", "k8s.api-public", false, 12, 'PublicAccessCidrs: ["203.0.113.0/24"]'],
  ["infra/eks-nodes.tf", "net.default-network", false, 15, "not the default VPC"],
  ["infra/eks-nodes.tf", "host.hardened", true, 34, "BOTTLEROCKET_x86_64"],
  ["infra/eks-nodes.tf", "net.admin-ports-public", true, 41, "remote_access {"],
  ["infra/eks-nodes-locked.tf", "net.admin-ports-public", false, 31, "remote_access {"],
  ["infra/eks-nodes.tf", "host.imdsv1", true, 26, "http_put_response_hop_limit = 2"],
  ["infra/eks-nodes-locked.tf", "host.imdsv1", false, 16, "http_put_response_hop_limit = 1"],
  // A kustomization that applies a whole namespace, NetworkPolicies and all.
  [
    "kustomize/open-namespace/kustomization.yaml",
    "k8s.netpol-default-deny",
    false,
    4,
    "namespace ledger: no NetworkPolicy",
  ],
  ["lambda/serverless.yml", "iam.static-keys", false, 6, "role assumed at run time, no access key"],
  ["lambda/lambda-hardened.tf", "iam.static-keys", false, 5, "Lambda execution role"],
  ["lambda/sam-hardened.yaml", "iam.static-keys", false, 14, "Lambda execution role"],
  ["infra/ami-supported.tf", "iam.static-keys", false, 20, "instance profile: role assumed at run time"],
  ["lambda/sam-access-key-env.yaml", "iam.static-keys", true, 12, "AWS_ACCESS_KEY_ID=[secret masked]"],
  ["infra/iam-user-key.tf", "iam.static-keys", true, 5, 'resource "aws_iam_access_key" "uploader"'],
  ["infra/iam-user-key.tf", "iam.shared-role", false, 5, "IAM user with its access key"],
  ["infra/ami-supported.tf", "iam.shared-role", false, 11, "instance profile: created for this workload"],
  ["lambda/serverless-loop.yml", "iam.shared-role", false, 6, "provider role of resize"],
  ["infra/iam-user-key.tf", "iam.pass-role", false, 11, "AmazonS3FullAccess"],
  ["lambda/serverless.yml", "events.storage", false, 14, "api: http; worker: sqs (no object-storage events)"],
  ["lambda/sam-hardened.yaml", "events.queue", false, 13, "OrdersFunction: Api (no queue or stream events)"],
  ["lambda/serverless-loop.yml", "events.queue", false, 14, "resize: s3"],
  ["infra/s3-notification.tf", "events.storage", true, 8, "lambda_function {"],
  ["lambda/serverless-loop.yml", "fn.writes-to-trigger", true, 13, "arn:aws:s3:::photo-uploads/*"],
  [
    "lambda/serverless-exact-role.yml",
    "fn.writes-to-trigger",
    false,
    7,
    "grants no write to a queue or bucket",
  ],
  ["lambda/sam-queue-policy-open.yaml", "events.publishers-restricted", false, 14, 'Principal: "*"'],
  ["lambda/queues.tf", "events.publishers-restricted", false, 19, "210987654321:root"],
  ["lambda/queues.tf", "fn.dead-letter", true, 3, "redrive_policy"],
  ["infra/budget.tf", "cost.budget-alerts", true, 8, "notification {"],
  ["infra/ami-eol.tf", "host.os-end-of-life", true, 7, "Ubuntu 18.04 (past vendor support)"],
  ["infra/ami-supported.tf", "host.os-end-of-life", false, 7, "Amazon Linux 2023 (still supported)"],
  ["infra/ami-eol.tf", "vm.shared-admin-credentials", true, 14, 'key_name      = "ops"'],
  ["lambda/serverless-api-keys.yml", "api.unauthenticated", false, 8, "every HTTP event needs an API key"],
  ["lambda/serverless-api-keys.yml", "api.validation", true, 17, "schemas:"],
  // A data classification the team tags its resources or labels its namespace with.
  ["classification/tagged.tf", "data.sensitivity", "confidential", 5, "DataClassification: confidential"],
  ["classification/tagged.tf", "data.sensitivity", "internal", 12, "data-classification: internal"],
  ["classification/namespace.yaml", "data.sensitivity", "restricted", 6, "data-classification: restricted"],
  ["classification/template.yaml", "data.sensitivity", "public", 10, "data_classification: public"],
  // The Session Manager core policy reads every Parameter Store parameter.
  ["infra/vm-session-manager.tf", "iam.resource-wildcard", true, 30, "AmazonSSMManagedInstanceCore"],
  // A provider's default_tags reach every resource it creates.
  ["classification/default-tags.tf", "data.sensitivity", "restricted", 11, "DataClassification: restricted"],
  ["classification/serverless.yml", "data.sensitivity", "internal", 6, "DataClassification: internal"],
  [
    "classification/serverless.yml",
    "data.sensitivity",
    "confidential",
    11,
    "DataClassification: confidential",
  ],
  // An HTTP API's routes: JWT and IAM authorisation on every one, and a throttled stage.
  ["lambda/cfn-http-api.json", "api.present", true, 63, '"ProtocolType": "HTTP"'],
  ["lambda/cfn-http-api.json", "exposure.internet", true, 63, "public default endpoint"],
  ["lambda/cfn-http-api.json", "api.strong-auth", true, 118, '"AuthorizationType": "AWS_IAM"'],
  ["lambda/cfn-http-api.json", "api.unauthenticated", false, 108, "every HTTP API route needs a JWT"],
  ["lambda/cfn-http-api.json", "api.static-keys", false, 108, "HTTP APIs have no API keys"],
  ["lambda/cfn-http-api.json", "api.throttling", true, 70, '"ThrottlingRateLimit": 50'],
  ["lambda/cfn-http-api-open.yaml", "api.unauthenticated", true, 13, "HealthRoute: no AuthorizationType"],
  // X-Ray's trace writes can only be granted on "*"; the role's other grants name their table.
  ["lambda/cfn-http-api.json", "iam.resource-wildcard", false, 25, '"Statement": ['],
  ["lambda/cfn-http-api.json", "iam.shared-role", false, 47, "HandlerServiceRole: created for this workload"],
  ["lambda/cfn-http-api.json", "events.storage", false, 2, "Handler invoked by apigateway.amazonaws.com"],
  ["lambda/cfn-queue-loop.yaml", "events.storage", true, 64, "Principal: s3.amazonaws.com"],
  ["lambda/cfn-queue-loop.yaml", "fn.writes-to-trigger", true, 24, "Resource: !GetAtt Jobs.Arn"],
  // Log groups subscribed to another account's CloudWatch Logs destination.
  [
    "stories/notifications-lambda/cdk.out/NotificationsStack.template.json",
    "logs.central",
    true,
    291,
    "destination:central-app-logs",
  ],
  // The sender's role reads the Twilio secret by name.
  [
    "stories/notifications-lambda/cdk.out/NotificationsStack.template.json",
    "secrets.manager",
    true,
    540,
    '"Action": [',
  ],
  [
    "stories/notifications-lambda/cdk.out/NotificationsStack.template.json",
    "secrets.rotation",
    true,
    897,
    '"RotationRules": {',
  ],
  // A web ACL on a REST API stage, and on the CloudFront distribution in front of an HTTP API.
  ["lambda/cfn-waf-rest-api.yaml", "api.waf", true, 34, "ResourceArn: !Sub arn:aws:apigateway"],
  [
    "stories/notifications-lambda/cdk.out/NotificationsEdgeStack.template.json",
    "api.waf",
    true,
    133,
    "WebACLId",
  ],
  [
    "stories/notifications-lambda/cdk.out/NotificationsStack.template.json",
    "fn.writes-to-trigger",
    false,
    442,
    "role grants no write",
  ],
];

// [file, fact]: fixtures that must not show the risky value of a fact (a negative case for each).
const NEGATIVE: [string, string, string | boolean][] = [
  ["docker/add-local.Dockerfile", "image.add-remote", true],
  ["docker/curl-download.Dockerfile", "image.curl-pipe-shell", true],
  ["docker/apt-install.Dockerfile", "image.pkg-upgrade", true],
  ["docker/env-plain.Dockerfile", "secrets.in-code-or-image", true],
  ["docker/multistage.Dockerfile", "container.runs-as-root", true],
  ["docker/healthcheck-none.Dockerfile", "image.healthcheck", true],
  ["docker/digest.Dockerfile", "image.ref", "latest"],
  // `pip install flask` resolves versions afresh: no lock file is used.
  ["docker/user-root.Dockerfile", "deps.lockfiles", true],
  ["k8s/netpol-selective.yaml", "k8s.netpol-default-deny", true],
  ["k8s/netpol-allow-all.yaml", "k8s.netpol-default-deny", true],
  ["k8s/env-secretref.yaml", "secrets.env-plaintext", true],
  ["k8s/deployment-hardened.yaml", "secrets.env-plaintext", true],
  ["k8s/deployment-hardened.yaml", "container.runs-as-root", true],
  ["k8s/deployment-hardened.yaml", "container.privileged", true],
  ["k8s/deployment-hardened.yaml", "container.privilege-escalation", true],
  ["k8s/deployment-hardened.yaml", "container.capabilities-added", true],
  ["k8s/deployment-hardened.yaml", "container.host-path", true],
  ["k8s/deployment-hardened.yaml", "container.host-namespaces", true],
  ["k8s/deployment-hardened.yaml", "container.writable-rootfs", true],
  ["k8s/deployment-hardened.yaml", "container.no-limits", true],
  ["k8s/deployment-hardened.yaml", "container.unconfined", true],
  ["k8s/deployment-hardened.yaml", "k8s.sa-token-automount", true],
  ["k8s/deployment-hardened.yaml", "image.ref", "latest"],
  ["k8s/service-clusterip.yaml", "k8s.service-exposed", true],
  ["k8s/host-namespaces-off.yaml", "container.host-namespaces", true],
  ["compose/compose-hardened.yaml", "secrets.env-plaintext", true],
  ["compose/compose-hardened.yaml", "container.host-path", true],
  ["compose/compose-hardened.yaml", "container.runs-as-root", true],
  ["compose/compose-hardened.yaml", "container.no-limits", true],
  ["lambda/sam-hardened.yaml", "api.unauthenticated", true],
  ["lambda/sam-hardened.yaml", "secrets.env-plaintext", true],
  ["lambda/sam-hardened.yaml", "fn.timeout-max", true],
  ["lambda/sam-hardened.yaml", "fn.concurrency-cap", false],
  ["lambda/sam-hardened.yaml", "fn.in-vpc", false],
  ["lambda/sam-hardened.yaml", "iam.action-wildcard", true],
  ["lambda/sam-hardened.yaml", "iam.resource-wildcard", true],
  ["lambda/sam-hardened.yaml", "fn.runtime-deprecated", true],
  ["lambda/serverless-hardened.yml", "secrets.env-plaintext", true],
  ["lambda/serverless-hardened.yml", "api.unauthenticated", true],
  ["lambda/serverless-hardened.yml", "iam.action-wildcard", true],
  ["lambda/serverless-hardened.yml", "fn.concurrency-cap", false],
  ["lambda/sam-events.yaml", "fn.dead-letter", true],
  ["lambda/sam-tracing-passthrough.yaml", "logs.tracing", true],
  ["lambda/lambda-hardened.tf", "fn.timeout-max", true],
  ["infra/sg-https-open.tf", "net.admin-ports-public", true],
  ["infra/sg-ssh-private.tf", "net.admin-ports-public", true],
  ["infra/cfn-vm-hardened.json", "net.admin-ports-public", true],
  ["infra/instance-hardened.tf", "host.imdsv1", true],
  ["infra/cfn-vm-hardened.json", "host.volumes-unencrypted", true],
  ["infra/launch-template.tf", "host.volumes-unencrypted", true],
  ["infra/s3-private.tf", "data.public-bucket", true],
  ["infra/cfn-vm-hardened.json", "data.public-bucket", true],
  ["infra/iam-exact.tf", "iam.action-wildcard", true],
  ["infra/iam-exact.tf", "iam.resource-wildcard", true],
  ["infra/cfn-vm.yaml", "iam.resource-wildcard", true],
  ["infra/cfn-ecs.yaml", "container.writable-rootfs", true],
  ["infra/sg-egress-narrow.tf", "net.egress-open", true],
  ["lambda/sam-hardened.yaml", "net.egress-open", true],
  ["lambda/sam-events.yaml", "iam.shared-role", true],
  ["lambda/serverless-hardened.yml", "iam.shared-role", true],
  ["lambda/sam-shared-role.yaml", "iam.shared-role", false],
  ["infra/sg-ssh-private.tf", "vm.remote-access", "open-internet"],
  ["k8s/service-clusterip.yaml", "exposure.internet", true],
  ["irsa/pinned/role.tf", "iam.shared-role", true],
  ["irsa/namespace-wide/role.tf", "iam.shared-role", false],
  ["irsa/pinned/deployment.yaml", "iam.static-keys", true],
  // Keys in the pod's variables: the role it also assumes says nothing against them.
  ["irsa/access-key/role.tf", "iam.static-keys", false],
  // No role annotation: the pods never get the role's credentials.
  ["irsa/unannotated/role.tf", "iam.static-keys", false],
  ["irsa/unannotated/role.tf", "iam.shared-role", false],
  // Variables from a whole Secret may hold keys the files cannot list.
  ["irsa/env-from/role.tf", "iam.static-keys", false],
  ["infra/eks-nodes.tf", "k8s.api-public", true],
  ["infra/cfn-eks.yaml", "k8s.api-public", true],
  ["infra/eks-nodes-locked.tf", "net.default-network", false],
  ["infra/eks-nodes-locked.tf", "host.hardened", true],
  ["infra/eks-nodes-locked.tf", "net.admin-ports-public", true],
  ["infra/eks-nodes-locked.tf", "host.imdsv1", true],
  // A policy of the namespace, a Helm chart the files cannot show, or no Namespace object: undecided.
  ["kustomize/with-policy/kustomization.yaml", "k8s.netpol-default-deny", false],
  ["kustomize/helm-chart/kustomization.yaml", "k8s.netpol-default-deny", false],
  ["kustomize/no-namespace/kustomization.yaml", "k8s.netpol-default-deny", false],
  // A key in the files is never outweighed by a role: only key-free files show no long-lived keys.
  ["infra/iam-user-key.tf", "iam.static-keys", false],
  ["infra/account-controls.tf", "iam.static-keys", false],
  ["lambda/serverless.yml", "iam.shared-role", false],
  ["lambda/sam-managed-admin.yaml", "iam.pass-role", false],
  ["lambda/sam-events.yaml", "events.storage", false],
  ["lambda/sam-events.yaml", "events.queue", false],
  // A function that lists no events is wired from elsewhere: its trigger kinds stay open.
  ["lambda/sam-access-key-env.yaml", "events.queue", false],
  ["lambda/serverless-exact-role.yml", "fn.writes-to-trigger", true],
  // A role on Resource "*" may write anywhere, which says nothing of what the code writes.
  ["stories/order-processor-lambda/serverless.yml", "fn.writes-to-trigger", true],
  ["stories/order-processor-lambda/serverless.yml", "fn.writes-to-trigger", false],
  ["lambda/sam-queue-policy-named.yaml", "events.publishers-restricted", false],
  // No queue policy at all leaves who may publish to the team.
  ["stories/order-processor-lambda/serverless.yml", "events.publishers-restricted", false],
  ["infra/budget-no-alerts.tf", "cost.budget-alerts", true],
  ["infra/ami-supported.tf", "host.os-end-of-life", true],
  ["infra/ami-supported.tf", "vm.shared-admin-credentials", true],
  // SSH let in from a bastion's group: administrators do log in over SSH.
  ["infra/vm-bastion-ssh.tf", "vm.remote-access", "session-manager"],
  // Security groups kept in another stack: their rules, and so the ways in, are not in these files.
  ["infra/vm-groups-elsewhere.tf", "vm.remote-access", "session-manager"],
  ["infra/vm-groups-elsewhere.tf", "net.admin-ports-public", false],
  // Rules that only count matches, and a web ACL nothing is associated with, stop no request.
  ["infra/waf-count-only.tf", "api.waf", true],
  ["infra/waf-count-only.tf", "api.throttling", true],
  ["infra/waf-unattached.tf", "api.waf", true],
  ["infra/waf-unattached.tf", "api.throttling", true],
  ["lambda/serverless.yml", "api.unauthenticated", false],
  ["lambda/serverless.yml", "api.validation", true],
  // Another scheme's word, or the level's name under a key that is not a classification: left to the team.
  ["classification/other-scheme.tf", "data.sensitivity", "restricted"],
  ["classification/unlabelled.yaml", "data.sensitivity", "restricted"],
  ["infra/ecs-task-own-role.tf", "container.no-limits", true],
  // Tasks on EC2 without a task size: a container's cpu is only a share, so nothing is read.
  ["infra/ecs-tasks-shared-role.tf", "container.no-limits", false],
  ["infra/ecs-tasks-shared-role.tf", "container.no-limits", true],
  ["infra/ecs-task-own-role.tf", "container.capabilities-added", true],
  ["infra/ecs-task-own-role.tf", "iam.static-keys", true],
  ["infra/ecs-task-own-role.tf", "iam.shared-role", true],
  ["infra/ecs-tasks-shared-role.tf", "iam.shared-role", false],
  // A role named by its ARN is created elsewhere: who else runs as it is not in these files.
  ["infra/taskdef-keys.json", "iam.shared-role", false],
  // A Lambda authoriser may check a shared secret, and a route with no authorisation is open.
  ["lambda/cfn-http-api-open.yaml", "api.strong-auth", true],
  ["lambda/cfn-http-api-open.yaml", "api.unauthenticated", false],
  ["lambda/cfn-http-api-open.yaml", "api.static-keys", false],
  ["lambda/cfn-http-api-open.yaml", "api.throttling", true],
  // A named role used by two functions; an S3 grant on "*" is a wildcard.
  ["lambda/cfn-http-api-open.yaml", "iam.shared-role", false],
  ["lambda/cfn-http-api-open.yaml", "iam.resource-wildcard", false],
  // The authoriser function has no invoker in the template: it is wired from elsewhere.
  ["lambda/cfn-http-api-open.yaml", "events.storage", false],
  ["lambda/cfn-queue-loop.yaml", "fn.writes-to-trigger", false],
  // Logs sent to a function of the same stack; a web ACL on a user pool or on a bucket's distribution.
  ["lambda/cfn-http-api-open.yaml", "logs.central", true],
  ["lambda/cfn-waf-user-pool.yaml", "api.waf", true],
  // The REST API beside the HTTP API may have open methods or API keys this reader does not see.
  ["lambda/cfn-waf-rest-api.yaml", "api.unauthenticated", false],
  ["lambda/cfn-waf-rest-api.yaml", "api.static-keys", false],
  // A read of any secret names none the function fetches.
  ["lambda/cfn-queue-loop.yaml", "secrets.manager", true],
];

describe("facts read from files", () => {
  it.each(POSITIVE)("%s shows %s = %s at line %i", (file, fact, value, line, excerpt) => {
    const found = factsOf(file, fact).filter((f) => f.value === value && f.line === line);
    // Functions sharing a provider-wide setting each show it at the same line.
    expect(found.length, JSON.stringify(factsOf(file, fact))).toBeGreaterThan(0);
    expect(found[0]?.excerpt).toContain(excerpt);
  });

  it.each(NEGATIVE)("%s does not show %s = %s", (file, fact, value) => {
    expect(scan.files.map((f) => f.file)).toContain(file);
    expect(factsOf(file, fact).filter((f) => f.value === value)).toEqual([]);
  });

  it("covers every fact of the issue's table with a positive and a negative case", () => {
    const positive = new Set(POSITIVE.map(([, fact]) => fact));
    const negative = new Set(NEGATIVE.map(([, fact]) => fact));
    const table = [
      "image.ref",
      "container.runs-as-root",
      "image.add-remote",
      "secrets.in-code-or-image",
      "image.curl-pipe-shell",
      "image.pkg-upgrade",
      "image.healthcheck",
      "container.privileged",
      "container.privilege-escalation",
      "container.capabilities-added",
      "container.host-path",
      "container.host-namespaces",
      "container.writable-rootfs",
      "container.no-limits",
      "container.unconfined",
      "k8s.sa-token-automount",
      "k8s.netpol-default-deny",
      "secrets.env-plaintext",
      "k8s.service-exposed",
      "iam.action-wildcard",
      "iam.resource-wildcard",
      "api.unauthenticated",
      "fn.concurrency-cap",
      "fn.timeout-max",
      "fn.runtime-deprecated",
      "fn.in-vpc",
      "logs.tracing",
      "fn.dead-letter",
      "net.admin-ports-public",
      "host.imdsv1",
      "host.volumes-unencrypted",
      "data.public-bucket",
      // Beyond the table: run-time identity, trigger sources and publishers, spend alerts, VM images and keys,
      // HTTP API authorisation and throttling, WAF, central logs.
      "iam.static-keys",
      "iam.shared-role",
      "iam.pass-role",
      "events.storage",
      "events.queue",
      "fn.writes-to-trigger",
      "events.publishers-restricted",
      "cost.budget-alerts",
      "host.os-end-of-life",
      "vm.shared-admin-credentials",
      "api.validation",
      "vm.remote-access",
      "api.waf",
      "api.throttling",
      "api.strong-auth",
      "api.static-keys",
      "api.throttling",
      "api.waf",
      "logs.central",
    ];
    expect(table.filter((f) => !positive.has(f))).toEqual([]);
    expect(table.filter((f) => !negative.has(f))).toEqual([]);
  });

  it("emits only facts and values of the project's vocabulary", () => {
    const vocab = vocabulary();
    const wrong = scan.facts.map((f) => vocab.checkValue(f.fact, f.value)).filter((p) => p !== undefined);
    expect(wrong).toEqual([]);
  });

  it("never shows a secret value from the files in any excerpt", () => {
    const secrets = [
      "sk_live_51HkQ2eLkd8Q9xZpT7vWmN3bYcR4sA",
      "Tr0ub4dor",
      "s3cr3t-Passw0rd",
      "hunter2-but-longer",
      "AKIAIOSFODNN7EXAMPLF",
      "xoxb-1234567890",
      "ghp_R2d2C3po",
      "correct-horse-battery",
      "pk_live_7Hc9",
      "f3a9c1e7b2d84c6a",
    ];
    const shown = JSON.stringify(scan);
    expect(secrets.filter((s) => shown.includes(s))).toEqual([]);
  });
});

describe("facts decided across the files given together", () => {
  const combined = async (...files: string[]) =>
    factsForReview(
      await scanPaths(
        files.map((f) => join(ARTIFACTS, f)),
        { today: TODAY },
      ),
    );

  it("a role assumed at run time shows no long-lived keys only while no file holds one", async () => {
    const roleOnly = await combined("lambda/serverless-exact-role.yml");
    expect(roleOnly.find((f) => f.fact === "iam.static-keys")).toMatchObject({ value: false, line: 6 });
    const withKey = await combined("lambda/serverless-exact-role.yml", "infra/iam-user-key.tf");
    expect(withKey.find((f) => f.fact === "iam.static-keys")).toMatchObject({
      value: true,
      file: expect.stringContaining("iam-user-key.tf"),
      line: 5,
    });
  });

  it("an access key handed to an ECS container outweighs the task role it also runs as", async () => {
    const facts = await combined("infra/taskdef-keys.json");
    expect(facts.find((f) => f.fact === "iam.static-keys")).toMatchObject({ value: true, line: 13 });
  });

  it("an ECS task role is its own only when the files that create it are given", async () => {
    const alone = await combined("stories/status-board-fargate/ecs.tf");
    expect(alone.find((f) => f.fact === "iam.shared-role")).toBeUndefined();
    const withRoles = await combined(
      "stories/status-board-fargate/ecs.tf",
      "stories/status-board-fargate/iam.tf",
    );
    expect(withRoles.find((f) => f.fact === "iam.shared-role")).toMatchObject({
      value: false,
      file: expect.stringContaining("ecs.tf"),
      line: 16,
    });
  });

  it("a trigger wired by another file outweighs the kinds a template lists", async () => {
    const facts = await combined("lambda/serverless-exact-role.yml", "infra/s3-notification.tf");
    expect(facts.find((f) => f.fact === "events.storage")).toMatchObject({ value: true, line: 8 });
  });

  it("the most sensitive classification any file declares is the workload's", async () => {
    const facts = await combined("classification/tagged.tf", "classification/template.yaml");
    expect(facts.find((f) => f.fact === "data.sensitivity")).toMatchObject({
      value: "confidential",
      line: 5,
    });
    const none = await combined("classification/other-scheme.tf", "classification/unlabelled.yaml");
    expect(none.map((f) => f.fact)).not.toContain("data.sensitivity");
  });

  it("one open queue policy is enough for publishers not to be restricted", async () => {
    const facts = await combined("lambda/sam-queue-policy-named.yaml", "lambda/queues.tf");
    expect(facts.find((f) => f.fact === "events.publishers-restricted")).toMatchObject({
      value: false,
      line: 19,
    });
  });
});

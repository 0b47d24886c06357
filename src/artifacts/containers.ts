import { asArray, asString, isRecord } from "./documents.js";
import type { Findings, PathStep } from "./findings.js";
import { imageRef } from "./images.js";
import { isAccessKeyName, roleAssumedAtRunTime } from "./run-time-identity.js";

/**
 * A key read in any spelling: ECS task definitions are camelCase in JSON, PascalCase in CloudFormation and
 * snake_case in Terraform (whose container definitions stay JSON, so camelCase).
 */
export function field(obj: Record<string, unknown>, camel: string): [unknown, string] {
  const pascal = camel.charAt(0).toUpperCase() + camel.slice(1);
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  for (const key of [camel, pascal, snake]) if (obj[key] !== undefined) return [obj[key], key];
  return [undefined, camel];
}

const isRoot = (user: unknown) => {
  const name = asString(user)?.split(":")[0]?.trim();
  return name === "root" || name === "0";
};

/** Facts of an ECS task definition (register-task-definition JSON, CloudFormation or Terraform). */
export function ecsTaskFacts(
  f: Findings,
  task: Record<string, unknown>,
  path: PathStep[],
  definitions?: unknown,
): void {
  const [compat, compatKey] = field(task, "requiresCompatibilities");
  const modes = asArray(compat).map((m) => String(m).toUpperCase());
  const platforms = modes.includes("FARGATE")
    ? ["ecs-fargate"]
    : modes.includes("EC2")
      ? ["ecs-ec2"]
      : ["ecs-fargate", "ecs-ec2"];
  f.platform(
    platforms,
    modes.length > 0 ? `requiresCompatibilities ${modes.join(", ")}` : "ECS task definition",
    [...path, compatKey],
  );
  const [networkMode, nmKey] = field(task, "networkMode");
  if (asString(networkMode) === "host") f.add("container.host-namespaces", true, [...path, nmKey]);
  for (const key of ["pidMode", "ipcMode"]) {
    const [mode, k] = field(task, key);
    if (asString(mode) === "host") f.add("container.host-namespaces", true, [...path, k]);
  }
  const [volumes, volKey] = field(task, "volumes");
  asArray(volumes).forEach((v, i) => {
    if (!isRecord(v)) return;
    const [host, hostKey] = field(v, "host");
    if (isRecord(host) && field(host, "sourcePath")[0] !== undefined)
      f.add("container.host-path", true, [...path, volKey, i, hostKey]);
  });
  taskSize(f, task, path);
  // The task role is handed to the containers at run time: short-lived credentials, no access key.
  const [taskRole, taskRoleKey] = field(task, "taskRoleArn");
  if (taskRole !== undefined) roleAssumedAtRunTime(f, [...path, taskRoleKey], "ECS task role");
  const [defs, defsKey] =
    definitions === undefined ? field(task, "containerDefinitions") : [definitions, "container_definitions"];
  asArray(defs).forEach((c, i) => {
    if (isRecord(c)) ecsContainerFacts(f, c, [...path, defsKey, i]);
  });
}

/**
 * A task's cpu and memory are hard limits for all its containers together (Fargate requires them; on EC2
 * they are optional), so a task that sets both has no container running without a limit. Without them
 * the containers' own settings decide, and a container's cpu is only a share: nothing is read then.
 */
function taskSize(f: Findings, task: Record<string, unknown>, path: PathStep[]): void {
  const [cpu, cpuKey] = field(task, "cpu");
  const [memory] = field(task, "memory");
  const literal = (v: unknown) =>
    (typeof v === "number" || typeof v === "string") && !String(v).includes("$");
  if (literal(cpu) && literal(memory))
    f.add(
      "container.no-limits",
      false,
      [...path, cpuKey],
      `task size cpu ${String(cpu)}, memory ${String(memory)}: hard limits for its containers`,
    );
}

function ecsContainerFacts(f: Findings, c: Record<string, unknown>, path: PathStep[]): void {
  const [image, imageKey] = field(c, "image");
  const ref = typeof image === "string" ? imageRef(image) : undefined;
  if (ref) f.add("image.ref", ref, [...path, imageKey]);
  const [user, userKey] = field(c, "user");
  if (user !== undefined) f.add("container.runs-as-root", isRoot(user), [...path, userKey]);
  const [privileged, privKey] = field(c, "privileged");
  if (typeof privileged === "boolean") f.add("container.privileged", privileged, [...path, privKey]);
  const [readOnly, roKey] = field(c, "readonlyRootFilesystem");
  if (readOnly === true) f.add("container.writable-rootfs", false, [...path, roKey]);
  else
    f.add(
      "container.writable-rootfs",
      true,
      readOnly === undefined ? path : [...path, roKey],
      "readonlyRootFilesystem not set (writable)",
    );
  const [linux, linuxKey] = field(c, "linuxParameters");
  const [caps, capsKey] = isRecord(linux) ? field(linux, "capabilities") : [undefined, ""];
  const [add, addKey] = isRecord(caps) ? field(caps, "add") : [undefined, ""];
  // ECS grants Docker's default set and adds only what `linuxParameters.capabilities.add` names.
  if (asArray(add).length > 0)
    f.add("container.capabilities-added", true, [...path, linuxKey, capsKey, addKey]);
  else f.add("container.capabilities-added", false, path, `${containerName(c)}: no capabilities added`);
  const [health, healthKey] = field(c, "healthCheck");
  if (isRecord(health)) f.add("image.healthcheck", true, [...path, healthKey]);
  const [secrets, secretsKey] = field(c, "secrets");
  if (asArray(secrets).length > 0) f.add("secrets.manager", true, [...path, secretsKey]);
  asArray(secrets).forEach((s, i) => {
    const [name, nameKey] = isRecord(s) ? field(s, "name") : [undefined, ""];
    // An access key passed from a secret store is still a long-lived key the container holds.
    if (typeof name === "string" && isAccessKeyName(name))
      f.add("iam.static-keys", true, [...path, secretsKey, i, nameKey]);
  });
  const [env, envKey] = field(c, "environment");
  asArray(env).forEach((e, i) => {
    if (!isRecord(e)) return;
    const [name, nameKey] = field(e, "name");
    if (typeof name === "string" && isAccessKeyName(name))
      f.add("iam.static-keys", true, [...path, envKey, i, nameKey]);
    const [value, valueKey] = field(e, "value");
    if (typeof name === "string" && (typeof value === "string" || typeof value === "number")) {
      f.secret({
        fact: "secrets.env-plaintext",
        name,
        value: String(value),
        path: [...path, envKey, i, valueKey],
      });
    }
  });
}

const containerName = (c: Record<string, unknown>) => `container ${String(field(c, "name")[0] ?? "?")}`;

/** Facts of a Compose file's services (Docker or Compose on hosts the team runs). */
export function composeFacts(f: Findings, doc: Record<string, unknown>): void {
  const services = isRecord(doc.services) ? doc.services : {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isRecord(svc)) continue;
    const s = f.for(`service ${name}`);
    const p = ["services", name];
    s.platform(["docker-host"], "Compose service", p);
    const image = asString(svc.image);
    const ref = image ? imageRef(image) : undefined;
    if (ref) s.add("image.ref", ref, [...p, "image"]);
    if (svc.user !== undefined) s.add("container.runs-as-root", isRoot(svc.user), [...p, "user"]);
    // Docker grants none of these unless the service asks: what the file leaves out is not granted.
    if (typeof svc.privileged === "boolean")
      s.add("container.privileged", svc.privileged, [...p, "privileged"]);
    else s.add("container.privileged", false, p, `service ${name}: privileged not set (not privileged)`);
    if (asArray(svc.cap_add).length > 0) s.add("container.capabilities-added", true, [...p, "cap_add"]);
    else if (asArray(svc.cap_drop).map(String).includes("ALL"))
      s.add("container.capabilities-added", false, [...p, "cap_drop"]);
    else s.add("container.capabilities-added", false, p, `service ${name}: no capabilities added`);
    asArray(svc.volumes).forEach((v, i) => {
      const source =
        typeof v === "string"
          ? v.split(":")[0]
          : isRecord(v) && v.type === "bind"
            ? asString(v.source)
            : undefined;
      if (!source || !/^[/.~]/.test(source)) return;
      s.add("container.host-path", true, [...p, "volumes", i]);
      if (source.endsWith("docker.sock")) s.add("docker.socket-exposed", true, [...p, "volumes", i]);
    });
    const hostNs = ["network_mode", "pid", "ipc"].filter((key) => svc[key] === "host");
    for (const key of hostNs) s.add("container.host-namespaces", true, [...p, key]);
    if (hostNs.length === 0) {
      s.add("container.host-namespaces", false, p, `service ${name}: no host network, PID or IPC namespace`);
    }
    if (svc.read_only === true) s.add("container.writable-rootfs", false, [...p, "read_only"]);
    else
      s.add(
        "container.writable-rootfs",
        true,
        svc.read_only === undefined ? p : [...p, "read_only"],
        `service ${name}: read_only not set (writable)`,
      );
    const opts = asArray(svc.security_opt).map(String);
    opts.forEach((o, i) => {
      if (/^(?:seccomp|apparmor)[:=]unconfined$/.test(o))
        s.add("container.unconfined", true, [...p, "security_opt", i]);
    });
    const noNewPrivs = opts.findIndex((o) => /^no-new-privileges(?:[:=]true)?$/.test(o));
    if (noNewPrivs >= 0) s.add("container.privilege-escalation", false, [...p, "security_opt", noNewPrivs]);
    const limits =
      svc.deploy !== undefined && isRecord(svc.deploy)
        ? (svc.deploy as Record<string, unknown>).resources
        : undefined;
    const limitsSet =
      isRecord(limits) &&
      isRecord(limits.limits) &&
      limits.limits.cpus !== undefined &&
      limits.limits.memory !== undefined;
    const legacySet = svc.mem_limit !== undefined && svc.cpus !== undefined;
    if (limitsSet || legacySet)
      s.add(
        "container.no-limits",
        false,
        limitsSet ? [...p, "deploy", "resources", "limits"] : [...p, "mem_limit"],
      );
    else s.add("container.no-limits", true, p, `service ${name}: no CPU and memory limits`);
    if (isRecord(svc.healthcheck)) {
      const disabled = svc.healthcheck.disable === true || asArray(svc.healthcheck.test)[0] === "NONE";
      s.add("image.healthcheck", !disabled, [...p, "healthcheck"]);
    }
    const env = svc.environment;
    if (isRecord(env)) {
      for (const [k, v] of Object.entries(env)) {
        if (typeof v === "string" || typeof v === "number")
          s.secret({
            fact: "secrets.env-plaintext",
            name: k,
            value: String(v),
            path: [...p, "environment", k],
          });
      }
    } else {
      asArray(env).forEach((e, i) => {
        const [k, ...rest] = String(e).split("=");
        if (k && rest.length > 0)
          s.secret({
            fact: "secrets.env-plaintext",
            name: k,
            value: rest.join("="),
            path: [...p, "environment", i],
          });
      });
    }
  }
}

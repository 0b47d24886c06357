import { classificationFacts } from "./classification.js";
import { asArray, asString, at, isRecord } from "./documents.js";
import { Findings, type PathStep } from "./findings.js";
import { imageRef } from "./images.js";
import { isAccessKeyName } from "./run-time-identity.js";

// Where each workload kind keeps its pod spec.
const POD_SPEC: Record<string, PathStep[]> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const isKubernetesObject = (doc: unknown) =>
  isRecord(doc) && typeof doc.apiVersion === "string" && typeof doc.kind === "string";

/** Facts of one Kubernetes object (a `List` is read item by item). */
export function analyseKubernetes(
  doc: unknown,
  f: Findings = new Findings(),
  base: PathStep[] = [],
): Findings {
  if (!isRecord(doc)) return f;
  const kind = String(doc.kind);
  if (kind === "List" || kind.endsWith("List")) {
    asArray(doc.items).forEach((item, i) => {
      analyseKubernetes(item, f, [...base, "items", i]);
    });
    return f;
  }
  const r = f.for(`${kind}/${asString(at(doc, "metadata", "name")) ?? "unnamed"}`);
  classificationFacts(r, at(doc, "metadata", "labels"), [...base, "metadata", "labels"]);
  const podPath = POD_SPEC[kind];
  if (String(doc.apiVersion).startsWith("eksctl.io/")) {
    r.platform(["eks"], "eksctl cluster configuration", base);
  } else if (podPath) {
    r.platform(
      ["eks", "self-managed-k8s"],
      `${kind}: a manifest alone cannot tell EKS from a self-managed cluster`,
      base,
    );
    podSpecFacts(r, at(doc, ...podPath), [...base, ...podPath]);
    podIdentity(r, asString(at(doc, "metadata", "namespace")), at(doc, ...podPath), [...base, ...podPath]);
  } else if (kind === "Service") {
    const type = asString(at(doc, "spec", "type")) ?? "ClusterIP";
    const typed = at(doc, "spec", "type") !== undefined;
    const excerpt = typed ? undefined : "type not set (ClusterIP)";
    r.add(
      "k8s.service-exposed",
      type === "LoadBalancer" || type === "NodePort",
      [...base, "spec", "type"],
      excerpt,
    );
    if (type === "LoadBalancer")
      r.add("exposure.internet", !internalAnnotation(doc), [...base, "spec", "type"]);
  } else if (kind === "Ingress") {
    r.add("exposure.internet", !internalAnnotation(doc), [...base, "metadata", "name"]);
  } else if (kind === "NetworkPolicy") {
    if (deniesAllIngress(doc.spec)) r.add("k8s.netpol-default-deny", true, [...base, "spec", "podSelector"]);
  } else if (kind === "ServiceAccount") {
    const automount = doc.automountServiceAccountToken;
    if (typeof automount === "boolean")
      r.add("k8s.sa-token-automount", automount, [...base, "automountServiceAccountToken"]);
    if (at(doc, "metadata", "annotations", "eks.amazonaws.com/role-arn") !== undefined) {
      const namespace = asString(at(doc, "metadata", "namespace"));
      const name = asString(at(doc, "metadata", "name"));
      if (namespace && name) r.links.push(irsaLink(namespace, name));
      r.platform(["eks"], "IAM roles for service accounts (an EKS feature)", [
        ...base,
        "metadata",
        "annotations",
      ]);
    }
  } else if (kind === "Secret") {
    for (const key of ["data", "stringData"]) {
      for (const name of Object.keys(isRecord(doc[key]) ? doc[key] : {})) {
        r.add("secrets.in-code-or-image", true, [...base, key, name], `${key}.${name}: [secret masked]`);
        if (isAccessKeyName(name)) r.add("iam.static-keys", true, [...base, key, name], `${key}.${name}`);
      }
    }
  } else if (kind === "Namespace") {
    // Pod Security Admission reads this label: baseline or restricted is enforced, privileged is not.
    const level = at(doc, "metadata", "labels", "pod-security.kubernetes.io/enforce");
    if (typeof level === "string") {
      r.add("k8s.pod-security-enforced", level !== "privileged", [
        ...base,
        "metadata",
        "labels",
        "pod-security.kubernetes.io/enforce",
      ]);
    }
  } else if (kind === "ClusterRoleBinding" || kind === "RoleBinding") {
    const toWorkload = asArray(doc.subjects).some((s) => isRecord(s) && s.kind === "ServiceAccount");
    if (at(doc, "roleRef", "name") === "cluster-admin" && toWorkload) {
      r.add("k8s.broad-rbac", true, [...base, "roleRef", "name"]);
    }
  }
  return f;
}

// Cloud load balancers and ingress controllers are internet-facing unless annotated internal.
function internalAnnotation(doc: Record<string, unknown>): boolean {
  const notes = at(doc, "metadata", "annotations");
  if (!isRecord(notes)) return false;
  return Object.entries(notes).some(
    ([k, v]) =>
      (/load-balancer-internal$/.test(k) && String(v) === "true") ||
      (/(?:load-balancer-scheme|alb\.ingress\.kubernetes\.io\/scheme)$/.test(k) && String(v) === "internal"),
  );
}

/** An empty pod selector, Ingress among the policy types and no ingress rule: nothing may come in. */
function deniesAllIngress(spec: unknown): boolean {
  if (!isRecord(spec)) return false;
  const selector = spec.podSelector;
  const empty =
    isRecord(selector) &&
    Object.values(selector).every(
      (v) => asArray(v).length === 0 || (isRecord(v) && Object.keys(v).length === 0),
    );
  if (!empty) return false;
  const types = asArray(spec.policyTypes).map(String);
  const coversIngress = types.length === 0 || types.includes("Ingress");
  return coversIngress && asArray(spec.ingress).length === 0;
}

const irsaLink = (namespace: string, serviceAccount: string) => `irsa:${namespace}/${serviceAccount}`;

/**
 * Pods run as their service account; on EKS its token is exchanged for the IAM role its annotation
 * names (IRSA), so the role's trust policy is matched against "system:serviceaccount:<ns>:<name>".
 * Without a namespace in the manifest the subject is unknown, and nothing is matched.
 */
function podIdentity(f: Findings, namespace: string | undefined, spec: unknown, path: PathStep[]): void {
  if (!isRecord(spec) || namespace === undefined) return;
  const account = asString(spec.serviceAccountName) ?? "default";
  // Variables from a whole Secret or ConfigMap, and mounted secrets, are keys the files cannot list;
  // access-key variables are keys they do show.
  const containers = ["initContainers", "containers"].flatMap((list) => asArray(spec[list]));
  const envFrom = containers.some((c) => asArray(at(c, "envFrom")).length > 0);
  const accessKeys = containers.some((c) =>
    asArray(at(c, "env")).some((e) => isAccessKeyName(asString(at(e, "name")) ?? "")),
  );
  const secretVolume = asArray(spec.volumes).some(
    (v) =>
      at(v, "secret") !== undefined ||
      asArray(at(v, "projected", "sources")).some((s) => at(s, "secret") !== undefined),
  );
  f.runAs({
    who: { kind: "web-identity", subject: `system:serviceaccount:${namespace}:${account}` },
    path: spec.serviceAccountName !== undefined ? [...path, "serviceAccountName"] : path,
    through: irsaLink(namespace, account),
    mayHoldKeys: envFrom || secretVolume || accessKeys,
  });
}

function podSpecFacts(f: Findings, spec: unknown, path: PathStep[]): void {
  if (!isRecord(spec)) return;
  // A pod spec lists all it shares with its node: what it leaves out, Kubernetes does not grant.
  const shared = ["hostNetwork", "hostPID", "hostIPC"].filter((key) => spec[key] === true);
  for (const key of shared) f.add("container.host-namespaces", true, [...path, key]);
  if (shared.length === 0) {
    const explicit = ["hostNetwork", "hostPID", "hostIPC"].find((key) => spec[key] === false);
    const excerpt = explicit ? undefined : "hostNetwork, hostPID and hostIPC not set (not shared)";
    f.add("container.host-namespaces", false, explicit ? [...path, explicit] : path, excerpt);
  }
  const hostPaths = asArray(spec.volumes).flatMap((v, i) =>
    isRecord(v) && v.hostPath !== undefined ? [i] : [],
  );
  for (const i of hostPaths) f.add("container.host-path", true, [...path, "volumes", i, "hostPath"]);
  if (hostPaths.length === 0) f.add("container.host-path", false, path, "no hostPath volume");
  if (typeof spec.automountServiceAccountToken === "boolean") {
    f.add("k8s.sa-token-automount", spec.automountServiceAccountToken, [
      ...path,
      "automountServiceAccountToken",
    ]);
  }
  const pod = isRecord(spec.securityContext) ? spec.securityContext : {};
  for (const list of ["initContainers", "containers"]) {
    asArray(spec[list]).forEach((c, i) => {
      if (isRecord(c)) containerFacts(f, c, pod, [...path, list, i], path);
    });
  }
}

function containerFacts(
  f: Findings,
  c: Record<string, unknown>,
  pod: Record<string, unknown>,
  path: PathStep[],
  podPath: PathStep[],
): void {
  const sc = isRecord(c.securityContext) ? c.securityContext : {};
  const scPath = [...path, "securityContext"];
  // A container's own setting overrides the pod's.
  const pick = (key: string): [unknown, PathStep[]] =>
    sc[key] !== undefined ? [sc[key], [...scPath, key]] : [pod[key], [...podPath, "securityContext", key]];

  const image = asString(c.image);
  const ref = image ? imageRef(image) : undefined;
  if (ref) f.add("image.ref", ref, [...path, "image"]);

  const [user, userPath] = pick("runAsUser");
  const [nonRoot, nonRootPath] = pick("runAsNonRoot");
  if (user === 0) f.add("container.runs-as-root", true, userPath);
  else if (nonRoot === true) f.add("container.runs-as-root", false, nonRootPath);
  else if (typeof user === "number" && user > 0) f.add("container.runs-as-root", false, userPath);

  if (typeof sc.privileged === "boolean")
    f.add("container.privileged", sc.privileged, [...scPath, "privileged"]);
  else f.add("container.privileged", false, path, `${containerName(c)}: privileged not set (not privileged)`);
  // Kubernetes allows privilege escalation unless it is switched off, so silence here is the fact.
  if (typeof sc.allowPrivilegeEscalation === "boolean") {
    f.add("container.privilege-escalation", sc.allowPrivilegeEscalation, [
      ...scPath,
      "allowPrivilegeEscalation",
    ]);
  } else {
    f.add(
      "container.privilege-escalation",
      true,
      path,
      `${containerName(c)}: allowPrivilegeEscalation not set (allowed)`,
    );
  }
  const added = asArray(at(sc, "capabilities", "add"));
  const dropsAll = asArray(at(sc, "capabilities", "drop"))
    .map(String)
    .includes("ALL");
  if (added.length > 0) f.add("container.capabilities-added", true, [...scPath, "capabilities", "add"]);
  else if (dropsAll) f.add("container.capabilities-added", false, [...scPath, "capabilities", "drop"]);
  else f.add("container.capabilities-added", false, path, `${containerName(c)}: no capabilities added`);

  if (sc.readOnlyRootFilesystem === true)
    f.add("container.writable-rootfs", false, [...scPath, "readOnlyRootFilesystem"]);
  else if (sc.readOnlyRootFilesystem === false)
    f.add("container.writable-rootfs", true, [...scPath, "readOnlyRootFilesystem"]);
  else
    f.add(
      "container.writable-rootfs",
      true,
      path,
      `${containerName(c)}: readOnlyRootFilesystem not set (writable)`,
    );

  // No limit means none: the container may use all of its node.
  const limits = at(c, "resources", "limits");
  const limited = isRecord(limits) && limits.cpu !== undefined && limits.memory !== undefined;
  if (limited) f.add("container.no-limits", false, [...path, "resources", "limits"]);
  else
    f.add(
      "container.no-limits",
      true,
      isRecord(limits) ? [...path, "resources", "limits"] : path,
      `${containerName(c)}: no CPU or memory limit`,
    );

  for (const key of ["seccompProfile", "appArmorProfile"]) {
    const [profile, profilePath] = pick(key);
    const type = asString(at(profile, "type"));
    if (type === "Unconfined") f.add("container.unconfined", true, [...profilePath, "type"]);
    else if (type === "RuntimeDefault" || type === "Localhost")
      f.add("container.unconfined", false, [...profilePath, "type"]);
  }

  asArray(c.env).forEach((e, i) => {
    if (isRecord(e) && typeof e.name === "string" && isAccessKeyName(e.name))
      f.add("iam.static-keys", true, [...path, "env", i, "name"]);
    if (
      isRecord(e) &&
      typeof e.name === "string" &&
      (typeof e.value === "string" || typeof e.value === "number")
    ) {
      f.secret({
        fact: "secrets.env-plaintext",
        name: e.name,
        value: String(e.value),
        path: [...path, "env", i, "value"],
      });
    }
  });
}

const containerName = (c: Record<string, unknown>) => `container ${asString(c.name) ?? "unnamed"}`;

import { posix } from "node:path";
import { asArray, asString, at, isRecord } from "./documents.js";

/** A kustomization.yaml: the namespace it sets and the files it applies. */
export interface Kustomization {
  file: string;
  namespace: string | undefined;
  resources: string[];
  /** Whether it also pulls in what the files cannot show (Helm charts, components, remote bases). */
  opaque: boolean;
  /** The line of its resources list. */
  line: number;
}

/** A Kubernetes object of the files, by kind, name and namespace. */
export interface ObjectSeen {
  file: string;
  kind: string;
  name: string | undefined;
  namespace: string | undefined;
}

export const isKustomizationFile = (name: string) => /^kustomization\.ya?ml$/i.test(name);

/** What a kustomization file applies; undefined when the document is not one. */
export function readKustomization(file: string, data: unknown): Omit<Kustomization, "line"> | undefined {
  if (!isRecord(data) || !Array.isArray(data.resources)) return undefined;
  if (data.kind !== undefined && data.kind !== "Kustomization") return undefined;
  const resources = data.resources.map(asString);
  const opaque =
    resources.some((r) => r === undefined || r.includes("://") || !/\.ya?ml$/i.test(r)) ||
    ["components", "helmCharts", "bases", "generators"].some((k) => asArray(data[k]).length > 0);
  const dir = posix.dirname(file);
  return {
    file,
    namespace: asString(data.namespace),
    resources: resources.flatMap((r) => (r === undefined ? [] : [posix.join(dir, r)])),
    opaque,
  };
}

export const objectSeen = (file: string, doc: unknown): ObjectSeen => ({
  file,
  kind: String(at(doc, "kind")),
  name: asString(at(doc, "metadata", "name")),
  namespace: asString(at(doc, "metadata", "namespace")),
});

/**
 * Namespaces whose every object the files show, and that hold no NetworkPolicy: nothing there denies
 * pod traffic by default. A namespace counts only when a kustomization applies it whole: it lists the
 * Namespace object itself and only files of the set (no Helm charts, components or remote bases), so
 * the objects applied to it are exactly the ones read. Absence elsewhere decides nothing, since another
 * repository may hold a namespace's policies. A cluster-wide policy of a CNI (Calico, Cilium) is the
 * platform's and out of these files' reach; the question's answer can still say so.
 */
export function namespacesWithoutPolicies(
  kustomizations: readonly Kustomization[],
  objects: readonly ObjectSeen[],
): { namespace: string; kustomization: Kustomization }[] {
  const out: { namespace: string; kustomization: Kustomization }[] = [];
  const files = new Set(objects.map((o) => o.file));
  for (const k of kustomizations) {
    if (k.opaque || !k.resources.every((r) => files.has(r))) continue;
    const applied = objects.filter((o) => k.resources.includes(o.file));
    const ns = applied.find((o) => o.kind === "Namespace" && (k.namespace ?? o.name) === o.name);
    const namespace = ns?.name;
    if (namespace === undefined) continue;
    const inNamespace = (o: ObjectSeen) =>
      (k.resources.includes(o.file) ? k.namespace : undefined) ?? o.namespace;
    const policy = objects.some((o) => o.kind === "NetworkPolicy" && inNamespace(o) === namespace);
    if (!policy) out.push({ namespace, kustomization: k });
  }
  return out;
}

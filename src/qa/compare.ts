import type { DeploymentModel } from "../core/knowledge/schema.js";

/** What a comparison between models is about, read from its words. */
type Topic = "isolation" | "patching" | "general";

const TOPICS: [Topic, RegExp][] = [
  [
    "isolation",
    /\b(isolat\w*|tenan\w*|multi-?tenant|escape\w*|break\s?outs?|kernels?|neighbou?rs?|sandbox\w*|untrusted|walls?|boundar(?:y|ies))\b/i,
  ],
  ["patching", /\b(patch\w*|updat\w*|upgrad\w*|cves?|vulnerab\w*|maintenance|maintain\w*)\b/i],
];

/**
 * The difference that decides a comparison between models, said first. Each restates what the
 * knowledge entries say: hypervisor-isolation and container-escape-shared-kernel on isolation,
 * host-environment-management and serverless-image-maintenance on patching, shared-responsibility
 * otherwise.
 */
const DECIDING_DIFFERENCE: Record<string, Partial<Record<Topic, string>> & { general: string }> = {
  "container|vm": {
    isolation:
      "The deciding difference is the kernel: each VM runs its own kernel behind a hypervisor, while containers on a host share that host's kernel, so one kernel flaw or escape reaches every container on the node.",
    patching:
      "The deciding difference is where patching happens: a VM's full OS is patched in place by your team, while containers are patched by rebuilding their images from a fresh base, with the nodes patched by your team unless Fargate runs them.",
    general:
      "The deciding difference is the kernel: each VM runs its own kernel behind a hypervisor, while containers share the host's kernel, and your team owns the guest OS of a VM but only the images and settings of containers on a managed platform.",
  },
  "container|serverless": {
    patching:
      "The deciding difference is who patches below your code: with containers your team rebuilds images (and patches nodes unless Fargate), while with functions on managed runtimes the provider patches the OS and runtime.",
    general:
      "The deciding difference is how much stays with your team: with containers you still patch the images (and the nodes, unless Fargate) and build the network around them, while with functions the provider runs and patches the OS, runtime and fleet.",
  },
  "serverless|vm": {
    isolation:
      "The deciding difference is who controls the boundary: each VM runs its own kernel behind a hypervisor, with tenancy choices such as dedicated hosts left to your team, while functions run in sandboxes the provider isolates and operates.",
    general:
      "The deciding difference is who runs the operating system: on VMs your team patches and hardens the whole guest OS, while with functions the provider patches the OS and runtime and your team keeps the code, permissions and data.",
  },
  "container|serverless|vm": {
    isolation:
      "The deciding difference is the boundary: each VM runs its own kernel behind a hypervisor, containers share the host's kernel, and functions run in sandboxes the provider isolates and operates.",
    patching:
      "The deciding difference is how much of the stack your team patches: the whole guest OS on VMs; base images, and nodes unless Fargate runs them, with containers; only the code and its dependencies with functions on managed runtimes.",
    general:
      "The deciding difference is how many layers your team owns: the guest OS and everything above it on VMs; images, workload settings and usually nodes with containers; only code, dependencies, permissions and data with functions.",
  },
};

/** The entries each kind of deciding difference restates, the one to lead with first. */
const DECIDING_ENTRIES: Record<Topic, string[]> = {
  isolation: ["hypervisor-isolation", "container-escape-shared-kernel"],
  patching: ["host-environment-management", "serverless-image-maintenance", "vm-patching"],
  general: ["shared-responsibility"],
};

export function comparisonTopic(question: string): Topic {
  return TOPICS.find(([, re]) => re.test(question))?.[0] ?? "general";
}

/** A comparison's deciding difference, and the entries that hold it, best first. */
export interface DecidingDifference {
  text: string;
  entries: readonly string[];
}

/**
 * The difference that decides a comparison between the named models. Where the base has no text on
 * the question's topic for these models, the general difference is said, and its entry leads.
 */
export function decidingDifference(
  models: readonly DeploymentModel[],
  question: string,
): DecidingDifference | undefined {
  const byTopic = DECIDING_DIFFERENCE[[...new Set(models)].sort().join("|")];
  if (!byTopic) return undefined;
  const topic = comparisonTopic(question);
  const text = byTopic[topic];
  return text
    ? { text, entries: DECIDING_ENTRIES[topic] }
    : { text: byTopic.general, entries: DECIDING_ENTRIES.general };
}

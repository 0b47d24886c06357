import type { DeploymentModel, Workload } from "../core/knowledge/schema.js";

/** Words that name a deployment model outright. */
const STRONG: Record<DeploymentModel, RegExp> = {
  serverless:
    /\b(lambdas?|serverless|faas|cloud functions?|azure functions?|function urls?|step functions|sam templates?)\b/gi,
  container:
    /\b(containers?|containeri[sz]ed|docker(file)?s?|kubernetes|k8s|eks|gke|aks|openshift|kubectl|pods?|helm|ecs|fargate|cloud run|containerd|runc|daemonsets?|namespaces?|node pools?|worker nodes?)\b/gi,
  vm: /\b(vms?|virtual machines?|ec2|amis?|compute engine|hypervisors?|bare[ -]metal|golden images?|instances? fleet|droplets?)\b/gi,
};

/** Words that lean towards a model when nothing names one outright ("our function", "the instance"). */
const WEAK: Record<DeploymentModel, RegExp> = {
  serverless: /\b(functions?|handlers?|invocations?|cold starts?)\b/gi,
  container: /\b(images?|registry|ecr|sidecars?)\b/gi,
  vm: /\b(instances?|servers?|hosts?|ssh|rdp|patch(ing)? the os|operating system)\b/gi,
};

// A container image is also how functions ship; by itself it says nothing about the model.
const NEUTRAL = /\bcontainer[- ]images?\b/gi;
// "compare", "vs", "or": the question weighs models against each other.
const COMPARISON = /\b(vs\.?|versus|compare[ds]?|comparing|comparison|differences?|differ|or)\b/i;
// "move to Lambda", "migrate onto EKS": the model after the arrow is the one asked about.
const TARGET = /\b(?:to|onto|into|towards?)\s+(?:an?\s+|the\s+)?$/i;

export interface DetectedWorkload {
  /** The model the question is about, or "undecided" when it names none or weighs several. */
  workload: Workload;
  /** Every model the question names, strongest signal first. */
  mentioned: DeploymentModel[];
}

function matches(re: RegExp, text: string): RegExpMatchArray[] {
  return [...text.matchAll(new RegExp(re.source, re.flags))];
}

/** The question without the words that name a model: what is left is its topic. */
export function withoutModelNames(question: string): string {
  let text = question;
  for (const re of Object.values(STRONG)) text = text.replace(new RegExp(re.source, re.flags), " ");
  return text;
}

/** Read which deployment model a question is about from the words it uses. */
export function detectWorkload(question: string): DetectedWorkload {
  const text = question.replace(NEUTRAL, " image ");
  const strong = (Object.keys(STRONG) as DeploymentModel[]).filter(
    (m) => matches(STRONG[m], text).length > 0,
  );
  if (strong.length === 1) return { workload: strong[0] as DeploymentModel, mentioned: strong };
  if (strong.length > 1) {
    const targets = strong.filter((m) =>
      matches(STRONG[m], text).some((hit) => TARGET.test(text.slice(0, hit.index))),
    );
    if (targets.length === 1 && !COMPARISON.test(text)) {
      const target = targets[0] as DeploymentModel;
      return { workload: target, mentioned: [target, ...strong.filter((m) => m !== target)] };
    }
    return { workload: "undecided", mentioned: strong };
  }
  const weak = (Object.keys(WEAK) as DeploymentModel[]).filter((m) => matches(WEAK[m], text).length > 0);
  if (weak.length === 1) return { workload: weak[0] as DeploymentModel, mentioned: weak };
  return { workload: "undecided", mentioned: [] };
}

import SearchableMap from "minisearch/SearchableMap";
import type { DeploymentModel, Workload } from "../core/knowledge/schema.js";

/** Words that name a deployment model outright. */
const STRONG: Record<DeploymentModel, RegExp> = {
  serverless:
    /\b(lambdas?|serverless|faas|cloud functions?|azure functions?|function apps?|function urls?|step functions|sam templates?|snapstart|sam (?:stacks?|apps?)|cloudflare workers?|vercel functions?|netlify functions?|aws_lambda_\w+|google_cloudfunctions\w*|azurerm_\w*function_app)\b/gi,
  container:
    /\b(containers?|containeri[sz]ed|docker(file)?s?|kubernetes|k8s|eks|gke|aks|openshift|kubectl|pods?|helm|ecs|fargate|cloud run|containerd|runc|kube-?apiserver|kube[- ]api(?:[- ]server)?|kubeconfigs?|kube-system|kube-proxy|daemonsets?|namespaces?|node pools?|worker nodes?|kubelets?|hpa|kustomize|kyverno|gatekeeper|kubeadm|k3s|microk8s|netpols?|statefulsets?|hostpath|networkpolic(?:y|ies)|aws_ecs_\w+|aws_eks_\w+|google_container_\w+|azurerm_kubernetes_\w+)\b/gi,
  vm: /\b(vms?|virtual machines?|iaas|[cmrtgpxiz]\d[a-z]*\.(?:nano|micro|small|medium|\d*x?large|metal)|ec2s?|gce|amis?|compute engine|hypervisors?|bare[ -]metal|golden images?|instances? fleet|droplets?|vmware|vsphere|esxi|vcenter|hyper-v|kvm|proxmox|aws_instance|google_compute_instance\w*|azurerm_\w*virtual_machine\w*)\b/gi,
};

/** Words that lean towards a model when nothing names one outright ("our function", "the instance"). */
const WEAK: Record<DeploymentModel, RegExp> = {
  serverless: /\b(functions?|fns?|funcs?|handlers?|invocations?|cold starts?)\b/gi,
  // A node is a cluster's worker, unless it is Node.js.
  container:
    /\b(images?|registry|ecr|sidecars?|clusters?|nodes?(?![.-]?js)(?!\s+(?:app|apps|service|backend|api|project|package|module|version|runtime)\b))\b/gi,
  vm: /\b(instances?|servers?|hosts?|ssh|sshd_config|bastions?|rdp|patch(ing)? the os|operating system)\b/gi,
};

// A container image is also how functions ship; by itself it says nothing about the model.
const NEUTRAL = /\bcontainer[- ](?:images?|imgs?)\b/gi;
// A database instance, a build server, a package registry and someone else's host are not where the
// workload runs; "how we'll host it" uses the verb, which names no model. Nor does an EC2 action
// ("ec2:CreateNetworkInterface" on a function's role): any role in a VPC may need one.
const ELSEWHERE =
  /\bec2:[A-Z*][\w*]*|\b(?:'ll|will|to|we|they|you|should|would|can|could|might|may|i)\s+host\b|\b(?:rds|db|database|sql)\s+instances?\b|\b(?:external|remote|attacker'?s?|unknown|random|arbitrary|outside)\s+hosts?\b|\bhosts?\s+on\s+the\s+(?:internet|web)\b|\b(?:jenkins|build|ci|git|gitlab|mail|dns)\s+servers?\b|\b(?:npm|pypi|maven|nuget|package|gem)\s+registry\b|\b(?:blob|storage)\s+containers?\b/gi;
// "compare", "vs", "or": the question weighs models against each other.
// "Compared to before" weighs the move against the past, not one model against another.
const COMPARISON =
  /\b(vs\.?|versus|compare[ds]?(?!\s+(?:to|with)\s+(?:before|previously|earlier|what we had|the old))|comparing|comparison|differences?|differ|or)\b/i;
// "Which deployment model leaves the least room for host agents?" weighs every model, whatever
// weaker word ("host") it uses.
const ASKS_WHICH_MODEL =
  /\bwhich (?:deployment |hosting |compute |runtime )?models?\b|\bwhich (?:deployment|hosting|compute) options?\b|\bwhich of the (?:three|3) (?:models|options)\b/i;
// "Rank containers, gVisor and VMs by isolation. Where does Kata fit?": the models are weighed, and a
// follow-up naming one of them does not narrow the question to it. Nor does "is that any worse than
// on VMs?" after a sentence about Lambda: it weighs the one against the other.
const RANKS =
  /\b(rank\w*|weakest|strongest|vs\.?|versus|compared?|comparing|comparison|(?:worse|better|safer|riskier|different|more \w+|less \w+) than|the same as)\b/i;
// "move to Lambda", "migrate onto EKS": the model after the arrow is the one asked about.
// "Attached to our EC2 hosts" or "deploy to EKS" names no move: a move needs a verb of moving.
const TARGET =
  /\b(?:(?:mov|migrat|switch|port|lift|shift|transition|refactor|rewrit|convert|chang|rehost|replatform|ship|deploy|push|releas)\w*|go|goes|going|gone|went)\b(?:\s+\S+){0,12}?\s+(?:to|onto|into|towards?)\s+(?:an?\s+|the\s+|our\s+)?(?:(?:dedicated|managed|new|own|plain|self-hosted|serverless|single|shared|central|multi-?tenant|single-?tenant|fresh|brand)\s+){0,3}$/i;

// What follows a model's name when it opens a list: "VMs, AKS and Functions".
const LISTED = /^\s*(?:,|&|\/|and\b|or\b)\s*(?:the\s+|our\s+)?([\w-]+(?:\s+[\w-]+)?)/i;

function listedWithAnother(model: DeploymentModel, after: string): boolean {
  const next = LISTED.exec(after)?.[1] ?? "";
  return (Object.keys(STRONG) as DeploymentModel[]).some(
    (other) => other !== model && matches(STRONG[other], next).length > 0,
  );
}

export interface DetectedWorkload {
  /** The model the question is about, or "undecided" when it names none or weighs several. */
  workload: Workload;
  /** Every model the question names, strongest signal first. */
  mentioned: DeploymentModel[];
}

function matches(re: RegExp, text: string): RegExpMatchArray[] {
  return [...text.matchAll(new RegExp(re.source, re.flags))];
}

/**
 * Words that name one of a model's features ("hostPath", "function URLs", "golden images"): they say
 * which model a question is about, and they are also its topic.
 */
const FEATURE =
  /^(?:dockerfiles?|kubectl|helm|containerd|runc|daemonsets?|namespaces?|node pools?|worker nodes?|kubelets?|hpa|kustomize|kyverno|gatekeeper|kubeadm|netpols?|statefulsets?|hostpath|networkpolic(?:y|ies)|function urls?|step functions|sam templates?|snapstart|amis?|hypervisors?|golden images?)$/i;

/** The question without the words that name a model: what is left is its topic. */
export function withoutModelNames(question: string): string {
  let text = question;
  for (const re of Object.values(STRONG))
    text = text.replace(new RegExp(re.source, re.flags), (name) => (FEATURE.test(name) ? name : " "));
  return text;
}

/**
 * "On EKS each service has its own role. Over on Lambda, may 40 functions share one?": when other
 * sentences set the scene, the models the asking sentences name are the ones asked about.
 */
function askedAbout(text: string): DeploymentModel[] {
  const sentences = text.split(/(?<=[.!?])\s+/);
  const asking = sentences.filter((s) => s.includes("?")).join(" ");
  if (sentences.length < 2 || asking === "") return [];
  return (Object.keys(STRONG) as DeploymentModel[]).filter((m) => matches(STRONG[m], asking).length > 0);
}

/** The model a single word names, strongly or weakly. */
function modelOf(word: string): DeploymentModel | undefined {
  return (Object.keys(STRONG) as DeploymentModel[]).find(
    (m) => matches(STRONG[m], word).length > 0 || matches(WEAK[m], word).length > 0,
  );
}

// "containers or functions", "between VMs and containers": two models weighed by name.
const EITHER =
  /\b(\w+)\s+(?:or|vs\.?|versus|compared (?:with|to)|than)\s+(?:on\s+|as\s+)?(\w+)\b|\bbetween\s+(\w+)\s+and\s+(\w+)\b/gi;

function weighedModels(text: string): DeploymentModel[] {
  const found = new Set<DeploymentModel>();
  for (const m of text.matchAll(EITHER)) {
    const [a, b] = [modelOf(m[1] ?? m[3] ?? ""), modelOf(m[2] ?? m[4] ?? "")];
    if (a && b && a !== b) {
      found.add(a);
      found.add(b);
    }
  }
  return [...found];
}

/** Read which deployment model a question is about from the words it uses. */
export function detectWorkload(question: string): DetectedWorkload {
  const text = question.replace(NEUTRAL, " image ").replace(ELSEWHERE, " ");
  const strong = (Object.keys(STRONG) as DeploymentModel[]).filter(
    (m) => matches(STRONG[m], text).length > 0,
  );
  // A model weighed against another by a weaker word ("containers or functions") is named too, and
  // the question weighs them.
  const weighed = strong.length === 1 ? weighedModels(text) : [];
  if (weighed.length > 1) return { workload: "undecided", mentioned: [...new Set([...strong, ...weighed])] };
  if (strong.length === 1) return { workload: strong[0] as DeploymentModel, mentioned: strong };
  if (strong.length > 1) {
    // "deploys to VMs, AKS and Functions" lists every model it deploys to; none is the target.
    const targets = strong.filter((m) =>
      matches(STRONG[m], text).some(
        (hit) =>
          TARGET.test(text.slice(0, hit.index)) &&
          !listedWithAnother(m, text.slice((hit.index ?? 0) + hit[0].length)),
      ),
    );
    const asked = askedAbout(text);
    const target =
      targets.length === 1 && !COMPARISON.test(text)
        ? targets[0]
        : asked.length === 1 && !RANKS.test(text)
          ? asked[0]
          : undefined;
    if (target) return { workload: target, mentioned: [target, ...strong.filter((m) => m !== target)] };
    return { workload: "undecided", mentioned: strong };
  }
  const weak = (Object.keys(WEAK) as DeploymentModel[]).filter((m) => matches(WEAK[m], text).length > 0);
  if (weak.length === 1 && !ASKS_WHICH_MODEL.test(text))
    return { workload: weak[0] as DeploymentModel, mentioned: weak };
  return { workload: "undecided", mentioned: [] };
}

/** The long words that name a model, to read a one-letter slip ("lamda", "kubernets") as the model. */
const MODEL_NAMES = SearchableMap.from(
  `lambda lambdas serverless container containers containerized kubernetes docker fargate openshift virtual
  machine machines hypervisor instance instances`
    .split(/\s+/)
    .map((w) => [w, true] as [string, boolean]),
);
/** Shorter words are too often another word one edit away. */
const MIN_NAME_TYPO = 5;

/**
 * The question with misspelt model names corrected. A word the knowledge base itself uses
 * ("contained") is left alone, whatever it is one edit away from.
 */
export function spellModelNames(question: string, known: (word: string) => boolean): string {
  return question.replace(/\p{L}+/gu, (word) => {
    const lower = word.toLowerCase();
    // A past or progressive verb form ("contained") is a word of its own, not a misspelt model name.
    if (lower.length < MIN_NAME_TYPO || MODEL_NAMES.has(lower) || known(lower) || /(?:ed|ing)$/.test(lower))
      return word;
    const near = MODEL_NAMES.fuzzyGet(lower, 1).keys().next();
    if (!near.done) return near.value;
    // Two adjacent letters swapped ("kuberentes", "lmabda").
    for (let i = 0; i + 1 < lower.length; i++) {
      const w = `${lower.slice(0, i)}${lower[i + 1]}${lower[i]}${lower.slice(i + 2)}`;
      if (MODEL_NAMES.has(w)) return w;
    }
    return word;
  });
}

import { processTerm } from "../core/knowledge/search.js";
import type { Intent } from "./schema.js";

/**
 * What a question asks for, read from its phrasing. It decides how the answer leads: a comparison
 * states the deciding difference first, "which threat is this?" names the threat, "what is unique
 * to…" prefers concerns specific to that model, and a question too vague to answer asks back.
 */
export type { Intent };

const EXAM = /\bexam\b/i;

const PATTERNS: [Exclude<Intent, "clarify" | "general">, RegExp][] = [
  [
    "which-threat",
    /\b(which|what)\s+(security\s+)?(threat|risk|attack|stride|owasp|category|concern)\b[^?]*\b(is|are)\s+(this|that|it|these)\b|\bwhich (threat|risk|attack) (category )?is\b(?! (?:unique|specific|peculiar|particular|distinctive|special) to\b)/i,
  ],
  [
    "unique",
    /\b(unique|specific|peculiar|particular|distinctive|special)\s+(to|about)\b(?!\s+each\b)|\bonly\s+(on|in|with|for)\s+(serverless|lambda|containers?|vms?)\b|\bnew\s+risks?\b|\bonly\s+(serverless|lambdas?|functions?|containers?|vms?|virtual machines)\s+(have|has|get|face|bring)\b/i,
  ],
  [
    "comparison",
    /\b(vs\.?|versus|compared?\s+(with|to)|comparing|comparison|difference|differences|differ|better|worse|safer|stronger|weaker|easier|harder|more secure|less secure|rank|ranked|ranking|the same as|no different (?:from|than)|equivalent to|in each case|each of (?:them|these|those)|as (?:strong|secure|safe|isolated|good)(?: an?(?: \w+){1,2})? as)\b|(?<!\b(?:ok|okay|fine|safe|enough|acceptable|allowed)\s+)\bor\b(?!\s+(?:not|nah|no|just|is (?:it|that|this) just|(?:is (?:it|that|this) )?(?:overkill|too much|excessive|unnecessary|paranoid)|(?:do|does|should|would) (?:we|i|it) (?:even )?(?:need|have) (?:to|it))\b)[^.!?]*\?/i,
  ],
  [
    "is-ok",
    /^\s*(is|are|can|should|would|does|do)\b.*\b(ok|okay|fine|safe|allowed|acceptable|a problem|bad|risky|big deal|an issue)\b|\b(ok|okay|fine|big deal)\s*\?+\s*$|\b(ok|okay|fine|safe|enough|acceptable|allowed)\s+or\b|\bor (nah|not)\b/i,
  ],
  ["how-to", /^\s*(how|what should|what do|where should|which)\b/i],
];

/**
 * Words that say a question is about security in general without naming any topic: a question made
 * only of these (and no deployment model) is too vague to answer from the knowledge base.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  `secure security securely concern concerns risk risks risky worry worries worried thought thoughts look
  looking review reviewing angle setup set up our thing stuff service services system systems app apps
  application new current wise pls please check safe safety threat threats anything overall general
  generally vulnerable attack attacks danger dangers consider architecture design enough quick quickly
  sanity high level posture solution project feature product overview scary flag flags red
  stack stacks infra platform platforms launch launching launched live golive ship shipping release
  releasing rollout ready readiness main biggest top missing miss missed overlooked overlook forgot
  forgetting gap gaps blind spot spots weak weakness weaknesses hole holes sec pov perspective
  standpoint viewpoint point view opinion opinions feedback input model modelling modeling microservice
  microservices component components piece workload workloads sketchy covered careful aware watch
  assess assessment evaluate evaluation mind posted shared sent attached diagram proposal plan plans
  prod production environment cloud aws gcp azure website site webapp backend frontend codebase take
  start begin fix fixes first priority priorities prioritise prioritize day days month months year years
  quarter sprint week weeks spin spinning mitigation mitigations reviewer reviewers meantime meanwhile
  interim til until newer won discuss discussed discussion far monday tuesday wednesday thursday friday
  saturday sunday weekend tonight practice practices
  harden hardening lock approach hack hacked hacking getting svc close deployment handle handling properly
  correctly worst happen happens arch tradeoff tradeoffs one ones way other instead safer safest riskier riskiest`
    .split(/\s+/)
    .flatMap((w) => processTerm(w) ?? []),
);

/** The words that only frame a question's intent ("which threat is this?") and carry no topic. */
export const INTENT_WORDS = new Set(
  `threat risk attack category stride owasp exam style concern unique specific special particular
  peculiar distinctive compared comparison difference differences differ traditional`
    .split(/\s+/)
    .flatMap((w) => processTerm(w) ?? []),
);

/** The terms that name a topic, without general security words ("risk", "secure", "concern"). */
export function topicTerms(terms: readonly string[]): string[] {
  return terms.filter((t) => !GENERIC_WORDS.has(t));
}

/** Words that put a question about security on the table by themselves ("is this secure?", "main risks?"). */
export const SECURITY_WORDS: ReadonlySet<string> = new Set(
  "secure security securely sec risk risks risky threat threats vulnerable attack attacks hack hacked"
    .split(/\s+/)
    .flatMap((w) => processTerm(w) ?? []),
);

/**
 * Too vague: no deployment model named, and no topic words beyond general security words; or a
 * security word with the rest of the question in words the knowledge base does not use at all
 * ("main risks for our fooservice?"), which name the team's system rather than a concern.
 */
export function isVague(
  terms: readonly string[],
  mentionedModels: number,
  unknown: (term: string) => boolean = () => false,
): boolean {
  if (mentionedModels > 0) return false;
  if (terms.every((t) => GENERIC_WORDS.has(t))) return true;
  const topic = topicTerms(terms);
  return terms.some((t) => SECURITY_WORDS.has(t)) && topic.length === 1 && topic.every(unknown);
}

/** One case-insensitive pattern matching any of the alternatives as a whole word or phrase. */
function anyWholeWord(alternatives: readonly string[]): RegExp {
  return new RegExp(`\\b(?:${alternatives.join("|")})\\b`, "i");
}

/**
 * Cost, speed, size and syntax: what a question about running or building something asks when it
 * is not about security ("cheapest instance type for a CI runner", "cli cmd to tail a log group").
 */
const OPERATIONS = anyWholeWord([
  // Cost
  String.raw`cheap\w*|pricing|prices?|savings plans?|reserved instances?|per dollar|price\/perf\w*|better deal|saves? more`,
  // Speed and capacity
  String.raw`throughput|(?:so|super|really|very) slow|slow (?:today|for everyone)|faster|performance|performs?|perf|p99|iops|speed(?:s|ing)? up|takes \d+ ?min\w*|build times|(?:layer|build|docker|gradle|npm|maven|dependency) caching|noisy`,
  // Syntax, formatting and commands
  String.raw`syntax|cmd|(?:what(?:'s|s| is) the|which) (?:\w+ )?(?:command|cmd)\b|(?:plan|diff|kubectl|wide) output|templating|for_each|configmaps?|reformat\w*|prettier|fmt|rename|rebase|copy-?past\w*|nil pointer`,
  // Sizes, databases, dashboards and file formats
  String.raw`size limit|under the \d+ ?[mg]b|autovacuum|bloat\w*|columns?|panels?|(?:export|convert)\w* (?:\w+ ){0,3}(?:to|into|as) (?:an? )?(?:csv|pdf|excel|xlsx|parquet|json|yaml)`,
  // Office life and learning
  String.raw`pto|vacation|workday|standup|all-?hands|lunch|offsite|happy hour|team (?:dinner|event|outing|social)|birthday|notion|confluence|approve my|time ?zones?|tutorials?|ergonomic\w*`,
]);

/**
 * "Nothing security related", "purely cost, no other angle", "mostly thinking about query flexibility":
 * the asker says what the question is not about, or the one thing it is about.
 */
const NOT_ABOUT_SECURITY =
  /\b(?:nothing|not|non)[- ](?:really )?security[- ](?:related|wise)\b|\b(?:isn'?t|not) (?:really )?a security (?:question|thing|issue|concern)\b|\bnon-security\b|\bnot (?:for|about) security\b|\bno (?:other|security) angle\b|\b(?:purely|strictly|just|only|mostly) (?:about |thinking about |thinking of |from an? |a )?(?:cost|costs|price|pricing|perf\w*|latency|throughput|capacity|ergonomics|dx|maintainability|readability|code organi[sz]ation|query (?:flexibility|patterns?)|data modell?ing)\b/gi;

/** Words that name a security concern, or a harm the base covers (a runaway bill, a noisy neighbour). */
const SECURITY_CONCERN = anyWholeWord([
  // General words of judgement: "is this secure?", "is that ok?", "worst case?"
  String.raw`secur\w*|sec|risk\w*|threat\w*|safe\w*|danger\w*|protect\w*|defen[cd]\w*|problem\w*|ok|okay|fine|bad|worst|wrong`,
  // Attacks, attackers and what they do
  String.raw`attack\w*|attacker\w*|exploit\w*|hack\w*|breach\w*|leak\w*|expos\w*|compromis\w*|malicious|intru\w*|malware|miners?|xmrig|crypto-?min\w*|rogue|unauthori[sz]ed|phish\w*|spoof\w*|tamper\w*|inject\w*|hijack\w*|typosquat\w*|exfil\w*|abuse\w*|ssrf|xss|csrf|sqli|rce|idor|bola|bfla|xxe`,
  // Something or someone nobody recognises: "invoked from an account we don't know"
  String.raw`anomal\w*|suspicious|untrusted|trusted|unknown|unrecogni[sz]ed|unexpected|(?:accounts?|ips?|callers?|users?|address(?:es)?|principals?|sources?) (?:that )?(?:we|i|nobody) (?:don'?t|do not|doesn'?t) (?:know|recogni[sz]e)`,
  // Vulnerabilities, patching and the supply chain, with the incidents people name
  String.raw`vuln\w*|cves?|patch\w*|outdated|deprecat\w*|unsupported|scan\w*|supply|sboms?|provenance|sign\w*|cosign|sigstore|notary|trust\w*|drift\w*|dependabot|renovate|xz|solarwinds|codecov|ua-parser\S*|log4\w*`,
  // Identity and access: who may do what, and the secrets that prove it
  String.raw`privilege\w*|permission\w*|perms|access\w*|roles?|iam|rbac|auth\w*|sudo|admins?|wildcard\w*|creds?|credentials?|secrets?|passwords?|tokens?|keys?|vault|rotat\w*|mfa|sso|imds\w*|metadata`,
  // Guardrails: "lock it down", "enforced", "stop devs from…", "can only be invoked by…"
  String.raw`lock\w*|restrict\w*|enforc\w*|guardrails?|(?:block|stop|prevent)\w* (?:anyone|anybody|people|devs|developers|teams?|users|engineers) from|only be (?:\w+ ){0,2}(?:by|from)|deny[- ]all|default[- ]deny`,
  // Encryption
  String.raw`kms|encrypt\w*|tls|ssl|mtls|certs?|certificates?`,
  // Network exposure, isolation and hardening
  String.raw`firewall\w*|waf|ddos|public\w*|internet|egress|ingress|ssh|rdp|bastion|shell|isolat\w*|escape\w*|tenan\w*|sandbox\w*|seccomp\w*|apparmor|selinux|harden\w*|cis`,
  // A pod's or container's security settings as pasted: "hostPID: true", "SYS_ADMIN", "Unconfined"
  String.raw`host(?:pid|ipc|network|path)|(?:cap_)?sys_admin|net_admin|unconfined|allowprivilegeescalation|runasnonroot|docker\.sock`,
  // Detection, audit and response
  String.raw`audit\w*|monitor\w*|detect\w*|alert\w*|incident\w*|forensic\w*|first hour|owasp|stride|mitre|nist|pen-?test\w*`,
  // Data, compliance and recovery: what is at stake
  String.raw`data|records?|customers?|users?|prod|production|sensitive|pii|privacy|complian\w*|gdpr|pci|hipaa|residency|sovereign\w*|backups?|restor\w*|ransom\w*`,
  // Harms to capacity and cost the base covers: a runaway bill, a noisy neighbour, sprawl
  String.raw`dos|wallet|flood\w*|spike\w*|runaway|bankrupt\w*|bill|exhaust\w*|eats? (?:up )?(?:all|the whole)|noisy (?:neighbou?r|tenant|pod|container|vm|workload|process|service|app|job|fn|func|function|lambda)s?|neighbou?r\w*|starv\w*|hog\w*|sprawl`,
]);

/**
 * An operations question (cost, speed, size, syntax, formatting, git, dashboards) or an office one
 * (time off, stand-ups) that names no security concern is outside the base, however many of its
 * cloud words the base uses.
 */
export function asksOperationsOnly(question: string): boolean {
  const disclaimed = question.replace(NOT_ABOUT_SECURITY, " ");
  return (OPERATIONS.test(question) || disclaimed !== question) && !namesSecurityConcern(disclaimed);
}

/**
 * Words of the concern list in an everyday sense: a public holiday, a dev sandbox, a table lock,
 * Azure Monitor, an index scan, a login shell, a desk monitor, cutting the bill.
 */
const EVERYDAY_SENSE =
  /\bpublic holidays?\b|\b(?:dev|test|developer|personal) sandbox(?:es)?\b|\bsandbox (?:accounts?|environments?|envs?|projects?|subscriptions?)\b|\block(?:ing)? (?:the |a )?(?:table|rows?)\b|\b(?:table|row|advisory) locks?\b|\b(?:cloud|azure) monitor(?:ing)?\b|\b(?:seq|sequential|index|table|full|heap) scans?\b|\b(?:default|login) shell\b|\b(?:second|extra|external|new|bigger) monitors?\b|\bmonitors? for (?:my|the|our) desks?\b|\b(?:cut|cutting|lower|lowering|reduce|reducing|shave|shaving|get (?:\w+ ){0,3}down|bring (?:\w+ ){0,3}down) (?:\w+ ){0,3}bills?\b|\bbills? (?:\w+ ){0,2}down\b/gi;

export function namesSecurityConcern(question: string): boolean {
  return SECURITY_CONCERN.test(question.replace(EVERYDAY_SENSE, " "));
}

/**
 * Clauses that point at the team's own system or timeline ("what we're building", "before we go to
 * prod") without naming anything about it, or say the hosting is not decided yet ("haven't decided where it
 * runs"): they are left out when judging whether a question is vague.
 */
export const VAGUE_FRAMING =
  /\b(?:haven'?t|have not|not|nothing'?s?|no idea|isn'?t|not yet) (?:\w+ ){0,3}(?:decided|picked|chosen|settled|sure)\b[^.?!;]*\b(?:host\w*|run\w*|deploy\w*|platform|infra\w*|where (?:it|we|they|this)\b\S*)(?: (?:it|yet|will run|runs|goes|lives))*|\bwhat (?:we|we're|were|we are|you're|youre|you are|they're|they are|i'm|im|i am) (?:\w+ )?(?:building|doing|making|planning|shipping|running|working on|about to \w+)\b|\bbefore (?:we )?(?:go(?:ing)? )?(?:to |into )?(?:prod|production|live|launch|release|ga)\b/gi;

export function detectIntent(question: string): Exclude<Intent, "clarify"> {
  for (const [intent, re] of PATTERNS) if (re.test(question)) return intent;
  // "Exam-style: …" names a threat unless it asks for a comparison or for what is unique to a model.
  return EXAM.test(question) ? "which-threat" : "general";
}

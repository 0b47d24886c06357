import MiniSearch from "minisearch";
import SearchableMap from "minisearch/SearchableMap";
import type { AskedQuestion, DeploymentModel, KnowledgeEntry } from "./schema.js";

export interface SearchHit {
  entry: KnowledgeEntry;
  score: number;
  /** The analysed query terms this entry matched (after stemming and synonyms). */
  matched: string[];
  /**
   * The score on the entry's own text, without the words of the questions it answered: whether the
   * base can answer at all is judged on what its entries say.
   */
  ownScore: number;
}

export interface SearchOptions {
  /** Only entries that apply to this model are returned; entries specific to it rank a little higher. */
  deploymentModel?: DeploymentModel | undefined;
  limit?: number;
}

/** A question reduced to the terms the index compares: stop words gone, words stemmed, synonyms added. */
export interface AnalysedQuery {
  /** Terms from the user's own words that say what the question is about. */
  terms: string[];
  /** Runs of words that match a hyphenated tag ("cold start" -> cold-start), checked by the index. */
  compounds: string[];
  /** Words that name a platform (Lambda, EKS, EC2). They pick the model; the topic comes from the rest. */
  platform: string[];
  /** Terms added by the synonym table. */
  expansions: string[];
  /** Terms a phrasing stands for ("what now" -> incident response): they say what the question means. */
  phrased?: string[];
}

/**
 * Function words and question filler. They carry no topic, and in a large base each one hits
 * nearly every document, which is what makes a query slow.
 */
const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are aren as at be because been before being
  below between both but by can cannot could couldn did didn do does doesn doing don down during each
  either else even ever every few for from further get gets getting go going got had has have having he
  her here hers herself him himself his how however i if in into is isn it its itself just let lets like
  may me might more most much must mustn my myself no nor not now of off often on once only or other
  our ours ourselves out over own per please same shall she should shouldn so some still such than that
  the their theirs them themselves then there these they this those through thus to too under until up
  upon us very was wasn we were weren what whats when where whether which while who whom whose why will
  with within without would wouldn yes yet you your yours yourself yourselves
  ok okay fine bad good best better really actually basically anything something everything nothing thing things
  way ways want wants wanted need needs needed needing sure make makes making kind sort lot lots probably
  maybe right wrong problem problems issue issues question questions know think idea ideas help tell
  anyone someone somebody everyone guys team teams hi hello hey thanks thank pls come comes came
  didnt dont doesnt isnt arent cant wont shouldnt wouldnt couldnt havent hasnt wasnt werent thats theres heres
  saw seen
  lol lmao rn tbh imo imho btw fyi plz prob probs stuff guess wondering folks yall asap cc deal care
  gonna wanna gotta kinda sorta ya yeah yep nope nah hmm ah oh btw etc eg ie currently today
  one live lives
  tomorrow yesterday week weeks next worth overkill hassle properly vs versus wise
  re ll ve im ive id youre u ur r pl shld shd shud cud wud wld bc cuz tho thx ty ppl smth sth abt w/o idk
  infront
  big huge tiny`.split(/\s+/),
);

/**
 * User words mapped to the words the knowledge base uses. Workload names are resolved separately
 * (they pick a deployment model); here they only add the vocabulary entries about that model use.
 */
const SYNONYMS: Record<string, string[]> = {
  lambda: ["function", "serverless"],
  lambdas: ["function", "serverless"],
  faas: ["function", "serverless"],
  k8s: ["kubernetes"],
  eks: ["kubernetes", "cluster"],
  gke: ["kubernetes", "cluster"],
  aks: ["kubernetes", "cluster"],
  kubectl: ["kubernetes"],
  pod: ["kubernetes"],
  pods: ["kubernetes"],
  fargate: ["container", "task"],
  cloudrun: ["container"],
  apprunner: ["container"],
  containerapps: ["container"],
  azurecontainerapps: ["container"],
  cloudfunction: ["function", "serverless"],
  cloudfunctions: ["function", "serverless"],
  azurefunction: ["function", "serverless"],
  azurefunctions: ["function", "serverless"],
  appengine: ["serverless"],
  computeengine: ["instance", "vm"],
  ecs: ["container", "task"],
  docker: ["container"],
  dockerfile: ["image", "container"],
  ec2: ["instance", "vm"],
  vm: ["instance"],
  vms: ["instance"],
  server: ["instance", "host"],
  servers: ["instance", "host"],
  ami: ["image"],
  // Object stores by their product names.
  s3: ["object", "storage"],
  bucket: ["object", "storage"],
  buckets: ["object", "storage"],
  blob: ["object", "storage"],
  amis: ["image"],
  // Chat shorthand.
  creds: ["credential", "secret"],
  cred: ["credential", "secret"],
  credential: ["secret"],
  credentials: ["secret"],
  prod: ["production"],
  box: ["instance", "host"],
  boxes: ["instance", "host"],
  db: ["database"],
  dbs: ["database"],
  password: ["secret", "credential"],
  passwords: ["secret", "credential"],
  token: ["secret", "credential"],
  tokens: ["secret", "credential"],
  apikey: ["secret", "credential"],
  bill: ["cost", "wallet"],
  recursion: ["recursive", "loop"],
  billing: ["cost", "wallet"],
  spend: ["cost", "wallet"],
  expensive: ["cost", "wallet"],
  ddos: ["denial", "throttling"],
  miner: ["cryptomining", "anomaly"],
  xmrig: ["cryptomining", "anomaly"],
  // Settings to get wrong.
  knob: ["setting", "configuration"],
  knobs: ["setting", "configuration"],
  mining: ["cryptomining", "anomaly"],
  intruder: ["attacker", "detection"],
  hacked: ["compromised", "attacker"],
  breach: ["compromised", "attacker"],
  firewall: ["security", "group", "network"],
  port: ["network", "exposed"],
  ports: ["network", "exposed"],
  cve: ["vulnerability", "patch"],
  cves: ["vulnerability", "patch"],
  vuln: ["vulnerability"],
  vulns: ["vulnerability"],
  npm: ["dependency", "library", "package"],
  pip: ["dependency", "library", "package"],
  maven: ["dependency", "library", "package"],
  terraform: ["iac", "infrastructure"],
  cloudformation: ["iac", "infrastructure"],
  console: ["manual", "drift"],
  authz: ["authorization"],
  authn: ["authentication"],
  login: ["authentication", "access"],
  stacktrace: ["error"],
  stacktraces: ["error"],
  tenant: ["multi", "tenancy"],
  neighbour: ["noisy", "contention"],
  neighbor: ["noisy", "contention"],
  rescan: ["scan"],
  rescans: ["scan"],
  operating: ["os"],
  upgrade: ["patch", "update", "version"],
  upgrades: ["patch", "update", "version"],
  upgrading: ["patch", "update", "version"],
  agent: ["sensor", "tooling"],
  agents: ["sensor", "tooling"],
  edr: ["sensor", "tooling", "agent"],
  falco: ["sensor", "runtime"],
  antivirus: ["sensor", "tooling"],
  gone: ["ephemeral", "short-lived"],
  disappear: ["ephemeral", "short-lived"],
  disappears: ["ephemeral", "short-lived"],
  lost: ["ephemeral", "short-lived"],
  setting: ["configuration"],
  settings: ["configuration"],
  history: ["audit", "trail"],
  investigate: ["forensics", "audit"],
  // Moving between models, or weighing them, is a question of who owns which layer.
  move: ["responsibility", "provider"],
  moving: ["responsibility", "provider"],
  migrate: ["responsibility", "provider"],
  migrating: ["responsibility", "provider"],
  migration: ["responsibility", "provider"],
  switch: ["responsibility", "provider"],
  invoke: ["invocation"],
  invoked: ["invocation"],
  invokes: ["invocation"],
  usual: ["anomaly", "baseline"],
  unusual: ["anomaly", "baseline"],
  spike: ["anomaly", "baseline"],
  spikes: ["anomaly", "baseline"],
  suddenly: ["anomaly"],
  alert: ["alarm", "detection"],
  alerts: ["alarm", "detection"],
  admin: ["administrator", "rbac", "access"],
  admins: ["administrator", "rbac", "access"],
  // The field's vocabulary: product and service names read as the concepts the base is written in.
  acct: ["account"],
  accts: ["account"],
  gcp: ["cloud", "provider"],
  azure: ["cloud", "provider"],
  aws: ["cloud", "provider"],
  rds: ["database"],
  aurora: ["database"],
  postgres: ["database"],
  postgresql: ["database"],
  mysql: ["database"],
  mongo: ["database"],
  mongodb: ["database"],
  dynamo: ["dynamodb", "database"],
  redis: ["database", "cache"],
  sqs: ["queue", "event"],
  sns: ["event", "notification"],
  kinesis: ["event", "stream"],
  kafka: ["event", "stream", "queue"],
  pubsub: ["event", "queue"],
  ecr: ["registry"],
  gcr: ["registry"],
  acr: ["registry"],
  dockerhub: ["registry", "image"],
  artifactory: ["registry"],
  harbor: ["registry"],
  kms: ["key", "encryption"],
  hsm: ["key", "encryption"],
  vault: ["secret"],
  cloudwatch: ["logging", "monitoring"],
  datadog: ["logging", "monitoring"],
  splunk: ["logging", "monitoring"],
  elk: ["logging"],
  stackdriver: ["logging", "monitoring"],
  siem: ["logging", "detection"],
  guardduty: ["detection", "anomaly"],
  crowdstrike: ["sensor", "detection"],
  cloudfront: ["edge", "cdn"],
  cloudflare: ["edge", "cdn", "waf"],
  akamai: ["edge", "cdn"],
  alb: ["load", "balancer"],
  elb: ["load", "balancer"],
  sg: ["security", "group"],
  sgs: ["security", "group"],
  https: ["tls", "encryption"],
  ssl: ["tls", "encryption"],
  cert: ["tls", "certificate"],
  certs: ["tls", "certificate"],
  "2fa": ["mfa", "authentication"],
  sso: ["authentication", "identity"],
  okta: ["authentication", "identity"],
  aad: ["sso", "identity"],
  entraid: ["sso", "identity"],
  keycloak: ["sso", "authentication", "identity"],
  auth0: ["authentication", "identity"],
  // Workload identities: what a pod or a VM signs in as, with no key to hand out.
  spiffe: ["workload", "identity", "mtls"],
  spire: ["workload", "identity", "mtls"],
  workloadidentity: ["service", "account", "identity"],
  managedidentity: ["managed", "identity"],
  cloudhsm: ["key", "encryption"],
  keyvault: ["secret", "key"],
  secretmanager: ["secret"],
  cloudarmor: ["waf", "edge"],
  controltower: ["landing", "zone", "guardrails"],
  loganalytics: ["logging", "monitoring"],
  veeam: ["backup", "restore"],
  rce: ["remote", "code", "execution", "injection"],
  bfla: ["function", "authorization", "api"],
  jwt: ["authentication", "token"],
  oauth: ["authentication", "authorization"],
  github: ["pipeline", "repository"],
  gitlab: ["pipeline", "repository"],
  jenkins: ["pipeline", "ci-cd"],
  circleci: ["pipeline", "ci-cd"],
  pypi: ["dependency", "library", "package"],
  gem: ["dependency", "library", "package"],
  gems: ["dependency", "library", "package"],
  cargo: ["dependency", "library", "package"],
  nuget: ["dependency", "library", "package"],
  yarn: ["dependency", "library", "package"],
  lockfile: ["lock", "dependency"],
  cpu: ["resource", "limit"],
  ram: ["resource", "limit"],
  oom: ["resource", "limit"],
  dos: ["denial", "availability"],
  sudo: ["root", "privilege"],
  eu: ["region", "gdpr"],
  europe: ["region", "gdpr"],
  region: ["residency"],
  regions: ["residency"],
  // Libraries teams name when an advisory breaks.
  log4j: ["library", "dependency", "vulnerability"],
  openssl: ["package", "patch", "vulnerability"],
  lodash: ["library", "dependency"],
  // Data formats: parsing what arrives is input handling.
  xml: ["input", "parser", "payload"],
  json: ["input", "parser", "payload"],
  yaml: ["input", "parser", "payload"],
  csv: ["input", "parser", "payload"],
  lib: ["library", "dependency"],
  libs: ["library", "dependency"],
  deps: ["dependency", "library"],
  dep: ["dependency", "library"],
  microservice: ["service", "api"],
  microservices: ["service", "api"],
  mtls: ["tls", "mutual", "encryption"],
  jackson: ["library", "dependency"],
  // Kubernetes jargon.
  pss: ["pod", "security", "standards", "admission"],
  psp: ["pod", "security", "admission"],
  psa: ["pod", "security", "admission"],
  opa: ["admission", "policy"],
  etcd: ["control", "plane", "secret"],
  rolebinding: ["rbac", "role", "binding"],
  rolebindings: ["rbac", "role", "binding"],
  clusterrolebinding: ["rbac", "role", "binding"],
  nodeselector: ["node", "affinity", "scheduling"],
  helm: ["kubernetes", "chart"],
  argocd: ["gitops", "pipeline"],
  pv: ["persistent", "volume"],
  pvc: ["persistent", "volume", "claim"],
  dockersock: ["docker", "socket"],
  netraw: ["capabilities"],
  hpa: ["autoscaling", "scaling"],
  vpa: ["autoscaling", "scaling"],
  traefik: ["ingress"],
  // Networks by their parts.
  nlb: ["load", "balancer"],
  igw: ["internet", "gateway", "public"],
  natgw: ["nat", "gateway", "egress"],
  privatelink: ["private", "endpoint"],
  // A Java archive bundled into a deployment is a third-party library.
  jar: ["library", "dependencies"],
  jars: ["library", "dependencies"],
  // Hypervisors a team runs itself, by product name.
  vmware: ["hypervisor"],
  vsphere: ["hypervisor"],
  esxi: ["hypervisor"],
  vcenter: ["hypervisor", "management", "console"],
  kvm: ["hypervisor"],
  proxmox: ["hypervisor"],
  apigw: ["api", "gateway"],
  gw: ["gateway"],
  grpc: ["api"],
  swagger: ["openapi", "schema"],
  ngrok: ["tunnel", "exposed", "public"],
  // Identity and credentials.
  sts: ["short", "lived", "credentials"],
  assumerole: ["role", "credentials"],
  accesskey: ["access", "key", "credential"],
  accesskeys: ["access", "key", "credential"],
  keypair: ["ssh", "key"],
  pem: ["key", "certificate"],
  azuread: ["sso", "identity"],
  yubikey: ["mfa"],
  passkey: ["mfa"],
  passkeys: ["mfa"],
  acm: ["tls", "certificate"],
  letsencrypt: ["tls", "certificate"],
  secretsmanager: ["secret"],
  sops: ["secret", "encryption"],
  sealedsecrets: ["secret", "kubernetes"],
  // Remote access tools.
  teleport: ["bastion", "remote", "access"],
  tailscale: ["vpn", "remote", "access"],
  openvpn: ["vpn", "remote", "access"],
  wireguard: ["vpn", "remote", "access"],
  winrm: ["remote", "access", "rdp"],
  fail2ban: ["brute", "force", "ssh"],
  // Patching tools.
  yum: ["package", "patch", "os"],
  apt: ["package", "patch", "os"],
  livepatch: ["kernel", "patch"],
  kpatch: ["kernel", "patch"],
  crontab: ["cron", "service"],
  // Scanners and security products.
  securityhub: ["findings", "detection"],
  macie: ["sensitive", "data", "pii"],
  sysdig: ["runtime", "sensor", "detection"],
  xdr: ["sensor", "detection", "edr"],
  sentinel: ["siem", "detection", "logging"],
  aqua: ["image", "scan", "runtime"],
  prisma: ["misconfiguration", "scan"],
  twistlock: ["image", "scan", "runtime"],
  wiz: ["misconfiguration", "scan"],
  snyk: ["dependency", "vulnerability", "scan"],
  clair: ["image", "scan", "vulnerability"],
  anchore: ["image", "scan", "vulnerability"],
  tfsec: ["iac", "policy", "scan"],
  conftest: ["iac", "policy"],
  // Registries, stores and queues by product name.
  quay: ["registry"],
  jfrog: ["registry", "repository"],
  cosmosdb: ["database"],
  firestore: ["database"],
  bigquery: ["database", "analytics"],
  redshift: ["database", "analytics"],
  gcs: ["object", "storage"],
  velero: ["backup", "restore", "kubernetes"],
  eventgrid: ["event", "queue"],
  servicebus: ["event", "queue"],
  // Minimal operating systems built to run containers.
  bottlerocket: ["minimal", "os", "attack", "surface"],
  flatcar: ["minimal", "os", "attack", "surface"],
  talos: ["minimal", "os", "attack", "surface"],
  sslmode: ["tls", "encryption", "transit"],
  // Turning bytes from a caller back into objects runs whatever the bytes describe.
  pickle: ["deserialisation", "unsafe"],
  unpickle: ["deserialisation", "unsafe"],
  unpickling: ["deserialisation", "unsafe"],
  deserialize: ["deserialisation"],
  deserialization: ["deserialisation"],
  deserializing: ["deserialisation"],
  webhook: ["event", "input"],
  webhooks: ["event", "input"],
  sfn: ["step", "functions"],
  // Infrastructure as code.
  cdk: ["iac", "infrastructure"],
  bicep: ["iac", "infrastructure"],
  pulumi: ["iac", "infrastructure"],
  // Observability.
  otel: ["tracing"],
  jaeger: ["tracing"],
  prometheus: ["monitoring", "metrics"],
  grafana: ["monitoring", "metrics"],
  loki: ["logging"],
  newrelic: ["logging", "monitoring"],
  opensearch: ["logging"],
  pagerduty: ["alert", "incident", "call"],
  soar: ["incident", "response"],
  quarantine: ["isolate", "containment"],
  // Isolation technologies and their attacks.
  firecracker: ["microvm", "isolation", "sandbox"],
  xen: ["hypervisor"],
  hyperv: ["hypervisor"],
  meltdown: ["side", "channel", "spectre"],
  rowhammer: ["side", "channel"],
  multitenant: ["multi", "tenancy", "tenant"],
  // Attack shorthand.
  cryptojacking: ["cryptomining", "miner"],
  exfil: ["exfiltration"],
  c2: ["attacker", "exfiltration"],
  privesc: ["privilege", "escalation"],
  sqli: ["sql", "injection"],
  xxe: ["xml", "parser", "injection"],
  xss: ["injection", "input"],
  csrf: ["authorization", "api"],
  wiper: ["ransomware", "backup"],
  // What an investigator collects after a compromise.
  dump: ["memory", "capture", "forensics"],
  dumps: ["memory", "capture", "forensics"],
  // The install hook a malicious package runs.
  postinstall: ["malicious", "package", "supply", "chain"],
  extortion: ["ransomware"],
  // Compliance regimes.
  hipaa: ["compliance", "sensitive"],
  pci: ["card", "compliance"],
  soc2: ["soc", "compliance"],
  fedramp: ["compliance"],
  // Leftovers nobody owns.
  orphaned: ["unused", "inventory"],
  zombie: ["unused", "inventory"],
  cmdb: ["inventory"],
  // Image builders that run without the Docker daemon's socket.
  kaniko: ["build", "image", "docker", "socket"],
  buildah: ["build", "image", "docker", "socket"],
  buildkit: ["build", "image", "docker", "socket"],
  // Chat shorthand for configuration.
  env: ["environment", "variables"],
  vars: ["variables"],
  // Endpoints anyone may call.
  unauthenticated: ["authentication", "public"],
  anonymous: ["authentication", "public"],
  unauthorized: ["authorization"],
  unauthorised: ["authorization"],
  // Named vulnerabilities in libraries and packages.
  log4shell: ["log4j", "library", "vulnerability"],
  spring4shell: ["library", "vulnerability"],
  heartbleed: ["openssl", "package", "vulnerability"],
  shellshock: ["bash", "package", "vulnerability"],
  // Named supply-chain compromises: a trusted package, tool or build system turned malicious.
  xz: ["backdoor", "supply", "chain", "package"],
  solarwinds: ["supply", "chain", "build", "compromise"],
  codecov: ["supply", "chain", "ci", "compromise"],
  "ua-parser-js": ["supply", "chain", "package", "hijack"],
  "event-stream": ["supply", "chain", "package", "hijack"],
  "colors.js": ["supply", "chain", "package", "hijack"],
  "3cx": ["supply", "chain", "compromise"],
  // Documents users upload for processing.
  svg: ["file", "parser", "input"],
  pdf: ["file", "parser", "input"],
  docx: ["file", "parser", "input"],
  xlsx: ["file", "parser", "input"],
  paged: ["alert", "incident", "call"],
  dfir: ["forensics", "incident", "response"],
  runbook: ["incident", "response", "plan"],
  runbooks: ["incident", "response", "plan"],
  playbook: ["incident", "response", "plan"],
  playbooks: ["incident", "response", "plan"],
  ops: ["operations", "team"],
  // Disks and volumes.
  ebs: ["volume", "disk", "storage"],
  efs: ["volume", "storage"],
  filestore: ["volume", "storage"],
  // Tools an attacker is glad to find in an image.
  bash: ["shell"],
  sh: ["shell"],
  curl: ["tools", "debugging"],
  wget: ["tools", "debugging"],
  strip: ["remove"],
  // Files handed over by partners.
  sftp: ["file", "upload", "partner"],
  // One workload slowing another on shared capacity.
  slow: ["contention", "starve", "resource"],
  slows: ["contention", "starve", "resource"],
  starve: ["contention", "resource"],
  starves: ["contention", "resource"],
  hog: ["contention", "resource"],
  hogging: ["contention", "resource"],
  bogged: ["contention", "starve", "resource"],
  heavy: ["load", "resource"],
  // Admin interfaces.
  dashboard: ["console", "admin", "endpoint"],
  // Providers by their company names.
  microsoft: ["cloud", "provider"],
  google: ["cloud", "provider"],
  amazon: ["cloud", "provider"],
  // Databases and their jargon.
  rls: ["row", "level", "security", "tenant"],
  // Backups and recovery.
  dr: ["disaster", "recovery"],
  snapshot: ["backup", "snapshots"],
  pitr: ["point", "time", "recovery", "backup"],
  // Encryption and keys.
  cmk: ["customer", "managed", "key"],
  cmks: ["customer", "managed", "key"],
  cmek: ["customer", "managed", "key"],
  cmeks: ["customer", "managed", "key"],
  byok: ["customer", "managed", "key"],
  // Broken object-level authorisation, also called insecure direct object reference.
  bola: ["object", "authorization", "api"],
  idor: ["object", "authorization", "api"],
  idors: ["object", "authorization", "api"],
  sse: ["encryption", "rest"],
  unencrypted: ["encryption", "plaintext"],
  plaintext: ["encryption"],
  istio: ["service", "mesh", "mtls"],
  linkerd: ["service", "mesh", "mtls"],
  envoy: ["service", "mesh"],
  // Edge filtering products.
  armor: ["waf", "edge"],
  imperva: ["waf", "edge"],
  fastly: ["edge", "cdn"],
  shield: ["ddos", "edge"],
  bots: ["bot", "edge"],
  spam: ["flood", "bot", "edge"],
  spamming: ["flood", "bot", "edge"],
  spams: ["flood", "bot", "edge"],
  spammed: ["flood", "bot", "edge"],
  // Who answers for what.
  raci: ["responsibility", "ownership", "shared"],
  accountable: ["responsibility", "ownership"],
  accountability: ["responsibility", "ownership"],
  // Identity for people.
  saml: ["sso", "identity"],
  entra: ["sso", "identity"],
  // Accounts and organisations.
  scp: ["organization", "guardrails", "account"],
  scps: ["organization", "guardrails", "account"],
  ou: ["organization", "account"],
  ous: ["organization", "account"],
  cloudtrail: ["audit", "trail"],
  // Operating systems and the daemons a default install starts.
  ubuntu: ["os"],
  debian: ["os"],
  centos: ["os"],
  rhel: ["os"],
  linux: ["os"],
  windows: ["os"],
  cups: ["service", "unused"],
  avahi: ["service", "unused"],
  rpcbind: ["service", "unused"],
  telnet: ["service", "unused"],
  ftp: ["service", "unused"],
  sendmail: ["service", "unused"],
  daemon: ["service"],
  daemons: ["service"],
  eol: ["end", "life", "deprecation"],
  // Build and source control.
  repo: ["repository"],
  repos: ["repository"],
  zip: ["package", "deployment"],
  hardcoded: ["secret", "credential"],
  hardcode: ["secret", "credential"],
  stripe: ["api", "key", "secret"],
  twilio: ["api", "key", "secret"],
  sendgrid: ["api", "key", "secret"],
  infra: ["infrastructure"],
  // Noticing what a workload does not usually do is anomaly detection.
  weird: ["unusual", "anomaly"],
  strange: ["unusual", "anomaly"],
  odd: ["unusual", "anomaly"],
  abnormal: ["unusual", "anomaly"],
  suspicious: ["anomaly", "detection"],
  notice: ["detect", "detection"],
  noticed: ["detect", "detection"],
  spot: ["detect"],
  outbound: ["egress"],
  inbound: ["ingress", "inbound"],
};

/** A word's synonyms; words that are also names on every object ("constructor", "toString") have none. */
function synonymsOf(word: string): readonly string[] {
  return Object.hasOwn(SYNONYMS, word) ? (SYNONYMS[word] ?? []) : [];
}

/** Who owns which layer, the host beneath the workload included (on VMs, retrieval adds its hardening). */
const OWNERSHIP = ["shared", "responsibility", "ownership", "provider", "host"];

/** Software its vendor no longer patches. */
const END_OF_LIFE = ["deprecation", "end", "life", "patch", "support"];

/** Phrasings whose meaning is not in any single word. */
const PHRASES: [RegExp, string[]][] = [
  [
    /\bwho (changed|deleted|modified|did|ran|accessed|read|touched|clicked|edited|disabled|stopped|exec'?d|execed|ssh'?d|sshed|logged in(?:to)?)\b|\b(?:find|figure|work|track|trace) (?:out )?who\b/i,
    ["audit", "trail", "forensics"],
  ],
  // Who does the work on a layer is a question of ownership between the team and the provider.
  [
    /\bwho (?:\w+ )?(patches|owns|maintains|updates|upgrades|secures|manages|handles|is responsible|keeps|hardens|looks after|takes care)\b|\bwho(?:'s| is| would be| will be| ends up)? on the hook\b|\bwho (?:would |will |should |does |do )?do(?:es)? what (?:in|on|for|with) (?:each|both|every|either)\b/i,
    OWNERSHIP,
  ],
  // "What's on us?", "what does Microsoft patch?": the same question of who owns which layer.
  [
    /\bwhat(?:'s|s| is| stays| remains)? (?:left )?(?:on|with) (?:us|our side|the team)\b|\b(?:which|what) (?:\w+ ){1,3}(?:are|is|stay|stays|remain|remains) (?:on|with) (?:us|our side|the team)\b|\bwhat do(?:es)? (?:\w+ ){1,3}(?:patch|handle|manage|secure|own|maintain)(?:s|ing)?\b|\bwhat do (?:we|i|you|they) (?:stop|no longer) (?:having to |need to |have to )?(?:do|worry about|manage|own|handle|patch)\b/i,
    OWNERSHIP,
  ],
  // Something has happened and the team asks what to do next: responding to an incident.
  [
    /\b(?:leaked|compromised|breached|hacked|popped|(?:got|get|received) an? (?:\w+ )?alert|steals?|stole|stolen|flagged|paged|found|discovered|detected|spotted|infected|got root|rooted|miner|(?:showed|turned|popped) up|surfaced|pushed|committed|pasted|posted|published|raised|fired|triggered|got (?:in|into)|made it (?:in|into)|(?:got|was|were|been) (?:stopped|disabled|deleted|turned off|switched off|wiped|tampered with)|(?:weird|strange|unknown|suspicious|sketchy) (?:ip|process|binary|traffic|connections?|calls?)|outbound (?:connections?|calls?|traffic))\b[^?]*\b(?:what now|what (?:do|should|must) (?:we|i) (?:\w+ )?do(?:ing)?|first (?:steps?|moves?|actions?|things?)|(?:do|doing) right now|next (?:steps?|moves?)|what (?:should|would|does) (?:the|our|a) response|do we (?:just )?(?:terminate|kill|nuke|wipe|rebuild|reimage|shut|snapshot|isolate|delete|destroy|remove|restart)|los(?:e|ing) (?:the |all )?evidence|what'?s the order|(?:what'?s )?step one|in the (?:next|first) (?:hour|few hours|day)|what are the (?:first |next |immediate )?steps|steps right now|shut (?:it|them) down|snapshot (?:it|them|first)|who (?:do|should) we (?:call|page|tell|notify|contact|escalate to))\b|\b(?:just|has|have) (?:been )?(?:flagged|leaked|compromised|popped|breached)\b|\b(?:(?:didn'?t|don'?t|did not|do not|do (?:we|you)|would (?:we|you)) know|(?:nobody|no one|none of us) (?:would |will |really )?(?:know|knows|knew)) what to do\b|\bwhat (?:we'?d|we would|to) do if (?:we|you|they|prod|production|it|\w+) (?:got|get|gets|were|are|was) (?:breached|hacked|compromised|popped|encrypted|ransomed)\b/i,
    ["incident", "response", "containment"],
  ],
  // Being ready, or having it written down, for when something is compromised: the response plan.
  [
    /\b(?:ready|prepared|runbook|playbook|plan|written down)\b[^?]*\bif\b[^?]*\b(?:popped|hacked|compromised|breached|pwned)\b|\bif\b[^?]*\b(?:popped|hacked|compromised|breached|pwned)\b[^?]*\b(?:ready|prepared|runbook|playbook|plan|written down)\b/i,
    ["incident", "response", "plan"],
  ],
  // Looking into whether something was compromised is the start of responding to it.
  [
    /\b(?:investigat\w*|look into|dig into|forensics?)\b[^?]*\b(?:compromised|breached|hacked|popped|intrusion|attacker)\b|\b(?:compromised|breached|hacked|popped)\b[^?]*\b(?:investigat\w*|contain (?:it|them|the)|forensics?)\b/i,
    ["incident", "response", "forensics"],
  ],
  // A package name one slip away from a popular one is typosquatting.
  [
    /\btypo(?:'?d|ed)? (?:\w+ )?(?:packages?|pkgs?|dependenc(?:y|ies)|deps?|modules?|librar(?:y|ies)|libs?|names?)\b|\bmisspel\w* (?:\w+ )?(?:packages?|pkgs?|dependenc(?:y|ies)|modules?|librar(?:y|ies))\b/i,
    ["typosquatting", "supply", "chain"],
  ],
  // A database dump is a copy of the data: a backup, wherever it is kept.
  [
    /\b(?:pg_dump(?:all)?|mysqldump|mongodump|(?:db|database|sql) (?:dumps?|exports?))\b/i,
    ["backup", "database", "copy"],
  ],
  // "Which of our services ship that library?": an inventory of what each artifact contains.
  [
    /\bwhich (?:of our |of the )?(?:\w+ )?(?:services|apps|images|functions|repos|builds|artifacts) (?:\w+ )?(?:ship|use|include|contain|bundle|pull in)s?\b/i,
    ["sbom", "inventory", "artifact"],
  ],
  // "No more patching now that we're on Fargate?": what is still the team's to patch is its image and
  // libraries. "No servers to patch" is true, and says nothing about what the question asks.
  [
    /\b(?:nothing|no more|no longer|done with|out of|free of|stop having to|(?:don'?t|do not|never|won'?t|wouldn'?t) (?:\w+ ){0,2}(?:have|need) to)(?! (?:more )?(?:\w+ )?(?:servers?|hosts?|machines?|boxes|os|vms?|instances)\b) (?:\w+ ){0,4}?patch\w*|\bno patch\w* (?:needed|required|necessary|anymore|any more)\b/i,
    ["image", "rebuild", "dependency", "library"],
  ],
  // "Where do I keep the Stripe key?": where a secret lives is secrets management.
  [
    /\b(?:where|how) (?:do|should|can|would|to) (?:we |i )?(?:\w+ )?(?:keep|store|put|stash|hold|manage) (?:the |our |my |an? |this |that |these |those )?(?:\w+ ){0,2}(?:keys?|tokens?|passwords?|secrets?|creds?|credentials?)\b/i,
    ["secret", "management", "store"],
  ],
  // Months behind on updates is unpatched.
  [
    /\b(?:\d+|a few|several|many|some|way|far|months?|weeks?|years?) (?:\w+ )?behind\b/i,
    ["patch", "outdated", "update"],
  ],
  // An intrusion that set off no alarm is a gap in detection.
  [
    /\bnothing (?:alerted|fired|caught|flagged|detected|noticed)\b|\bno (?:alerts?|alarms?) (?:fired|went off|triggered)\b|\bwithout (?:any )?(?:alert|alarm)s?\b|\bonly found out (?:from|when|because)\b/i,
    ["detection", "anomaly", "alert", "monitoring"],
  ],
  // Workloads that may all reach each other: no segmentation, so one foothold moves sideways.
  [
    /\bhop(?:s|ping)? (?:to|into|across|between|over to)\b|\bpivot\w* (?:to|into|across)\b|\bmove (?:laterally|sideways)\b|\b(?:talk|speak|communicate|connect|call|reach)(?:s|ing)? (?:freely )?(?:to |with )?(?:each other|one another|every other|any other)\b|\b(?:talk|speak|communicate)(?:s|ing)? (?:freely )?(?:to |with )(?:anything|everything|anyone)\b/i,
    ["segmentation", "lateral", "movement", "network"],
  ],
  // Traffic that is not encrypted on its way: encryption in transit.
  [
    /\b(?:no|without|not using|isn'?t using|aren'?t using|doesn'?t use|don'?t use|not on) (?:tls|ssl|https|mtls)\b/i,
    ["encryption", "transit", "tls"],
  ],
  // A role that may read every secret or bucket holds far more than one function needs.
  [
    /\b(?:read|access|write|delete|decrypt|list) (?:every|all (?:the |our )?|any) (?:secrets?|buckets?|tables?|objects?|keys?|queues?)\b/i,
    ["wildcard", "broad", "permissions", "least", "privilege"],
  ],
  // "How far can they get?": what one compromised workload's identity reaches.
  [
    /\bhow far (?:can|could|would|will|might) (?:they|an? attacker|someone|it|the attacker|that) (?:\w+ )?(?:get|go|reach|move|spread)\b/i,
    ["blast", "radius", "identity", "privilege"],
  ],
  // Being able to get a database back is what backups are for.
  [
    /\brecover (?:the |our |a |that )?(?:db|database|data|table|bucket|cluster)s?\b/i,
    ["restore", "recovery", "backup"],
  ],
  // Files a function leaves in /tmp outlive the call in a reused environment.
  [/(?:^|\s)\/tmp\b/i, ["tmp", "warm", "reuse", "persist"]],
  // What nobody cleans up piles up: sprawl of workloads and images nobody owns.
  [
    /\b(?:never|not|don'?t|doesn'?t|rarely) (?:get |gets |been )?clean(?:ed)? up\b|\bnot in any (?:manifest|repo|pipeline|chart)\b|\bleft\b[^.?!\n]{0,60}?\brunning\b|\b(?:running|up|sitting there)(?: \w+){0,2}? for (?:like |about |over |almost |nearly )?(?:\d+|a few|several|many) (?:months|years)\b|\bforg[eo]t(?:ten)? (?:about|it was|them|it)\b|\b(?:owned by|owner is) (?:nobody|no one)\b|\b(?:nobody|no one) owns (?:it|them)\b|\bstarted by hand\b/i,
    ["unused", "inventory", "sprawl"],
  ],
  // A load balancer facing the internet puts whatever sits behind it on a public address.
  [
    /\btype: ?["'`]?loadbalancer\b|\b(?:public|internet[- ]facing|external) (?:nlb|alb|elb|load ?balancers?|lbs?)\b|\binternet[- ]facing\b/i,
    ["public", "ip", "subnet", "exposed"],
  ],
  // Nobody watching what workloads do while they run: runtime detection against a baseline.
  [
    /\b(?:nothing|nobody|no one|noone|no tool) (?:is |was )?(?:watching|monitoring|looking at|alerting on|checking)\b|\bwatch\w* what (?:the |our )?(?:\w+ )?(?:actually |really )?(?:do|does|did)\b/i,
    ["runtime", "detection", "anomaly", "monitoring"],
  ],
  // Nothing capping how often something runs: one caller can run up the bill.
  [
    /\b(?:nothing|no one|nobody) (?:caps?|limits?|throttles?|rate[- ]limits?)\b|\bno (?:rate[- ]?limit\w*|throttl\w*|concurrency limits?|usage plans?)\b|\b(?:a )?(?:million|millions of|thousands of|100k|1m) (?:calls|requests|invocations|executions)\b/i,
    ["throttle", "concurrency", "cost", "wallet"],
  ],
  // Finding out what a stolen credential or an intruder did is read from the audit trail.
  [
    /\b(?:see|find out|know|tell|check|trace) what (?:those|these|the|they|it|that|this|he|she|someone|somebody) (?:\w+ ){0,2}?(?:actually |really )?(?:did|has done|have done|touched|accessed|changed)\b/i,
    ["audit", "trail", "log"],
  ],
  // A message that fails every time is retried until it expires, paid for on each attempt.
  [
    /\bpoison(?:ed)? (?:pills?|messages?|events?|records?)\b|\b(?:message|event|record|job)s? (?:that |which )?(?:keeps?|kept) (?:failing|crashing|erroring|coming back)\b|\bretr(?:y|ies|ied|ying) (?:forever|endlessly|over and over|in a loop)\b/i,
    ["retry", "storm", "poison"],
  ],
  // Machines built or changed by hand drift apart: the fix is a baseline image built by a pipeline.
  [
    /\bhand-?(?:built|tweaked|configured|modified|crafted|rolled)\b|\b(?:adjust|tweak|configur|chang|modif|set)\w*(?: up)? (?:it |them |each (?:one |vm |server |box )?|every (?:vm|server|box) )?by hand\b|\bsnowflake (?:servers?|vms?|boxes|hosts?)\b|\bclick(?:ed|ing)? (?:each|every|the) (?:vm|server|instance|box)\w* together\b/i,
    ["drift", "golden", "baseline", "immutable"],
  ],
  // Editing production by hand in the console: who may administer it, and drift from the code.
  [
    /\bhand[- ]edit\w*|\bclick-?ops\b|\b(?:edit|chang|tweak)\w* (?:\w+ ){0,5}(?:straight |directly )?in the (?:aws |azure |gcp )?console\b/i,
    ["console", "manual", "drift", "administer"],
  ],
  // Paying for every execution means nothing caps a runaway bill but the team's own limits.
  [/\bpay[- ](?:per|by the)[- ](?:execution|invocation|request|call|use)\b/i, ["cost", "denial", "wallet"]],
  // Tasks and pods that come and go leave nothing behind on their own.
  [/\bcome and go\b|\bspin up and down\b/i, ["ephemeral", "short-lived"]],
  // Network file shares mounted into workloads are external storage.
  [/\b(?:azure files|(?:file|smb|nfs|cifs) shares?)\b/i, ["volume", "storage", "external"]],
  // Piping a download straight into a shell runs whatever the server sends.
  [
    /\b(?:curl|wget)\b[^|\n]{0,120}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b|\bcurl[- ]pipe[- ](?:ba)?sh\b/i,
    ["supply", "chain", "untrusted", "script"],
  ],
  // The broad built-in roles of Google Cloud and Azure, or the default service account that holds one.
  [
    /\b(?:editor|owner|contributor)(?: role)? (?:on|over|for|at) (?:the )?(?:whole |entire )?(?:project|subscription|resource group|org(?:ani[sz]ation)?)\b|\bdefault (?:compute )?service account\b/i,
    ["broad", "permissions", "least", "privilege", "shared", "identity"],
  ],
  // Deploying from one person's machine skips the reviewed pipeline; so does anyone merging straight
  // to the branch that deploys.
  [
    /\bfrom (?:whoever'?s|someone'?s|somebody'?s|my|our|their|his|her|a dev'?s|each dev'?s|devs'?|developers'?|people'?s) (?:own )?laptops?\b|\b(?:merge|merges|merging|push|pushes|pushing) (?:straight |directly )?(?:to|into) (?:main|master)\b/i,
    ["pipeline", "reviewed", "deploy"],
  ],
  // A function URL or endpoint whose authentication type is NONE is open to anyone.
  [/\bauth(?:[ _-]?type)?\s*[:=]?\s*["'`]?none\b/i, ["public", "invoke", "authentication"]],
  // An endpoint anyone may call without signing in.
  [/\b(?:no|without (?:any )?) ?auth(?:entication|n)?\b/i, ["public", "authentication", "api"]],
  // "Can company A's records show up for company B?": one tenant's data reaching another.
  [
    /\b(?:company|customer|client|tenant|org|account) [a-z]\b.*\b(?:company|customer|client|tenant|org|account) [a-z]\b|\b(?:two|different|separate|multiple|several|other) (?:customers|clients|tenants)'?s?\b[^.?!]*\b(?:apart|separated?|isolated)\b/i,
    ["tenant", "isolation"],
  ],
  // Copies of the data, and data an attacker encrypted: backups and restoring them.
  [
    /\bcop(?:y|ies) of (?:our |the |all )?(?:data|databases?|dbs?)\b|\bencrypt(?:ed|s)? (?:everything|all (?:of )?(?:our|the) (?:data|files))\b/i,
    ["backup", "restore", "ransomware"],
  ],
  // Hyper-V splits at its hyphen; whole, it names a hypervisor.
  [/\bhyper-v\b/i, ["hypervisor"]],
  // Rules set for the whole organisation, above any one account: guardrails. So is making a change
  // impossible for anyone ("make that impossible", "so nobody can turn it off").
  [
    /\b(?:org|organi[sz]ation)[- ]level\b|\b(?:org|organi[sz]ation)[- ]wide\b|\bmake (?:it|that|this) impossible\b|\b(?:nobody|no one|no-one) (?:can|could|is able to) (?:turn|switch|shut) (?:it |them |that )?off\b|\bcan'?t be (?:turned|switched) off\b/i,
    ["organisations", "guardrails", "scp"],
  ],
  // Production sharing an account with development: one account's blast radius holds both.
  [
    /\b(?:prod(?:uction)?|dev(?:elopment)?|staging|test)\b[^.?!\n]{0,30}?\b(?:in|share|shares|sharing|live in|lives in|sit in|sits in|run in|runs in) (?:the )?(?:same|one|a single) (?:aws |azure |gcp |cloud )?(?:account|subscription|project)\b|\bsame (?:aws |azure |gcp )?(?:account|subscription|project) (?:as|with) (?:prod|production|dev|staging)\b|\b(?:their|its|his|her) own (?:aws |azure |gcp |cloud )?(?:accounts?|subscriptions?)\b|\b(?:separate|dedicated) (?:aws |azure |gcp |cloud )?(?:accounts?|subscriptions?)\b/i,
    ["account", "separation", "blast", "radius"],
  ],
  // Many sign-in attempts from many addresses: credential stuffing, stopped at the edge.
  [
    /\bcredential[- ]stuffing\b|\b(?:login|log-?in|sign-?in|password) (?:attempts|tries)\b|\b(?:username|user|email)\/password (?:combos?|combinations|pairs|lists)\b/i,
    ["credential", "stuffing", "bots", "rate", "limiting"],
  ],
  // Breaking out of a container or a VM is an escape.
  [/\bbr(?:eak|eaks|eaking|oke) out\b|\bbreakouts?\b/i, ["escape"]],
  // Fetching a URL someone outside supplied: server-side request forgery.
  [
    /\b(?:fetch|download|pull|grab|load|request|call|curl|get)\w*\b[^?.]{0,30}\b(?:urls?|links?)\b[^?.]{0,30}\b(?:users?|customers?|partners?|clients?|tenants?|people|anyone)\b[^?.]{0,15}\b(?:submit|send|provide|give|supply|paste|enter)\w*|\b(?:user|customer|partner|client)[- ](?:supplied|submitted|provided|controlled) (?:urls?|links?)\b/i,
    ["ssrf", "untrusted", "input"],
  ],
  // From inside a pod to root on its node: the container boundary did not hold.
  [
    /\b(?:pods?|containers?)\b[^?]{0,60}?\b(?:root|shell|foothold|onto|ends? up|lands? on|get(?:s|ting)? to)\b[^?]{0,30}?\b(?:the |its |a )?(?:worker )?(?:node|host)\b/i,
    ["escape"],
  ],
  // The body behind the CIS Benchmarks, by its full name.
  [/\bcent(?:er|re) for internet security\b/i, ["cis", "benchmark"]],
  // Data that is gone and wanted back is a restore.
  [
    /\b(?:get|bring|recover) (?:it|them|the data|\w+) back\b|\bdrop (?:table|database)\b|\b(?:deleted|wiped|truncated) (?:by accident|accidentally)\b/i,
    ["restore", "recovery", "backup"],
  ],
  // A key file copied onto a machine is a long-lived credential, not a JSON payload to parse.
  [
    /\b(?:json|p12|pem) (?:key|credentials?)(?: files?)?\b|\bkey ?files?\b|\bservice[- ]account keys?\b|\bcredentials?\.json\b/i,
    ["secret", "credential"],
  ],
  // The Docker daemon's API reachable over the network is the orchestrator's API, unauthenticated.
  [
    /\b237[56]\b|\bdocker(?:d| daemon| engine)?(?: api)? (?:is |was )?(?:listening|exposed|open|reachable)\b|\bdaemon (?:is |was )?(?:listening|exposed|open) on (?:tcp|a port|the network)\b/i,
    ["docker", "daemon", "socket", "api", "server"],
  ],
  // A function writing into the store that triggers it calls itself.
  [
    /\b(?:back )?(?:in)?to the same (?:bucket|queue|topic|stream|table)\b|\btriggers? itself\b|\b(?:bucket|queue|topic|stream|table) (?:that|which) (?:triggers|invokes|starts|fires) (?:it|the function|them)\b|\b(?:bucket|queue|topic|stream|table) whose (?:\w+ ){0,3}(?:triggers|invokes|starts|fires|kicks off) (?:it|the function|them)\b|\b(?:bucket|queue|topic|stream|table) whose (?:\w+ ){0,3}kicks (?:it|the function|them) off\b/i,
    ["recursive", "invocation", "loop"],
  ],
  // Unencrypted traffic inside the network.
  [
    /\bplain (?:http|text|tcp)\b|\bin (?:the )?clear\b|\bencrypt\w* (?:the |our |all )?(?:traffic|connections?|calls?|hops?)\b|\bterminat\w* (?:tls|ssl|https)\b|\b(?:tls|ssl|https) (?:be |is |gets )?terminat\w*|\b(?:talks?|speaks?|over) http\b|\b(?:ssl|tls)[ _-]?(?:mode)?\s*[=:]?\s*(?:disabled?|off|false|none)\b|\binsecure[ _-]?skip[ _-]?(?:tls[ _-]?)?verify\b/i,
    ["encryption", "transit", "tls"],
  ],
  // Changing an id in a request to reach someone else's record: broken object-level authorisation.
  [
    /\b(?:chang|edit|increment|swap|guess|tamper)\w* (?:the |an? |their )?(?:\w+ )?ids?\b|\b(?:someone|somebody|anyone|anybody) ?else'?s\b|\banother (?:user|customer)'?s\b|\b(?:chang|edit|increment|bump|swap)\w* the (?:number|digits?) (?:at the end )?(?:of|in)\b|\b(?:fetch|read|get|access|request|query|pull|view) (?:any|other|arbitrary) (?:\w+ )?(?:ids?|records?|orders?|accounts?|profiles?)\b|\b(?:sequential|incrementing|guessable|predictable) (?:\w+ )?(?:ids?|ints?|integers?|numbers?)\b|\b(?:is|are) (?:actually |really )?(?:yours|theirs|his|hers)\b|\bbelongs? to (?:the )?(?:caller|user|requester|them|you)\b/i,
    ["object", "level", "authorization", "idor"],
  ],
  // Several roles on one machine compete for it.
  [
    /\b(?:on|share|shares|sharing) the same (?:\w+ )?(?:vm|box|host|node|instance|machine|server)\b|\balso runs\b|\bside by side\b|\b(?:\d+|two|three|four|five|six|several|many|multiple|a few|a bunch of|lots of) (?:\w+ )?(?:services|apps|processes|workloads|jobs) on (?:one|a single|the same) (?:\w+ )?(?:vm|box|host|node|instance|machine|server)\b/i,
    ["share", "compete", "contention"],
  ],
  // A workload's own role is its identity.
  [
    /\b(?:task|execution|instance|node|pod|service) roles?\b|\binstance profiles?\b/i,
    ["identity", "role", "least", "privilege"],
  ],
  // Destroying logs or disks after an intrusion: records kept where the intruder cannot reach.
  [
    /\b(?:wipe|wipes|wiped|delete|deletes|deleted|erase|erases|clear|clears|tamper\w*) (?:with )?(?:the |its |their )?(?:logs?|disk|history|trail|evidence)\b/i,
    ["tamper", "proof", "logs", "integrity"],
  ],
  // Being told when someone does something is an audit trail with an alarm on it.
  [
    /\b(?:alert\w*|notif\w*|told|know) (?:me |us )?(?:when|if) (?:someone|somebody|anyone|a user|an admin)\b/i,
    ["audit", "trail", "alarm"],
  ],
  // State that outlives one run is warm reuse of the execution environment.
  [/\bbetween (?:runs|invocations|requests|calls|executions)\b/i, ["warm", "reuse", "persist"]],
  // Software past its vendor's support gets no more fixes.
  [
    /\bend of (?:support|life)\b|\bout of support\b|\bpast (?:\w+ )?support\b|\bunsupported\b|\bdeprecat\w*|\bstill (?:get(?:s|ting)?|receiv\w*) (?:security )?(?:fixes|patches|updates)\b|\bstill (?:being )?supported\b/i,
    END_OF_LIFE,
  ],
  // "Still on 1.25": a version the team has not moved off, and whether it still gets fixes.
  [
    /\bstill (?:on|running|using|at) (?:\w+ )?v?\d+\.\d+\b/i,
    ["outdated", "vulnerable", "components", "upgrade"],
  ],
  // Releases whose vendors had ended support by late 2026, named by version: the same question.
  [
    /\bcentos(?: linux)? ?[5-8]\b|\brhel ?[5-7]\b|\bubuntu ?(?:1[0-9]|20)\.(?:04|10)\b|\bdebian ?(?:[5-9]|1[01])\b|\b(?:jessie|stretch|buster|bullseye)\b|\bwindows server 20(?:03|08|12)\b|\bwindows (?:xp|7)\b|\bpython ?(?:2(?:\.7)?|3\.[0-9])\b|\bnode(?:js)? ?(?:[4-9]|1[0-8])(?:\.x)?\b|\bphp ?[57](?:\.\d)?\b/i,
    END_OF_LIFE,
  ],
  // Code that customers or other outsiders wrote, run by the team, is untrusted code.
  [
    /\b(?:customer|user|tenant|third[- ]party|student|candidate|partner)s?[- ]?(?:uploaded|submitted|supplied|provided|written|authored|defined)\b|\b(?:code|scripts?|notebooks?|plugins?|jobs?) (?:that |which )?(?:customers|users|tenants|students|candidates|partners) (?:upload|submit|write|send|provide)\b|\b(?:customers|users|tenants|students|candidates|partners) (?:to )?(?:\w+ ){0,2}(?:upload|submit|write|bring|run)(?:s|ing)? (?:and run )?(?:their own |own |arbitrary )?(?:\w+ )?(?:code|scripts?|notebooks?|plugins?|binaries)\b/i,
    ["untrusted", "code", "sandbox"],
  ],
  // One cluster for everyone, or one each: how workloads of different trust are kept apart.
  [
    /\b(?:one|a single|shared) (?:\w+ ){0,2}clusters?\b|\b(?:own|separate) clusters?\b/i,
    ["separate", "clusters", "trust", "levels"],
  ],
  // A layer placed in front of an endpoint filters what reaches it.
  [/\bin front of\b/i, ["edge"]],
  // A Dockerfile's FROM line names the base image and its tag.
  [/\bFROM [\w./-]+:[\w.-]+/, ["base", "image", "tag"]],
  // Whether things are still used is a question of inventory and ownership.
  [
    /\b(?:still|even|actually) (?:used|in use|needed|running)\b|\bnobody (?:knows|owns)\b|\b(?:nobody|no one|no pipeline|none of us) (?:\w+ ){0,2}(?:deployed|launched|created|started|recogni[sz]es)\b/i,
    ["unused", "inventory", "owns"],
  ],
  // Long-lived access keys on a machine are static credentials, where a role would do.
  [
    /\baccess[ _-]keys?\b|\.aws\/credentials\b|\b(?:aws|iam|gcp|azure) (?:keys|creds|credentials)\b/i,
    ["static", "credential", "secret", "role"],
  ],
  // Changing a function's code in place is the administrative power over it.
  [/\bupdat\w*[- ](?:the )?function(?:'s)?[- ]code\b/i, ["updatefunctioncode", "deploy", "administer"]],
  // Running up the bill on purpose is denial of wallet.
  [
    /\bbill[- ]?run[- ]?up\b|\brun(?:s|ning)? up (?:(?:the|our|a|an) )?(?:\w+ )?(?:bill|costs?|invocations|charges|spend(?:ing)?)\b/i,
    ["denial", "wallet", "cost"],
  ],
  // An API key written as two words is the credential "apikey" names.
  [/\bapi[ _-]keys?\b/i, ["secret", "credential"]],
  // Environment variables, however they are shortened, are a topic of their own.
  [/\benv(?:ironment)?[ _-]?var(?:iable)?s?\b/i, ["environment", "variables"]],
  // How much is left for the team to do is a question of who owns which layer.
  [
    /\b(?:leaves?|left|less|more) (?:\w+ )?(?:for|to|on) us\b|\bon our plate\b|\bon the hook\b|\b(?:on )?(?:us|our side|the team) or (?:on )?(?:aws|amazon|google|gcp|azure|microsoft|the provider|the vendor|them)\b|\b(?:aws|amazon|google|gcp|azure|microsoft|the provider|the vendor) or (?:on )?us\b/i,
    OWNERSHIP,
  ],
  // "The provider handles that, so we don't have to think about it": a claim about who owns the layer.
  [
    /\b(?:don'?t|do not|no longer|won'?t|will not|never) (?:have|need) to (?:worry|think|care) about\b|\b(?:aws|azure|google|gcp|microsoft|the provider|the vendor|the cloud|the customer|customer)(?:'s)? (?:problem|job|responsibility)\b|\b(?:(?:the )?team'?s|whose|not our) (?:job|problem|responsibility)\b|\b(?:aws|azure|google|gcp|microsoft|the (?:cloud )?provider|the (?:cloud )?vendor|the cloud) (?:handles|takes care of|covers|does) (?:that|it|this|security|everything|all (?:of )?(?:that|it))\b/i,
    OWNERSHIP,
  ],
  // Traffic leaving for the internet is egress.
  [
    /\b(?:reach|call|calls|talk to|access|hit|connect to|go out to|get out to|send \w+ to) (?:the )?(?:public |open )?(?:internet|web)\b/i,
    ["egress", "network", "internet"],
  ],
  // A function stopped at its time limit.
  [/\btim(?:e|es|ed|ing) ?outs?\b/i, ["timeout", "duration"]],
  // A connection string carries the database's credentials.
  [/\bconn(?:ection)?[ -]?str(?:ing)?s?\b/i, ["secret", "credential", "connection"]],
  // Azure's app settings and Cloud Run's env are the function's environment variables.
  [/\bapp ?settings\b/i, ["environment", "variables"]],
  // A callable endpoint left open to anyone.
  [
    /\ballow[- ]unauthenticated\b|\bpublic(?:ly)? (?:invok\w*|callable)\b/i,
    ["public", "invoke", "authentication"],
  ],
  // "What's the plan if someone…": the response to an incident.
  [
    /\bwhat(?:'s|s| is) (?:the|our) (?:plan|playbook|process)\b[^?]*\b(?:if|when)\b/i,
    ["incident", "response", "plan"],
  ],
  // Many hands on production are a question of who may deploy and administer.
  [
    /\b(?:too many|everyone|everybody|(?:all|every|each) (?:of )?(?:the |our )?(?:devs?|engineers?|developers?|eng|engineering)|half (?:of )?(?:the |our )?(?:\w+ ){0,2}(?:team|devs|engineers|eng|engineering|company))\b[^?]*\b(?:can|has|have|with)\b|\bsystem:masters\b|\bwho (?:\w+ ){0,4}(?:allowed|able|permitted) to (?:edit|change|deploy|push|modify|update|administer|apply|release|run)\b|\bwho (?:can|may|gets to) (?:edit|change|deploy|push|modify|update|administer|apply|release|snapshot|exec|delete)\b|\bwho (?:\w+ ){0,3}(?:should|gets? to|may|can|needs? to) (?:\w+ ){0,2}(?:have|get|hold|keep) (?:\w+ ){0,2}(?:admin|administrator|root|rights|owner|write access)\b|\b(?:outside|around) (?:of )?(?:the )?(?:ci|ci\/cd|cd|pipeline)\b|\bhot-?patch\w*\b/i,
    ["admin", "access", "deploy", "rights"],
  ],
  // A cluster that turns away what is not signed or scanned does so at admission.
  [
    /\b(?:refus|reject|block|deny|denie|prevent|stop)\w* (?:\w+ ){0,3}(?:unsigned|unscanned|untrusted|unapproved|unverified)\b|\bonly (?:allow|admit|run|accept)s? (?:\w+ )?(?:signed|approved|trusted|verified) (?:images?|containers?|artifacts?)\b/i,
    ["admission", "policy", "signed"],
  ],
  // Anything may connect from anywhere: an address or port open to the internet.
  [
    /\bopen to (?:the )?(?:world|internet|public)\b|\bopen to (?:everyone|everybody|anyone|all)\b(?! (?:w\/|with\b|who\b|in\b|on\b|at\b))/i,
    ["public", "exposed", "ingress", "security", "group"],
  ],
  // Only what the pipeline built may run: signed artifacts.
  [
    /\bonly (?:\w+ ){0,3}(?:pipeline|ci) (?:built|builds|produced)\b|\bwhat (?:the )?(?:ci|pipeline|build) (?:built|produced)\b|\bbypass(?:es|ing)? the pipeline\b|\b(?:upload|push|deploy|copy)\w* (?:\w+ ){0,3}(?:straight|directly) (?:to|into|onto)\b/i,
    ["signing", "signed", "pipeline"],
  ],
];

/** Platform names: the deployment model is read from them, so they weigh less in ranking. */
const PLATFORM_WORDS = new Set(
  `lambda lambdas serverless faas container containers docker kubernetes k8s eks gke aks ecs fargate
  vm vms ec2 virtual machine machines cloudrun cloudfunction cloudfunctions apprunner appengine
  azurefunction azurefunctions azurecontainerapps containerapps computeengine`.split(/\s+/),
);

/** Three-letter names that end in "s" but are not plurals. */
const ACRONYMS = new Set([
  "aws",
  "dns",
  "tls",
  "ecs",
  "eks",
  "aks",
  "sqs",
  "sns",
  "kms",
  "iis",
  "dos",
  "cis",
  "sas",
  "ebs",
  "efs",
  "rds",
  "ecr",
  "gcs",
]);

/** A light English stemmer: enough to meet "policies"/"policy" and "patching"/"patched"/"patch". */
export function stem(word: string): string {
  let w = word;
  // Short plurals: "vms", "ips".
  if (w.length === 3) return /[^su]s$/.test(w) && !ACRONYMS.has(w) ? w.slice(0, -1) : w;
  if (w.length < 3) return w;
  // British and American spellings meet in the middle ("authorisation", "authorization").
  if (w.length > 5) w = w.replace(/is(ation|ations|e|es|ed|ing)$/, "iz$1");
  // "vulnerability" and "vulnerable" meet as "vulnerabl".
  w = w.replace(/(a|i)bilit(y|ies)$/, "$1bl");
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(w)) {
    // "access", "status", "analysis" are not plurals
  } else if (/(sses|xes|ches|shes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s")) w = w.slice(0, -1);
  const suffix = /(ing|ed)$/.exec(w);
  if (suffix && w.length - suffix[0].length >= 4) {
    w = w.slice(0, -suffix[0].length);
    // "scanning" -> "scann" -> "scan"; "logged" -> "logg" -> "log"
    if (/([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
  }
  // "change", "changed" and "changing" all end as "chang".
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

const processed = new Map<string, string | null>();
const MAX_MEMO = 50_000;

/** One term as the index sees it, or null for a stop word or a lone character. */
export function processTerm(term: string): string | null {
  // A base repeats a few thousand distinct words; remembering them makes indexing several times faster.
  const known = processed.get(term);
  if (known !== undefined) return known;
  const t = term.toLowerCase().replace(/'s$/, "");
  const out = t.length < 2 || STOP_WORDS.has(t) ? null : stem(t);
  if (processed.size < MAX_MEMO) processed.set(term, out);
  return out;
}

/** The synonym table's words as the index analyses them. */
const SYNONYM_TERMS: ReadonlySet<string> = new Set(
  Object.keys(SYNONYMS).flatMap((w) => processTerm(w) ?? []),
);

// Split on whitespace, punctuation and symbols ("API Gateway + Lambda", "s3:*").
const SPLIT = /[\n\r\p{Z}\p{P}\p{S}]+/u;

/** A pasted setting's name ("endpointPublicAccess", "UpdateFunctionCode"), not a product's ("CloudTrail"). */
const SETTING_NAME = /^\p{Ll}+\p{Lu}|\p{Ll}\p{Lu}.*\p{Ll}\p{Lu}/u;

/** Words of a text; a setting's name also gives the words it is made of. */
function tokens(text: string): string[] {
  return text
    .split(SPLIT)
    .filter((t) => t.length > 0)
    .flatMap((t) => (SETTING_NAME.test(t) ? [t, ...t.split(/(?<=\p{Ll})(?=\p{Lu})/u)] : [t]));
}

/** Runs of two or three words written as one lower-case token: "code signing" -> "codesigning". */
function compounds(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    for (let n = 2; n <= 3 && i + n <= raw.length; n++)
      out.push(
        raw
          .slice(i, i + n)
          .join("")
          .toLowerCase(),
      );
  }
  return out;
}

/**
 * Platform names of two words: "Cloud Run" is a platform, not a question about clouds or running.
 * Joined, they weigh as platform words do (and meet a hyphenated tag such as cloud-run).
 */
const PLATFORM_NAMES =
  /\b(cloud) (run|functions?)\b|\b(app) (runner|engine)\b|\b(azure) (functions?|container apps)\b|\b(container) (apps)\b|\b(compute) (engine)\b/gi;

/**
 * Chat shorthand for the things the base is about, and forms of a word the stemmer does not join to
 * the base's ("misconfigured", "misconfiguration"), read as the base's words, so they weigh as those
 * do and phrasings built on them ("the default compute SA") read them too.
 */
const SHORTHAND: Record<string, string> = {
  fn: "function",
  fns: "functions",
  func: "function",
  funcs: "functions",
  svc: "service",
  svcs: "services",
  img: "image",
  imgs: "images",
  pkg: "package",
  pkgs: "packages",
  conn: "connection",
  conns: "connections",
  netpol: "network policy",
  netpols: "network policies",
  // In a workload's setup an SA is its service account.
  sa: "service account",
  sas: "service accounts",
  misconfig: "misconfiguration",
  misconfigs: "misconfigurations",
  misconfigured: "misconfiguration",
  misconfigure: "misconfiguration",
  cryptominer: "cryptomining",
  cryptominers: "cryptomining",
  tf: "terraform",
  mgmt: "management",
  clickops: "manual console changes",
};
// "Fn::GetAtt" in a pasted template is an intrinsic function's name, not shorthand.
const SHORTHAND_WORD = new RegExp(`\\b(?:${Object.keys(SHORTHAND).join("|")})\\b(?!::)`, "gi");

/** The text with chat shorthand written out. */
function spellShorthand(text: string): string {
  return text.replace(SHORTHAND_WORD, (w) => SHORTHAND[w.toLowerCase()] ?? w);
}

/** A word's synonyms as the index analyses them ("short-lived" gives "short" and "live"). */
function synonymTerms(word: string): string[] {
  return synonymsOf(word).flatMap((syn) => tokens(syn).flatMap((part) => processTerm(part) ?? []));
}

/** "Least risky", "at least a week": "least" names a topic only as least privilege and its kin. */
const LEAST = /\bleast\b(?!\W+(?:privileg\w*|privs?|access|permissions?|authority|functionality))/gi;

export function analyse(text: string): AnalysedQuery {
  const query = spellShorthand(text);
  const terms = new Set<string>();
  const platform = new Set<string>();
  const expansions = new Set<string>();
  const words = tokens(
    query.replace(LEAST, " ").replace(PLATFORM_NAMES, (m) => m.replaceAll(" ", "").toLowerCase()),
  );
  for (const raw of words) {
    const lower = raw.toLowerCase();
    const t = processTerm(raw);
    if (t) (PLATFORM_WORDS.has(lower) ? platform : terms).add(t);
    // What a platform name stands for says which model, not what about it: it weighs as the name does.
    const into = PLATFORM_WORDS.has(lower) ? platform : expansions;
    for (const s of synonymTerms(lower)) into.add(s);
  }
  const phrased = new Set<string>();
  for (const [re, extra] of PHRASES) {
    if (!re.test(query)) continue;
    for (const e of extra) {
      const s = processTerm(e);
      if (s) phrased.add(s);
    }
  }
  for (const s of phrased) if (!terms.has(s)) expansions.add(s);
  for (const t of terms) platform.delete(t);
  for (const t of [...terms, ...platform]) expansions.delete(t);
  const runs = compounds(words);
  // "Lock file" spelt apart means what the word written whole does.
  for (const c of runs.filter((c) => !PLATFORM_WORDS.has(c)))
    for (const s of synonymTerms(c)) if (!terms.has(s)) expansions.add(s);
  const joined = new Set(runs.flatMap((c) => processTerm(c) ?? []));
  return {
    terms: [...terms],
    compounds: [...joined],
    platform: [...platform],
    expansions: [...expansions],
    phrased: [...phrased],
  };
}

interface Doc {
  id: string;
  title: string;
  tags: string;
  summary: string;
  keywords: string;
  body: string;
  /** The questions this entry answered (knowledge/asked.yaml). */
  asked: string;
}

/** The entry's threat statements, mitigations and ownership notes: what it says beyond its summary. */
function bodyText(e: KnowledgeEntry): string {
  const threats = e.threats.flatMap((t) => [
    t.threatSource,
    t.prerequisites,
    t.threatAction,
    t.threatImpact,
    ...t.impactedAssets,
    ...t.wording.flatMap((w) => [w.prerequisites, w.threatAction, w.threatImpact].filter(Boolean)),
  ]);
  const mitigations = e.mitigations.flatMap((m) => [m.text, ...m.wording.map((w) => w.text)]);
  const owners = Object.values(e.responsibility).map((r) => r?.note ?? "");
  return [...threats, ...mitigations, ...owners, ...e.references.map((r) => r.title)].join(" ");
}

/**
 * Title, tags, summary and keywords say what an entry is about and weigh the most. Threat and
 * mitigation prose repeats the same words across most entries, so it counts for little, but a
 * question phrased in its words ("reserved concurrency", "hop limit") still finds the entry.
 */
function toDoc(e: KnowledgeEntry, asked: readonly string[]): Doc {
  const tags = [...e.tags, e.id];
  return {
    id: e.id,
    title: e.title,
    // Hyphenated tags are also indexed whole, so "code signing" in a question can meet "code-signing".
    tags: [...tags, ...tags.filter((t) => t.includes("-")).map((t) => t.replaceAll("-", ""))].join(" "),
    summary: e.summary,
    keywords: e.keywords.join(" "),
    body: bodyText(e),
    asked: asked.join(" "),
  };
}

const OWN_FIELDS = ["title", "tags", "summary", "keywords", "body"];
/**
 * Questions an entry answered say how people ask about it, in words its text may not use ("breaks
 * out of the pod"). With some four thousand answered questions they weigh twice an entry's keywords:
 * against 1, recall@3 rose from 0.9840 to 0.9853 on the log cut in five folds, from 0.9841 to 0.9869
 * with each block of questions left out in turn, and from 0.966 to 0.972 on ten blocks the log does
 * not hold; 3 gained nothing more and cited more entries that no question expected.
 */
const FIELD_BOOST = { title: 2, tags: 2, summary: 1, keywords: 1, body: 0.3, asked: 2 };
const MIN_TYPO_LENGTH = 5;
/** How many answered questions must use a word the entries do not before it counts as the base's vocabulary. */
const MIN_ASKED_USES = 5;
/** The shortest word of the base a typo is read as. */
const MIN_TYPO_WORD = 6;
/** A word found only in threat and mitigation prose says less about a question's topic. */
const BODY_CREDIT = 0.5;
const COMMON_TERM_SHARE = 0.1;
const COMMON_TERM_MIN_DOCS = 500;
const MIN_TERMS_KEPT = 2;
/** A whole tag in a question adds to the words it is made of, which already count. */
const COMPOUND_WEIGHT = 0.5;
const PLATFORM_WEIGHT = 0.25;
const EXPANSION_WEIGHT = 0.4;
/** A phrasing's meaning weighs as much as the question's own words. */
const PHRASE_WEIGHT = 1;
/** How much an entry specific to the asked model gains over one that applies to every model. */
const SPECIFIC_BOOST = 0.25;

/** Postings by term, memoised until they pass MAX_MEMO_POSTINGS, when the memo starts afresh. */
class PostingsMemo<V extends { size: number }> {
  private readonly byTerm = new Map<string, V>();
  private postings = 0;

  get(term: string): V | undefined {
    return this.byTerm.get(term);
  }

  set(term: string, value: V): V {
    if (this.postings > MAX_MEMO_POSTINGS) {
      this.byTerm.clear();
      this.postings = 0;
    }
    this.byTerm.set(term, value);
    this.postings += value.size;
    return value;
  }
}

/** One term's BM25 score in each entry that holds it: on the entry's own fields, and on the questions it answered. */
type TermScores = Map<string, { own: number; asked: number }>;
/** Postings memoised before the memo starts afresh: a few megabytes, thousands of terms on a large base. */
const MAX_MEMO_POSTINGS = 500_000;
/** An id word more entries than this share use names no concern of its own ("data", "host"). */
const ID_TERM_SHARE = 0.5;

/**
 * Full-text search over the knowledge base: MiniSearch BM25 over title, tags, summary, keywords and
 * body, and over the questions each entry answered.
 */
export class KnowledgeIndex {
  private readonly index: MiniSearch<Doc>;
  private readonly byId: Map<string, KnowledgeEntry>;
  /** How many entries contain each analysed term; also the base's vocabulary. */
  private readonly docFrequency = new Map<string, number>();
  /** Whole hyphenated tags, analysed. */
  private readonly compoundTags = new Set<string>();
  /** Terms of titles, tags and summaries: the words the base is about, not only words it uses. */
  private readonly coreTerms = new Set<string>();

  private readonly skipCommonTerms: boolean;
  /** The base's words as written (lower-cased), with how many entries use each. */
  private readonly written: Map<string, number>;
  /** Both vocabularies as tries, to read a typo ("runnin", "patchng") as the word it misspells; built on first need. */
  private tries: { stems: SearchableMap<number>; words: SearchableMap<number> } | undefined;
  private readonly corrected = new Map<string, string | undefined>();
  /** Each term's scores, as MiniSearch gives them for the term alone; the base is fixed and people's words recur. */
  private readonly termScores = new PostingsMemo<TermScores>();

  /** Words of the entries' ids. */
  private readonly idTerms: ReadonlySet<string>;
  /** Words of the entries' one-word tags. */
  private readonly tagTerms: ReadonlySet<string>;
  /** Words of the questions the base answered: people's words for its topics, even where no entry uses them. */
  private readonly askedWords = new Set<string>();
  /** Each answered question on its own, to find the ones most like a new question; built on first use. */
  private pastQuestions: MiniSearch<{ id: number; text: string }> | undefined;
  private readonly pastTermScores = new PostingsMemo<Map<number, number>>();
  private readonly past: readonly AskedQuestion[];

  /**
   * skipCommonTerms: false scores every term in every base (slower on large bases, for comparison).
   * asked: questions people asked, with the entries that answer them, to learn their words from.
   */
  constructor(
    entries: readonly KnowledgeEntry[],
    opts: { skipCommonTerms?: boolean; asked?: readonly AskedQuestion[] } = {},
  ) {
    this.skipCommonTerms = opts.skipCommonTerms ?? true;
    this.byId = new Map(entries.map((e) => [e.id, e]));
    const words = (text: string) => analyse(text.replaceAll("-", " ")).terms;
    this.idTerms = new Set(entries.flatMap((e) => words(e.id)));
    // A tag written as one word names one thing; "securityContext" and "side-channel" are phrases.
    const oneWord = (tag: string) => !tag.includes("-") && !/\p{Ll}\p{Lu}/u.test(tag);
    this.tagTerms = new Set(entries.flatMap((e) => words(e.tags.filter(oneWord).join(" "))));
    this.index = new MiniSearch<Doc>({
      fields: [...OWN_FIELDS, "asked"],
      tokenize: tokens,
      processTerm,
      searchOptions: { boost: FIELD_BOOST, prefix: false, fuzzy: false, combineWith: "OR" },
    });
    const asked = new Map<string, string[]>();
    // A word a question or two used may be a name or an aside ("someone in standup said…", "hot
    // reload"); a word five questions used is how people speak of the base's topics.
    const askedCount = new Map<string, number>();
    for (const q of opts.asked ?? []) {
      for (const id of q.expect) asked.set(id, [...(asked.get(id) ?? []), q.question]);
      for (const t of new Set(tokens(q.question).map(processTerm))) {
        if (!t) continue;
        const n = (askedCount.get(t) ?? 0) + 1;
        askedCount.set(t, n);
        if (n >= MIN_ASKED_USES) this.askedWords.add(t);
      }
    }
    this.past = opts.asked ?? [];
    const docs = entries.map((e) => toDoc(e, asked.get(e.id) ?? []));
    this.index.addAll(docs);
    for (const e of entries) {
      for (const t of [...e.tags, e.id]) {
        const c = t.includes("-") ? processTerm(t.replaceAll("-", "")) : null;
        if (c) this.compoundTags.add(c);
      }
    }
    const written = new Map<string, number>();
    // One pass over each entry's words gathers every vocabulary the index keeps.
    for (const d of docs) {
      const seen = new Set<string>();
      const raw = new Set<string>();
      const core = tokens(`${d.title} ${d.tags} ${d.summary} ${d.keywords}`);
      for (const [i, word] of [...core, ...tokens(d.body)].entries()) {
        const t = processTerm(word);
        raw.add(word.toLowerCase());
        if (!t) continue;
        seen.add(t);
        if (i < core.length) this.coreTerms.add(t);
      }
      for (const t of seen) this.docFrequency.set(t, (this.docFrequency.get(t) ?? 0) + 1);
      for (const w of raw) written.set(w, (written.get(w) ?? 0) + 1);
    }
    this.written = written;
  }

  /**
   * A word the base does not use, read as the base's word one edit away (the most common one),
   * when it is long enough for one edit not to turn it into another word.
   */
  spelling(term: string): string | undefined {
    if (this.docFrequency.has(term)) return term;
    // "unauthenticated", "unencrypted", "unpatched": the word negated is the topic.
    const negated = /^(?:un|non)(.{4,})$/.exec(term)?.[1];
    if (negated && this.docFrequency.has(negated)) return negated;
    if (term.length < MIN_TYPO_LENGTH || /\d/.test(term)) return undefined;
    // A fuzzy walk of the trie costs far more than a lookup; the same unknown words recur.
    if (this.corrected.has(term)) return this.corrected.get(term);
    this.tries ??= { stems: SearchableMap.from(this.docFrequency), words: SearchableMap.from(this.written) };
    let best: [string, number] | undefined;
    // One edit apart, two short words are often both real words ("slack", "stack"); long ones rarely are.
    for (const [word, [df]] of this.tries.stems.fuzzyGet(term, 1))
      if (word.length >= MIN_TYPO_WORD && (!best || df > best[1])) best = [word, df];
    // A typo can hide a suffix from the stemmer ("patchng"): compare with the words as written too.
    for (const [word, [df]] of this.tries.words.fuzzyGet(term, 1)) {
      const stemmed = processTerm(word);
      if (stemmed && word.length >= MIN_TYPO_WORD && (!best || df > best[1])) best = [stemmed, df];
    }
    // Two letters swapped ("secrest", "kuberentes") are two edits apart, but one slip of the fingers.
    if (!best) best = this.swapped(term);
    if (this.corrected.size < MAX_MEMO) this.corrected.set(term, best?.[0]);
    return best?.[0];
  }

  /** The base's most common word that differs from the term by one pair of adjacent letters swapped. */
  private swapped(term: string): [string, number] | undefined {
    let best: [string, number] | undefined;
    for (let i = 0; i + 1 < term.length; i++) {
      if (term[i] === term[i + 1]) continue;
      const w = `${term.slice(0, i)}${term[i + 1]}${term[i]}${term.slice(i + 2)}`;
      const stemmed = this.docFrequency.has(w) ? w : processTerm(w);
      const df = stemmed ? this.docFrequency.get(stemmed) : undefined;
      if (stemmed && df && stemmed.length >= MIN_TYPO_WORD - 1 && (!best || df > best[1]))
        best = [stemmed, df];
    }
    return best;
  }

  /**
   * Whether an analysed term names one of the base's concerns: a word of an entry's id ("logging" in
   * ephemeral-logging) that at most half the entries use ("data" and "host" are everywhere), or a
   * one-word tag that at most `fewEntries` entries use. Title words and the parts of hyphenated tags
   * ("manager" of patch-manager, "side" of side-channel) say too little on their own.
   */
  namesConcern(term: string, fewEntries: number): boolean {
    const t = this.spelling(term) ?? term;
    return (
      (this.idTerms.has(t) && this.entriesUsing(t) <= this.byId.size * ID_TERM_SHARE) ||
      (this.tagTerms.has(t) && this.entriesUsing(t) <= fewEntries)
    );
  }

  /** How many entries use an analysed term (0 for a word the base does not use). */
  entriesUsing(term: string): number {
    return this.docFrequency.get(term) ?? 0;
  }

  /** Whether an analysed term is one of the base's words, a misspelling of one, or a word the vocabulary reads. */
  knows(term: string): boolean {
    return SYNONYM_TERMS.has(term) || this.spelling(term) !== undefined;
  }

  /** Whether an analysed term (or the word it misspells) is in a title, tag, summary or keyword: what the base is about. */
  isTopic(term: string): boolean {
    const t = this.spelling(term);
    return t !== undefined && this.coreTerms.has(t);
  }

  /** Whether the base uses this word as written (any case), in any field. */
  uses(word: string): boolean {
    return this.written.has(word.toLowerCase());
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * The share of a question's topic words that the base uses, directly or through a synonym.
   * A question mostly outside the base's vocabulary is about something else. Words in `ignore`
   * (a question's framing, such as "which threat is this") count neither way.
   */
  coverage(
    query: string,
    ignore: ReadonlySet<string> = new Set(),
    neutral: ReadonlySet<string> = new Set(),
  ): number {
    const credit = new Map<string, number>();
    const text = spellShorthand(query);
    for (const raw of tokens(text)) {
      const lower = raw.toLowerCase();
      const t = processTerm(raw);
      if (!t || PLATFORM_WORDS.has(lower) || ignore.has(t)) continue;
      const syns = synonymsOf(lower).flatMap(tokens).map(processTerm);
      const word = this.spelling(t);
      const known =
        (word !== undefined && this.coreTerms.has(word)) || syns.some((s) => s && this.docFrequency.has(s))
          ? 1
          : word !== undefined
            ? BODY_CREDIT
            : this.askedWords.has(t)
              ? BODY_CREDIT
              : 0;
      // An unknown token with digits is a name or an id ("orders-v2", a chat mention), not a topic;
      // an unknown general word ("risky", "scary") is framing.
      if (known === 0 && (/\d/.test(t) || neutral.has(t))) continue;
      credit.set(t, Math.max(credit.get(t) ?? 0, known));
    }
    // A phrasing the vocabulary reads ("FROM node:20", "what now") is a topic word of its own.
    for (const [i, [re]] of PHRASES.entries()) if (re.test(text)) credit.set(`~${i}`, 1);
    let sum = 0;
    for (const c of credit.values()) sum += c;
    return credit.size === 0 ? 0 : sum / credit.size;
  }

  /**
   * In a large base, a term found in more than a tenth of the entries costs the most to score (each
   * entry holding it is visited) and separates them the least (the lowest BM25 weights), so it is
   * skipped, as search engines do with a cutoff frequency. The two rarest terms are always kept, and
   * bases under 5,000 entries are never affected (the cutoff is at least 500 entries).
   */
  private withoutCommonTerms(terms: string[]): string[] {
    if (!this.skipCommonTerms) return terms;
    const cutoff = Math.max(COMMON_TERM_MIN_DOCS, COMMON_TERM_SHARE * this.byId.size);
    const df = (t: string) => this.docFrequency.get(t) ?? 0;
    const kept = terms.filter((t) => df(t) <= cutoff);
    if (kept.length >= MIN_TERMS_KEPT) return kept;
    return [...terms].sort((a, b) => df(a) - df(b)).slice(0, MIN_TERMS_KEPT);
  }

  search(query: string | AnalysedQuery, opts: SearchOptions = {}): SearchHit[] {
    const given = typeof query === "string" ? analyse(query) : query;
    const q = { ...given, terms: [...new Set(given.terms.map((t) => this.spelling(t) ?? t))] };
    const joined = q.compounds.filter((c) => this.compoundTags.has(c));
    // A word said twice ("API Gateway + Lambda API") is one topic, not a double vote for it.
    const kept = this.withoutCommonTerms([
      ...new Set([...q.terms, ...joined, ...q.platform, ...q.expansions]),
    ]);
    // A synonym written with a hyphen ("short-lived") is two words of the index, as in the entries.
    const all = [...new Set(kept.flatMap(tokens))];
    if (all.length === 0) return [];
    const model = opts.deploymentModel;
    const topic = new Set(q.terms);
    const compound = new Set(joined);
    const platform = new Set(q.platform);
    const phrased = new Set(q.phrased ?? []);
    const weight = (t: string) =>
      topic.has(t)
        ? 1
        : phrased.has(t)
          ? PHRASE_WEIGHT
          : compound.has(t)
            ? COMPOUND_WEIGHT
            : platform.has(t)
              ? PLATFORM_WEIGHT
              : EXPANSION_WEIGHT;
    // MiniSearch's OR query scores an entry as the sum of its terms' weighted scores times the number
    // of terms it matched; the sum is rebuilt here from each term's memoised scores.
    const rows = new Map<string, { own: number; asked: number; ownTerms: number; terms: string[] }>();
    for (const t of all) {
      const w = weight(t);
      for (const [id, s] of this.scoresOf(t)) {
        const row = rows.get(id) ?? { own: 0, asked: 0, ownTerms: 0, terms: [] };
        row.own += w * s.own;
        row.asked += w * s.asked;
        if (s.own > 0) row.ownTerms++;
        row.terms.push(t);
        rows.set(id, row);
      }
    }
    const hits: SearchHit[] = [];
    for (const [id, row] of rows) {
      const entry = this.byId.get(id) as KnowledgeEntry;
      if (model && !entry.deploymentModels.includes(model)) continue;
      const boost = model ? 1 + SPECIFIC_BOOST * (3 - entry.deploymentModels.length) : 1;
      hits.push({
        entry,
        score: boost * (row.own + row.asked) * row.terms.length,
        matched: row.terms,
        ownScore: boost * row.own * row.ownTerms,
      });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, opts.limit ?? 10);
  }

  /**
   * The entries that answered the `count` past questions most like this one, each with a vote from
   * 0 to 1: a past question's share of the count, weighed by how close it is next to the closest.
   */
  neighbours(query: AnalysedQuery, count: number): Map<string, number> {
    const votes = new Map<string, number>();
    const terms = [
      ...new Set(
        [
          ...query.terms.map((t) => this.spelling(t) ?? t),
          ...query.platform,
          ...(query.phrased ?? []),
        ].flatMap(tokens),
      ),
    ];
    if (terms.length === 0 || this.past.length === 0) return votes;
    // As MiniSearch scores an OR query: the sum of the terms' scores times the number of terms matched.
    // Typed arrays over every past question cost less than a map of rows on a common word.
    const sum = new Float64Array(this.past.length);
    const matched = new Uint16Array(this.past.length);
    const touched: number[] = [];
    for (const t of terms) {
      for (const [id, score] of this.pastScoresOf(t)) {
        if (matched[id] === 0) touched.push(id);
        sum[id] = (sum[id] ?? 0) + score;
        matched[id] = (matched[id] ?? 0) + 1;
      }
    }
    const found = touched
      .map((id) => ({ id, score: (sum[id] ?? 0) * (matched[id] ?? 0) }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, count);
    const closest = found[0]?.score ?? 0;
    for (const r of found)
      for (const id of this.past[r.id]?.expect ?? [])
        votes.set(id, (votes.get(id) ?? 0) + r.score / closest / count);
    return votes;
  }

  /** One term's score in each past question that holds it; memoised, as people's words recur. */
  private pastScoresOf(term: string): Map<number, number> {
    const known = this.pastTermScores.get(term);
    if (known) return known;
    if (!this.pastQuestions) {
      this.pastQuestions = new MiniSearch({ fields: ["text"], tokenize: tokens, processTerm });
      this.pastQuestions.addAll(this.past.map((q, id) => ({ id, text: q.question })));
    }
    const scores = new Map<number, number>();
    for (const r of this.pastQuestions.search(term, { processTerm: (t) => t }))
      scores.set(r.id as number, r.score);
    return this.pastTermScores.set(term, scores);
  }

  /** A term's scores with no weight, filter or boost, so one memo serves every query and model. */
  private scoresOf(term: string): TermScores {
    const known = this.termScores.get(term);
    if (known) return known;
    const scores: TermScores = new Map();
    for (const fields of [OWN_FIELDS, ["asked"]]) {
      // Terms are analysed already; a second pass through the stemmer is not idempotent.
      for (const r of this.index.search(term, { fields, processTerm: (t) => t })) {
        const s = scores.get(r.id) ?? { own: 0, asked: 0 };
        if (fields === OWN_FIELDS) s.own = r.score;
        else s.asked = r.score;
        scores.set(r.id, s);
      }
    }
    return this.termScores.set(term, scores);
  }
}

import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/core/knowledge/load.js";
import { KnowledgeIndex } from "../../src/core/knowledge/search.js";
import { detectIntent } from "../../src/qa/intent.js";
import { AnswerJson } from "../../src/qa/schema.js";
import { QaService } from "../../src/qa/service.js";
import { runCliProcess } from "../support/cli-process.js";

const kb = loadKnowledgeBase();
const qa = new QaService({ kb });
// Without the answered questions' words: what the vocabulary and phrasings alone make of a question.
const bare = new QaService({ kb, index: new KnowledgeIndex(kb.entries) });
const cited = (a: { citations: { entryId: string }[] }) => a.citations.map((c) => c.entryId);

/** Each question, asked of the index without past questions, cites its entry first. */
async function expectLeads(cases: [question: string, entryId: string][]) {
  for (const [q, id] of cases) expect(cited(await bare.answerQuestion(q))[0], q).toBe(id);
}

/** Each question, asked of the index without past questions, cites its entry. */
async function expectCites(cases: [question: string, entryId: string][]) {
  for (const [q, id] of cases) expect(cited(await bare.answerQuestion(q)), q).toContain(id);
}

/** Each question, asked of the index without past questions, asks for the workload and cites nothing. */
async function expectAsksBack(questions: string[]) {
  for (const q of questions) {
    const a = await bare.answerQuestion(q);
    expect(a.intent, q).toBe("clarify");
    expect(a.answer, q).toMatch(/^Which workload is this about/);
    expect(a.citations, q).toEqual([]);
  }
}

/** Each question, asked of the index without past questions, gets "I don't know". */
async function expectDeclines(questions: string[]) {
  for (const q of questions) expect((await bare.answerQuestion(q)).answer, q).toMatch(/^I don't know/);
}

describe("questions answered by what they ask", () => {
  it("comparison: says the deciding difference first and cites the entries on each side", async () => {
    const a = await qa.answerQuestion("Should we run the new multi-tenant SaaS on VMs or in Kubernetes?");
    expect(a.intent).toBe("comparison");
    expect(a.answer).toMatch(
      /^The deciding difference is the kernel: each VM runs its own kernel behind a hypervisor, while containers on a host share that host's kernel/,
    );
    expect(cited(a).slice(0, 3)).toEqual(
      expect.arrayContaining(["hypervisor-isolation", "container-escape-shared-kernel"]),
    );
  });

  it("comparison on patching: the deciding difference is about patching, not isolation", async () => {
    const a = await qa.answerQuestion("Are EC2 instances or Fargate tasks easier to keep patched?");
    expect(a.answer).toMatch(/^The deciding difference is where patching happens/);
    expect(cited(a)).toEqual(expect.arrayContaining(["vm-patching", "serverless-image-maintenance"]));
  });

  it("which threat is this: names the threat first and leads with the entry that holds it", async () => {
    const a = await qa.answerQuestion(
      "A pod mounts docker.sock and an attacker takes over the node from it. Which threat is this?",
    );
    expect(a.intent).toBe("which-threat");
    expect(cited(a)[0]).toBe("container-escape-shared-kernel");
    expect(a.answer).toMatch(/^That falls under "Container escape through the shared kernel/);
  });

  it("what is unique to a model: cites only concerns that model alone has", async () => {
    const a = await qa.answerQuestion("What security risks are specific to Lambda compared with EC2?");
    expect(a.intent).toBe("unique");
    expect(a.workload).toBe("serverless");
    expect(a.citations).toHaveLength(3);
    for (const id of cited(a)) expect(kb.entry(id)?.deploymentModels, id).toEqual(["serverless"]);
  });

  it("is X ok: leads with the entry about X", async () => {
    const a = await qa.answerQuestion(
      "is it fine if our kubernetes service account token gets mounted into every pod?",
    );
    expect(a.intent).toBe("is-ok");
    expect(cited(a)[0]).toBe("orchestration-security");
  });

  it("two workloads named: answers for both, saying who owns the concern in each", async () => {
    const a = await qa.answerQuestion(
      "We run the API on ECS and the background jobs on Lambda; how should we store credentials for both?",
    );
    expect(a.workload).toBe("undecided");
    expect(cited(a)).toContain("secrets-management");
    const first = a.citations[0]?.entryId ?? "";
    expect(a.answer).toContain(`For containers: ${kb.entry(first)?.responsibility.container?.note}`);
    expect(a.answer).toContain(`For functions: ${kb.entry(first)?.responsibility.serverless?.note}`);
  });

  it("too vague: asks which workload and offers a review instead of answering", async () => {
    for (const q of ["Is our architecture secure enough?", "any risks we should think about?"]) {
      const a = await qa.answerQuestion(q);
      expect(a.intent, q).toBe("clarify");
      expect(a.grounded, q).toBe(false);
      expect(a.citations, q).toEqual([]);
      expect(a.answer).toMatch(/^Which workload is this about/);
      expect(a.answer).toContain("/threatmodel");
      expect(a.answer).toContain("threatbot review");
    }
  });

  it("the same vague question in a review's context is answered for the review's workload", async () => {
    const a = await qa.answerQuestion("any risks we should think about?", { workload: "serverless" });
    expect(a.intent).not.toBe("clarify");
    expect(a.grounded).toBe(true);
  });

  it("reads a misspelt word as the word it misspells, and chat shorthand as what it stands for", async () => {
    expect(qa.index.spelling("kernal")).toBe("kernel");
    const a = await qa.answerQuestion("how do we stop a pod from escaping to the nodee kernal");
    expect(cited(a)[0]).toBe("container-escape-shared-kernel");
    const b = await qa.answerQuestion("where do we put the db creds for the new ecs service");
    expect(cited(b)).toContain("secrets-management");
    // A short real word is not "corrected" into the base's vocabulary ("slack" is not "stack").
    expect(qa.index.spelling("slack")).toBeUndefined();
  });

  it("reads two swapped letters as the word meant, in topics and in model names", async () => {
    expect(qa.index.spelling("secrest")).toBe(qa.index.spelling("secrets"));
    const a = await qa.answerQuestion("where do we keep secrest for the kuberentes pods");
    expect(a.workload).toBe("container");
    expect(cited(a)[0]).toBe("secrets-management");
  });

  it("cites a question's second concern, as similar past questions were answered, without changing what leads", async () => {
    for (const [q, lead, second] of [
      [
        "We deploy to our on-prem VMs by having devs scp jars from their laptops. What should this look like instead? Also our Maven deps come straight from the public repo, is that a supply chain concern?",
        "supply-chain-attacks",
        "access-control",
      ],
      [
        "Explain the difference between long-lived access keys sitting in ~/.aws/credentials on an EC2 box and an instance profile.",
        "least-privilege-service-accounts",
        "secrets-management",
      ],
      [
        "for the VMs, who handles backups of the disks and the postgres running on them? I honestly assumed the cloud just snapshots everything",
        "shared-responsibility",
        "backup-restore",
      ],
    ] as const) {
      const ids = cited(await qa.answerQuestion(q));
      expect(ids[0], q).toBe(lead);
      expect(ids, q).toContain(second);
    }
  });

  it("reads a pasted pod spec by its security settings, even when it calls itself a performance agent", async () => {
    await expectCites([
      [
        'vendor chart\n```\nhostPID: true\ncapabilities:\n  add: ["SYS_ADMIN"]\nseccompProfile:\n  type: Unconfined\n```\nit\'s their "performance agent", install or not?',
        "container-escape-shared-kernel",
      ],
    ]);
  });

  it("reads tf as Terraform and clickops as changes made by hand in the console", async () => {
    await expectLeads([
      [
        "tf everything vs clickops in the console — whats the security argument, need ammo for mgmt",
        "cloud-misconfiguration",
      ],
    ]);
  });

  it("asks back on a request for a review of a system only pointed at, however it is worded", async () => {
    await expectAsksBack([
      "the current setup is 'fine for now' according to the architect. what would you look at first?",
      "launching soon, is there anything on the security side we've forgotten? mostly want a checklist",
    ]);
  });

  it("declines a question that says it is only about maintainability", async () => {
    await expectDeclines([
      "terraform workspaces or one state file per env? purely from a maintainability angle",
    ]);
  });

  it("reads 'one' and 'lives' as framing: the pipeline asked about ranks among the first two", async () => {
    const q =
      "our lambdas and k8s services live in one monorepo with a single pipeline. what should we lock down in that pipeline?";
    expect(cited(await bare.answerQuestion(q)).slice(0, 2)).toContain("cicd-hardening");
  });

  it("reads making a change impossible for anyone as a guardrail set above the account", async () => {
    await expectLeads([
      [
        "someone disabled cloudtrail in the pentest and nobody noticed. how do we make that impossible?",
        "account-separation",
      ],
    ]);
  });

  it("reads merging straight to main as a way round the reviewed pipeline", async () => {
    await expectCites([
      [
        "who should be allowed to ship to prod? at the moment anyone who can merge to main does",
        "cicd-hardening",
      ],
    ]);
  });

  it("asks back when a security question names only the team's own system or plans", async () => {
    for (const q of [
      "how risky is what we're building?",
      "is prod secure?",
      "is our fooservice secure?",
      "can someone take a look at our setup security-wise?",
      "need a threat model asap, where do i start",
      "sec review pls, going live friday",
    ]) {
      const a = await qa.answerQuestion(q);
      expect(a.intent, q).toBe("clarify");
      expect(a.citations, q).toEqual([]);
    }
    // A word about something else entirely still gets "I don't know", not a question back.
    const b = await qa.answerQuestion("is the new coffee machine safe?");
    expect(b.answer).toMatch(/^I don't know/);
  });

  it("reads a quoted phrase as a name: its words do not count against the question", async () => {
    const a = await qa.answerQuestion(
      "saw the 'Frosty Kettle' runc cve on hn, anything to do on our eks nodes?",
    );
    expect(a.grounded).toBe(true);
    expect(cited(a)[0]).toBe("container-runtime-vulnerabilities");
  });

  it("reads something found on a node as an incident, and the CIS by its full name", async () => {
    const found = await bare.answerQuestion(
      "we discovered an unknown process on one of our k8s nodes, what should we do?",
    );
    expect(cited(found)[0]).toBe("incident-response");
    const cis = await bare.answerQuestion(
      "our auditor wants proof the rhel vms follow center for internet security guidance",
    );
    expect(cited(cis)[0]).toBe("os-hardening-checklists");
  });

  it("answers terse questions about a named model by the one rare word that names their topic", async () => {
    const imds = await bare.answerQuestion("imdsv1 still on for the ec2s, big deal?");
    expect(imds.workload).toBe("vm");
    expect(cited(imds)[0]).toBe("instance-metadata");
    expect((await bare.answerQuestion("kubelet 1.25 still fine?")).workload).toBe("container");
    expect((await bare.answerQuestion("how often shud we patch the VMs")).citations[0]?.entryId).toBe(
      "vm-patching",
    );
  });

  it("reads breaking out as an escape, and 'easier than' as a comparison", async () => {
    const a = await bare.answerQuestion(
      "why is breaking out of a container easier than breaking out of a VM?",
    );
    expect(a.intent).toBe("comparison");
    expect(cited(a)).toEqual(
      expect.arrayContaining(["container-escape-shared-kernel", "hypervisor-isolation"]),
    );
  });

  it("reads 'what do we end up owning in each case' as who owns which layer", async () => {
    const a = await bare.answerQuestion(
      "We could run the API on Lambda, ECS or EC2. What do we end up owning in each case?",
    );
    expect(a.intent).toBe("comparison");
    expect(cited(a)[0]).toBe("shared-responsibility");
  });

  it("reads signs of an intrusion followed by 'do we just terminate it' or 'who do we call' as an incident", async () => {
    for (const q of [
      "someone got root on a prod ec2 box overnight, do we just terminate it?",
      "a pod is calling a strange ip abroad at full cpu, what do we do first and who do we call?",
      "a prod vm got popped by a miner. step one: shut it down, or snapshot first?",
    ])
      expect(cited(await bare.answerQuestion(q))[0], q).toBe("incident-response");
  });

  it("reads an instance profile as the workload's identity, and a deprecated runtime as one out of support", async () => {
    const shared = await bare.answerQuestion(
      "one instance profile shared by every app on our ec2 fleet, ok?",
    );
    expect(cited(shared)).toContain("least-privilege-service-accounts");
    const runtime = await bare.answerQuestion(
      "aws says python 3.8 is deprecated on lambda, do we have to act?",
    );
    expect(cited(runtime)[0]).toBe("host-environment-management");
  });

  it("reads 'what is unique to each of' several models as a comparison", async () => {
    const a = await qa.answerQuestion(
      "what's unique to each of ecs vs ec2 vs lambda in what the provider secures and what stays on us",
    );
    expect(a.intent).toBe("comparison");
    expect(cited(a)[0]).toBe("shared-responsibility");
  });

  it("reads self-run hypervisors by product name, and floods of sign-in attempts as credential stuffing", async () => {
    const esxi = await bare.answerQuestion("our esxi hosts and vcenter sit on the flat office network");
    expect(esxi.workload).toBe("vm");
    expect(cited(esxi)[0]).toBe("hypervisor-isolation");
    const stuffing = await bare.answerQuestion(
      "thousands of login attempts an hour with leaked email/password pairs against our web servers",
    );
    expect(cited(stuffing)[0]).toBe("edge-protection");
  });

  it("answers an exam-style comparison as a comparison", async () => {
    const a = await qa.answerQuestion(
      "Exam style: is a pod on a shared node as strong an isolation boundary as its own VM?",
    );
    expect(a.intent).toBe("comparison");
    expect(cited(a)).toEqual(
      expect.arrayContaining(["container-escape-shared-kernel", "hypervisor-isolation"]),
    );
  });

  it("declines questions about cost, speed, size or syntax that name no security concern", async () => {
    for (const q of [
      "cheapest ec2 instance type for a build runner?",
      "what's the cli cmd to list our ecs services",
      "how do i get the lambda zip under the 50mb size limit",
      "how can i export the sprint board to a csv",
    ]) {
      const a = await qa.answerQuestion(q);
      expect(a.answer, q).toMatch(/^I don't know/);
    }
    const secured = await qa.answerQuestion("cheapest way to keep db passwords out of lambda env vars?");
    expect(cited(secured)[0]).toBe("secrets-management");
  });

  it("declines formatting, git, dashboard, pricing and time-off questions that name no security concern", async () => {
    for (const q of [
      "how do i make prettier leave our helm charts alone when it reformats?",
      "git rebase or squash merge for the infra repo?",
      "which grafana panel shows lambda p99 duration best?",
      "savings plans vs reserved instances for the ecs cluster nodes?",
      "who approves PTO while our EKS on-call lead is out?",
    ]) {
      const a = await qa.answerQuestion(q);
      expect(a.answer, q).toMatch(/^I don't know/);
    }
    // A miner found running is an incident, however fast the team wants to spot the next one.
    const miner = await qa.answerQuestion(
      "found an xmrig pod on a node that no manifest of ours deploys, how do we spot the next one faster?",
    );
    expect(miner.grounded).toBe(true);
  });

  it("needs a plainer match for a question that names no security concern", async () => {
    const a = await qa.answerQuestion("which terraform version should the new repos standardise on?");
    expect(a.answer).toMatch(/^I don't know/);
    // Named concerns keep their answers, however weakly the rest of the question matches.
    const b = await qa.answerQuestion("dependabot PRs keep piling up unmerged, what process do people use?");
    expect(cited(b)[0]).toBe("third-party-dependencies");
  });

  it("asks which workload when the one topic named depends on it", async () => {
    const patch = await qa.answerQuestion("do we have to patch anything ourselves?");
    expect(patch.intent).toBe("clarify");
    expect(patch.answer).toMatch(/^Which workload/);
    expect((await qa.answerQuestion("When is the next all-hands?")).answer).toMatch(/^I don't know/);
  });

  it("asks which workload when the one topic is a concern the base has an entry for, though no concern word is said", async () => {
    await expectAsksBack(["is our logging good enough?"]);
  });

  it("reads 'or is that overkill' as a verdict, not a comparison of the models it names", async () => {
    const a = await qa.answerQuestion(
      "put both the cloud run frontend and the gce admin vm behind cloud armor, or is that overkill?",
    );
    expect(a.intent).not.toBe("comparison");
    expect(cited(a)).toContain("edge-protection");
  });

  it("reads auth NONE, investigating a compromise and 'who keeps it hardened' by what they mean", async () => {
    const none = await bare.answerQuestion("function url with authType NONE for an internal tool, fine?");
    expect(cited(none)).toContain("api-security");
    const investigate = await bare.answerQuestion(
      "no agent runs on our functions, so how would we investigate a compromised lambda?",
    );
    expect(cited(investigate)).toContain("incident-response");
    const who = await bare.answerQuestion(
      "who keeps the guest OS on our azure vms hardened, us or microsoft?",
    );
    expect(cited(who)[0]).toBe("shared-responsibility");
  });

  it("answers a shell command built from event data, while a bare command question is declined", async () => {
    const a = await qa.answerQuestion(
      "the handler passes the uploaded file's name into a shell command for conversion, is that a problem?",
    );
    expect(cited(a)[0]).toBe("event-injection");
    expect((await qa.answerQuestion("how do we handle permissions properly")).intent).toBe("clarify");
  });

  it("reads a pasted setting's name by the words it is made of", async () => {
    const a = await bare.answerQuestion(
      'our eks cluster has `endpointPublicAccess: true` and `publicAccessCidrs: ["0.0.0.0/0"]`, ok?',
    );
    expect(cited(a)[0]).toBe("orchestration-security");
  });

  it("reads workloads nobody deployed as sprawl, and rules at the org level as guardrails", async () => {
    const pod = await bare.answerQuestion(
      "there's a pod in the default namespace that no pipeline ever deployed, what does that point to?",
    );
    expect(cited(pod)).toContain("container-sprawl");
    const org = await bare.answerQuestion(
      "nothing at the org level stops anyone deleting the cloudtrail trail",
    );
    expect(cited(org)).toContain("account-separation");
  });

  it("answers 'what is unique about' a named topic on a model with that topic, even when other models share it", async () => {
    const a = await qa.answerQuestion(
      "what's unique about forensics on lambda when there's no host to put an EDR agent on?",
    );
    expect(a.intent).toBe("unique");
    expect(cited(a)[0]).toBe("vendor-tooling-limits");
  });

  it("reads a misspelt 'instances' as VMs", async () => {
    const a = await qa.answerQuestion("instnaces in a public subnet with 5432 open to the world, how bad");
    expect(a.workload).toBe("vm");
  });

  it("asks which workload only for a security topic", async () => {
    expect((await qa.answerQuestion("should we be encrypting more stuff?")).intent).toBe("clarify");
    expect((await qa.answerQuestion("who's running the retro on thursday?")).answer).toMatch(/^I don't know/);
  });

  it("reads named supply-chain compromises, and weighs patching across all three models", async () => {
    const xz = await bare.answerQuestion("the xz thing: how do we avoid getting hit by something similar?");
    expect(cited(xz)[0]).toBe("supply-chain-attacks");
    const patching = await bare.answerQuestion("lambda vs ecs vs ec2, which leaves us the least patching?");
    expect(patching.answer).toMatch(/^The deciding difference is how much of the stack your team patches/);
    expect(cited(patching)).toContain("host-environment-management");
  });

  it("reads DFIR as incident response, and 'arch' as the team's architecture", async () => {
    const dfir = await bare.answerQuestion("what does DFIR look like for our ec2 fleet?");
    expect(cited(dfir)[0]).toBe("incident-response");
    expect((await qa.answerQuestion("quick look at the arch pls")).intent).toBe("clarify");
  });

  it("reads 'api keys' in two words as credentials", async () => {
    expect(cited(await bare.answerQuestion("api keys in the ec2 user-data, ok?"))).toContain(
      "secrets-management",
    );
  });

  it("reads being ready for a compromise as the response plan, and 'special about' as framing", async () => {
    const ready = await bare.answerQuestion(
      "we move to ec2 next month. are we ready if a box gets popped, what needs to be written down?",
    );
    expect(cited(ready)[0]).toBe("incident-response");
    expect((await qa.answerQuestion("anything special about isolation here?")).intent).toBe("clarify");
  });

  it("reads runbooks, access keys on disk and bill run-ups by their concern", async () => {
    expect(
      cited(await bare.answerQuestion("we have no runbook at all for the k8s cluster, what goes in it?"))[0],
    ).toBe("incident-response");
    expect(
      cited(
        await bare.answerQuestion("the ec2 boxes keep aws access keys in ~/.aws/credentials, what instead?"),
      ),
    ).toContain("secrets-management");
    expect(
      cited(await bare.answerQuestion("which of lambda or ecs exposes us less to a bill run-up attack?")),
    ).toContain("denial-of-wallet");
  });

  it("asks about the model moved to for 'new risks', and reads updating function code as administering it", async () => {
    const moving = await qa.answerQuestion(
      "migrating our VMs to EKS, what new risks show up that we never had?",
    );
    expect(moving.workload).toBe("container");
    const update = await bare.answerQuestion(
      "devs update the function code from laptops in prod, lock that down?",
    );
    expect(cited(update)).toContain("access-control");
  });

  it("answers who owns which layer after a move with the host layer the team takes on", async () => {
    for (const q of [
      "moving the app onto azure vms from paas, what do we own now?",
      "we lift and shift to ec2: which security jobs are on us?",
    ]) {
      const a = cited(await bare.answerQuestion(q));
      expect(a, q).toEqual(expect.arrayContaining(["shared-responsibility", "host-environment-management"]));
    }
  });

  it("reads a release past its vendor's support, named by version, as end of life", async () => {
    for (const q of [
      "the billing app still sits on centos 7 vms, what's our exposure until the move?",
      "two windows server 2012 boxes left in the dc, how worried should we be?",
    ])
      expect(cited(await bare.answerQuestion(q)), q).toContain("host-environment-management");
  });

  it("reads code that customers submit as untrusted code to sandbox", async () => {
    const a = await bare.answerQuestion(
      "we'd run customer-submitted notebooks as pods on our shared k8s cluster",
    );
    expect(cited(a)).toContain("syscall-filtering");
  });

  it("reads investigating a compromise and a plan for ransomware as incident response", async () => {
    for (const q of [
      "if a lambda got popped, how would we even investigate it?",
      "we have nothing on what we'd do if prod got encrypted on our ec2 fleet",
    ])
      expect(cited(await bare.answerQuestion(q)), q).toContain("incident-response");
  });

  it("reads dumps, typo'd packages, spam, other people's ids and run-up invocations by their concern", async () => {
    const cases: [string, string][] = [
      ["mysqldump of the vm database lands in the same account every night", "backup-restore"],
      [
        "a typo'd package slipped into our lambda's requirements, how do we stop that?",
        "supply-chain-attacks",
      ],
      ["can someone spamming our lambda url cost us?", "edge-protection"],
      ["a poison message keeps retrying and running up invocations on our lambda", "denial-of-wallet"],
    ];
    await expectCites(cases);
    // Asked for another customer's record, and who may change what runs: each leads with its entry.
    const idor = await bare.answerQuestion("the lambda api lets any logged-in user fetch any order id");
    expect(cited(idor)[0]).toBe("api-security");
    const edited = await bare.answerQuestion(
      "if you change the number at the end of /invoices/88 you see somebody elses invoice, our api runs on ECS",
    );
    expect(cited(edited)[0]).toBe("api-security");
    const who = await bare.answerQuestion("who is allowed to edit the lambda code in the console, honestly?");
    expect(cited(who)[0]).toBe("access-control");
  });

  it("reads chat shorthand for images and service accounts, and 'find who' as the audit trail", async () => {
    await expectCites([
      ["gcp vms all using the default compute sa, issue?", "least-privilege-service-accounts"],
      ["someone clicked around the console, now terraform drifts. find who + prevent?", "audit-visibility"],
      ["typosquatted npm pkg got into our build, what now", "incident-response"],
      ["cloudtrail got stopped last night, nobody alerted. next steps", "incident-response"],
    ]);
    // A trade-off is framing, like "pros and cons": the question is still answered.
    expect(cited(await bare.answerQuestion("lambda in a vpc or not, sec tradeoff?"))).toContain(
      "network-misconfiguration",
    );
  });

  it("answers a comparison that names its own topic with that topic, and who owns it in each model", async () => {
    const a = await bare.answerQuestion(
      "GKE or Cloud Functions if we must keep EU customer data in the EU: does the choice matter?",
    );
    expect(cited(a)[0]).toBe("data-residency");
    expect(a.answer).not.toMatch(/^The deciding difference/);
    // Words the base cannot answer on leave the general comparison: who owns which layer.
    const b = await bare.answerQuestion(
      "Is serverless more secure than containers? My boss read an article and wants a decision this week.",
    );
    expect(b.answer).toMatch(/^The deciding difference is how much stays with your team/);
    expect(cited(b)[0]).toBe("shared-responsibility");
  });

  it("leads a comparison with the entry holding the difference it says first", async () => {
    // Running untrusted code is a question of isolation: the kernel decides it.
    const a = await bare.answerQuestion("containers or vms for running untrusted plugins from customers?");
    expect(a.answer).toMatch(/^The deciding difference is the kernel/);
    expect(cited(a)[0]).toBe("hypervisor-isolation");
    // A weaker wall between workloads is a question of isolation too.
    const wall = await bare.answerQuestion(
      "is a container really that much weaker a wall than a VM for payments?",
    );
    expect(cited(wall)[0]).toBe("hypervisor-isolation");
    // The base has no isolation text for containers against functions: the general difference is
    // said, and the entry it restates leads.
    const b = await bare.answerQuestion("containers vs functions: which isolates tenants better?");
    expect(b.answer).toMatch(/^The deciding difference is how much stays with your team/);
    expect(cited(b)[0]).toBe("shared-responsibility");
  });

  it("reads root on the node from inside a container as an escape, and pods reaching any other as segmentation", async () => {
    await expectLeads([
      [
        "attacker got a shell in a container and ended up root on the host, which threat is that?",
        "container-escape-shared-kernel",
      ],
    ]);
    // With EC2 named too, "pod" is taken out as a model name; what is left still asks about segmentation.
    await expectCites([
      [
        "we isolate EC2 boxes with security groups; on EKS can a pod talk to any other pod by default?",
        "kubernetes-network-policies",
      ],
    ]);
  });

  it("reads every developer holding cluster admin as a question of who may administer", async () => {
    await expectCites([
      ["every dev on the team has cluster-admin on the AKS cluster, ok?", "access-control"],
      ["our devs log in to EKS as IAM users mapped to system:masters", "access-control"],
    ]);
  });

  it("reads 'misconfigured' as misconfiguration, and reused globals as no caching question", async () => {
    await expectLeads([
      [
        "EKS has way more knobs than serverless, so is serverless less likely to end up misconfigured?",
        "cloud-misconfiguration",
      ],
    ]);
    // Caching between requests in a warm function is about what leaks, not about build speed.
    await expectCites([
      [
        "warm lambda containers reuse globals between requests, any different from caching in a long-lived process on a VM?",
        "cold-starts",
      ],
    ]);
  });

  it("reads 'who actually owns' as who owns which layer", async () => {
    await expectLeads([
      ["on AKS who actually owns patching the worker nodes vs the control plane?", "shared-responsibility"],
    ]);
  });

  it("reads 'who would do what in each' and 'what do we no longer have to handle' as who owns which layer", async () => {
    await expectLeads([
      [
        "vms, containers or lambda for the new billing service? who would do what in each",
        "shared-responsibility",
      ],
      [
        "ECS or plain VMs for the reporting app, security-wise what do we no longer have to handle?",
        "shared-responsibility",
      ],
    ]);
  });

  it("reads fetching links that customers supply as server-side request forgery", async () => {
    await expectLeads([
      [
        "our EC2 worker downloads whatever links customers paste into the form, anything to lock down?",
        "event-injection",
      ],
    ]);
  });

  it("asks back on concerns about a thing being spun up, with only time words around it", async () => {
    for (const q of [
      "any concerns with the new service we're spinning up?",
      "what should we be worried about for the thing we launch next sprint",
    ])
      expect((await qa.answerQuestion(q)).intent, q).toBe("clarify");
  });

  it("reads setups described in passing by the concern they raise, and leads with its entry", async () => {
    const leads: [string, string][] = [
      ["customers can upload their own scripts and we run them in pods, ok?", "syscall-filtering"],
      [
        "a kubeconfig for prod got pushed to a public repo. what do we do in the next hour?",
        "incident-response",
      ],
      [
        "someone hot-patched the lambda code in prod outside the pipeline, how do we prevent that",
        "access-control",
      ],
      ["our lambda api uses sequential integer ids in the url, a problem?", "api-security"],
      ["which of our container images ship log4j? we can't tell", "artifact-vulnerability-scanning"],
      ["our ec2 fleet is about six months behind, is that bad?", "vm-patching"],
      ["someone ran jobs in one of our pods for a month and nothing alerted", "dynamic-baselining"],
      [
        "gke pods use the default compute service account to write to gcs",
        "least-privilege-service-accounts",
      ],
      ["vm workloads get editor on the project, simpler that way", "least-privilege-service-accounts"],
      // A feature's name (hostPath) says which model, and it is the topic too.
      ["bare-metal k8s: devs keep using hostPath for persistence, fine?", "namespaces-and-volumes"],
    ];
    await expectLeads(leads);
    const cites: [string, string][] = [
      [
        "we mount an azure files share into our aks pods for uploads, what to check?",
        "external-persistent-storage",
      ],
      ["our packer build for the vm image does curl https://get.example.sh | bash", "supply-chain-attacks"],
      ["the functions' identity has contributor on the whole subscription", "excessive-function-permissions"],
      ["function code goes to prod from whoever's laptop", "cicd-hardening"],
    ];
    await expectCites(cites);
  });

  it("reads claims about who owns a layer, open endpoints and ownership checks by their concern", async () => {
    const leads: [string, string][] = [
      [
        "fargate means aws handles it, so we dont have to worry about patching, right?",
        "shared-responsibility",
      ],
      ["who is on the hook for the hypervisor in our vmware cluster?", "shared-responsibility"],
      ["/orders/{id} only checks a session, not that the order is actually yours", "api-security"],
      [
        "someone pasted the db password into a public gist, what are the steps right now?",
        "incident-response",
      ],
      // "First move", "next move", "the first thing we'd do", "what should we be doing right now".
      ["falco just fired on a shell in a prod pod. what should we be doing right now?", "incident-response"],
      ["if one of our lambdas got compromised, what's the first thing we'd do?", "incident-response"],
      [
        "one of our gke pods looks compromised, crypto miner running. what's the first move?",
        "incident-response",
      ],
      [
        "if an ec2 box gets hacked what would be our next move, pull it from the load balancer?",
        "incident-response",
      ],
    ];
    await expectLeads(leads);
    const open = await bare.answerQuestion(
      "lambda function url with no auth for a partner webhook, how bad?",
    );
    expect(cited(open)).toContain("api-security");
    // "The same as" weighs two models: the answer covers the shared kernel, not only the hypervisor.
    const same = await bare.answerQuestion(
      "containers are basically vms, isolation-wise the same as an ec2 box each?",
    );
    expect(same.intent).toBe("comparison");
    expect(cited(same)).toContain("container-escape-shared-kernel");
    // "Where should we store the token?" is the second question of the message.
    await expectCites([
      [
        "the new lambda reads from sqs and posts to slack, what permissions does it need and where should we store the webhook token?",
        "secrets-management",
      ],
    ]);
  });

  it("reads workloads that all reach each other as segmentation, and 'the customer's job' as ownership", async () => {
    const flat = await bare.answerQuestion(
      "we move the app to kubernetes next quarter. can all the containers talk with each other freely inside the cluster?",
    );
    expect(cited(flat)[0]).toBe("kubernetes-network-policies");
    const anything = await bare.answerQuestion(
      "moving from cloud run to gke. on cloud run nothing could talk to anything by default, is gke the same?",
    );
    expect(cited(anything)[0]).toBe("kubernetes-network-policies");
    const job = await bare.answerQuestion(
      "which of these is not the customer's job on lambda: the role policy or the host os?",
    );
    expect(cited(job)[0]).toBe("shared-responsibility");
  });

  it("reads missing TLS, broad secret access, lost evidence, recovery and short-lived tasks by their concern", async () => {
    const leads: [string, string][] = [
      ["who should be allowed to run update-function-code on prod lambdas?", "access-control"],
      ["ecs tasks talk to rds without tls, a problem?", "data-encryption-keys"],
      ["the lambda role can read every secret in secrets manager", "excessive-function-permissions"],
      ["a pod in aks got compromised, do we just delete it?", "incident-response"],
      ["lambdas write to aurora; could we actually recover the database?", "backup-restore"],
      ["our tasks come and go all day, how do we hold on to what they printed?", "ephemeral-logging"],
    ];
    await expectLeads(leads);
  });

  it("reads 'on us or google?' as who owns the layer, and files left in /tmp as warm reuse", async () => {
    const owner = await bare.answerQuestion(
      "gke autopilot: patching the kubelet when a cve lands, is that on us or google?",
    );
    expect(cited(owner)[0]).toBe("shared-responsibility");
    const tmp = await bare.answerQuestion("our cloud function writes uploads to /tmp and never deletes them");
    expect(cited(tmp)[0]).toBe("cold-starts");
  });

  it("reads quoted terms of the base, first-hour questions, hops between services, sprawl and console edits", async () => {
    const leads: [string, string][] = [
      [
        "what does 'golden image' mean for ec2? my lecturer kept saying it and i nodded along",
        "vm-golden-images",
      ],
      [
        "pretty sure an access key leaked from a laptop (it showed up in a public gist). what should we be doing in the first hour?",
        "incident-response",
      ],
      [
        "our exposure if someone compromises one service account in the cluster: can they hop to the other services?",
        "kubernetes-network-policies",
      ],
      ["do we need a raci for security duties across ec2 and lambda?", "shared-responsibility"],
      ["preview environments in our shared k8s cluster never get cleaned up", "container-sprawl"],
      // Several customers' workloads kept apart on one cluster is tenant isolation.
      [
        "we run several clients' jobs on the same k8s cluster, how do we keep them isolated properly?",
        "tenant-isolation",
      ],
      // Pods people start by hand and forget are sprawl too.
      [
        "devs spin up test pods in the shared cluster and forget them, is that a security issue or just mess?",
        "container-sprawl",
      ],
      ["with pay per execution on azure functions, what caps a runaway loop?", "denial-of-wallet"],
      ["who can snapshot our production ec2 instances from the console today?", "access-control"],
    ];
    await expectLeads(leads);
    const alarm = await bare.answerQuestion(
      "guardduty raised a finding on one of our ec2 instances, what do we do now?",
    );
    expect(cited(alarm)).toContain("incident-response");
    const edits = await bare.answerQuestion(
      "hand edits to prod functions keep happening, how do we stop them?",
    );
    expect(cited(edits)).toContain("access-control");
  });

  it("answers a terse question by its one rare concern word, netpol shorthand and 'still getting fixes'", async () => {
    const leads: [string, string][] = [
      ["do we actually need a waf", "edge-protection"],
      ["deny-all netpol on aks worth it?", "kubernetes-network-policies"],
      ["lambda recursion blew up our bill", "denial-of-wallet"],
    ];
    await expectLeads(leads);
    await expectCites([["k8s 1.25 still getting fixes?", "container-runtime-vulnerabilities"]]);
    // A general word ("safe") is no concern of its own: with no workload named, the bot asks back.
    expect((await bare.answerQuestion("hey quick one, is it safe?")).intent).toBe("clarify");
  });

  it("reads 'which deployment model' as weighing every model, a key file as a credential, and Docker's API on TCP", async () => {
    const which = await bare.answerQuestion(
      "which deployment model leaves the security team the least room to install its own host agents like EDR?",
    );
    expect(which.workload).toBe("undecided");
    expect(cited(which)[0]).toBe("vendor-tooling-limits");
    await expectLeads([
      [
        "our GCE app reads BigQuery with a service account JSON key file copied into /etc/app",
        "secrets-management",
      ],
    ]);
    await expectCites([
      [
        "one docker host running compose, the daemon listens on tcp 2375 so CI can deploy. bad?",
        "orchestration-security",
      ],
    ]);
  });

  it("reads a workload left running for months, finding out what an intruder did, and a poison message", async () => {
    await expectCites([
      [
        "a test pod someone left with a hostPath mount, running in the cluster for several months. risk?",
        "container-sprawl",
      ],
      [
        "an access key leaked last week. how do we see what the attacker actually did with it?",
        "audit-visibility",
      ],
      ["one poison message keeps coming back on our queue-triggered function", "denial-of-wallet"],
    ]);
  });

  it("reads 'functions compared with containers' as two models, 'who patches what', public load balancers, shared accounts and 'what do we actually do'", async () => {
    const unique = await bare.answerQuestion(
      "what's most unique to functions compared with containers, security-wise? I'd guess the warm environment being reused for the next caller",
    );
    expect(unique.workload).toBe("serverless");
    expect(cited(unique)[0]).toBe("cold-starts");
    await expectLeads([
      ["ec2, eks and lambda all in play. who actualy patches what?", "shared-responsibility"],
      [
        "the admin ui Service is type: LoadBalancer. fine since it has a login page?",
        "network-misconfiguration",
      ],
      [
        "our admin tool sits behind an internet-facing ALB with a login page, good enough?",
        "network-misconfiguration",
      ],
      [
        "two gaps: handlers log whole events, and prod and dev live in the same aws account",
        "account-separation",
      ],
    ]);
    await expectCites([
      ["the db password got pasted in a public gist. what do we actually do?", "incident-response"],
    ]);
  });

  it("reads nothing watching the workloads as runtime detection, and nothing capping calls as a cost attack", async () => {
    await expectLeads([
      [
        "a miner ran in our cluster for weeks and nothing was watching what the pods actually do",
        "dynamic-baselining",
      ],
      ["someone could script a million calls against our lambda api, what stops that?", "denial-of-wallet"],
    ]);
    await expectCites([
      ["our function url has no auth, and nothing caps how often it can be called", "denial-of-wallet"],
    ]);
  });

  it("reads BOLA, BFLA and IDOR as API authorisation, RCE as code execution, and CMEK as customer-managed keys", async () => {
    await expectLeads([
      ["what's BOLA (a.k.a. IDOR)? give one mitigation", "api-security"],
      ["bfla in our api?", "api-security"],
    ]);
    await expectCites([["rce in the lambda handler?", "insecure-function-code"]]);
    await expectCites([["should the disks of our payroll VMs use CMEK?", "data-encryption-keys"]]);
  });

  it("reads servers built or changed by hand as drift from a golden image", async () => {
    await expectLeads([
      [
        "our app servers are hand-built and every one is a bit different. does that matter?",
        "vm-golden-images",
      ],
    ]);
  });

  it("reads whose job a layer is, TLS turned off, refusing unsigned images, 'what CI built', a lock file, 'still on 1.27' and 'open to the world'", async () => {
    await expectLeads([
      [
        "odd one out, which is not the team's job on cloud run: the app's dependencies, the host kernel, the service account scope?",
        "shared-responsibility",
      ],
      ["our go service connects to cloud sql with sslmode=disable, ok for now?", "data-encryption-keys"],
      ["how can we prove what runs in prod is what ci built?", "cicd-hardening"],
      // Two words a synonym knows written as one ("lockfile") mean the same apart.
      ["our python api on ecs has no lock file, big deal?", "third-party-dependencies"],
    ]);
    await expectCites([
      ["how do we make the aks cluster reject unsigned images?", "registry-access-signing"],
      ["aks still on 1.27, should we care?", "container-runtime-vulnerabilities"],
      // On Fargate the hosts are the provider's to harden; the image is still the team's to patch.
      ["moved the api to fargate, so patching is aws's problem now right?", "serverless-image-maintenance"],
      // A port open to the world is a network exposure as well as a way in.
      [
        "the ec2 bastion has port 22 open to the world, fine for a couple of weeks?",
        "network-misconfiguration",
      ],
    ]);
    // "Least risky" weighs models; it is not least privilege.
    const least = await bare.answerQuestion(
      "vm, containers or functions for the new reporting api: which is least risky?",
    );
    expect(cited(least)).not.toContain("least-privilege-service-accounts");
  });

  it("declines a colleague's request for help with a tool, unless it names a security concern", async () => {
    await expectDeclines([
      "anyone know how to make helm show a diff before an upgrade?",
      "how do I get terraform to print only the resources that change in a plan?",
      "is there a way to make k9s sort pods by restart count?",
      "is there a good way to turn our cloudwatch dashboards into grafana json?",
      // The request may follow a "helm question:" or close the message.
      "helm question: how do I loop over a map in values.yaml with range?",
      "quick one: how do I get terraform to output a list of subnet ids per az?",
      "our gradle builds got twice as slow after the upgrade, any ideas?",
      "kubectl completion stopped working in zsh after the upgrade, anyone seen that?",
      // Throughput is a question of capacity, not of security.
      "kafka vs kinesis for the analytics pipeline, which gives more throughput?",
    ]);
    await expectCites([
      // Narrowing who may invoke, capping how far it scales, typosquatting and drift are concerns.
      [
        "is there a way to cap how far one lambda can scale so it doesn't eat all the account's concurrency?",
        "denial-of-wallet",
      ],
      ["how do I keep typosquatted packages out of our builds?", "supply-chain-attacks"],
      ["how do I stop console changes drifting away from terraform?", "cloud-misconfiguration"],
      [
        "how do I make sure a function can only be invoked by our own queue?",
        "excessive-function-permissions",
      ],
      [
        "our lambda keeps getting invoked from an account we don't know, any ideas?",
        "excessive-function-permissions",
      ],
      // Stopping people from doing something, or enforcing a limit, is a guardrail.
      [
        "is there a way to stop people from launching stuff outside our two approved regions across every account?",
        "data-residency",
      ],
      [
        "is there a good way to make region limits actually enforced across all our aws accounts?",
        "data-residency",
      ],
    ]);
  });

  it("declines a tool question after a 'kubectl:' label, a request for recommendations or a study group", async () => {
    await expectDeclines([
      "kubectl: how do i list pods sorted by age?",
      "any recs for a node library that diffs two json files?",
      "which grafana dashboard do you all use for node memory? not for security, just capacity planning",
      // A word only a few entries use does not make a request for help with a tool a security question.
      "is there a way to make the EKS HPA scale on SQS queue depth?",
    ]);
    // The words past questions used do not make these answerable either.
    for (const q of [
      "anyone doing the AWS networking specialty this quarter? want to form a study group for the cost sections",
      "anyone tried the new EKS auto mode for node scaling?",
    ])
      expect((await qa.answerQuestion(q)).answer, q).toMatch(/^I don't know/);
    // A signing tool names a concern, whoever is asked for help.
    await expectCites([
      [
        "is there a way to have our cluster refuse any image we didn't build ourselves? cosign maybe?",
        "registry-access-signing",
      ],
    ]);
  });

  it("declines a question whose asker says it is not about security, or only about cost, speed or querying", async () => {
    await expectDeclines([
      "why is our terraform apply so slow lately? nothing security related, just curious",
      "dynamodb or postgres for the new reporting feature? mostly thinking about query flexibility",
    ]);
    // "Isn't security the provider's job?" is a security question.
    await expectCites([["on lambda isn't security basically the provider's job?", "shared-responsibility"]]);
  });

  it("reads a public holiday, a default shell, a desk monitor, a table scan or lock, a dev sandbox, Azure Monitor and bringing the bill down as everyday words, not concerns", async () => {
    await expectDeclines([
      "is the parking lot open on public holidays?",
      "how do I switch my default shell to fish?",
      "savings plan or reserved instances to bring the ec2 bill down?",
      "who do I talk to about getting a second monitor for my desk?",
      "when does mysql do a full table scan instead of using the index?",
      "how do I add an index in postgres without locking the table for hours?",
      "spot or on-demand for our dev sandbox account? purely a cost question",
      "how do I get p95 latency from azure monitor into a grafana panel?",
    ]);
  });

  it("asks back when someone else wants a review of a system nobody described", async () => {
    await expectAsksBack([
      "leadership wants a list of threats for the new thing by monday, what would you put on it?",
      "the cto wants to know what we need to check before launch",
      "any recommended controls for what we mentioned?",
      // "Context" is a word of the "securityContext" tag, not a concern of its own.
      "some context: launch is in a month and we haven't decided how we'll host it yet. what should we harden first?",
    ]);
    // Naming what they want done is a question of its own.
    await expectCites([
      [
        "management wants us to rotate the database password every 90 days on our ec2 app, how?",
        "secrets-management",
      ],
    ]);
  });

  it("asks back for a security review checklist, whether a system nobody described will pass the audit, or its 'secuirty concerns'", async () => {
    await expectAsksBack([
      "security review checklist pls?",
      "is our setup secure enough for the audit next month?",
      // A misspelt security word is still only a security word.
      "any secuirty concerns with our new app?",
    ]);
    // "Lunch" is not a misspelt launch.
    await expectDeclines(["is the team lunch on thursday?"]);
    // A meeting that moved is no migration.
    await expectDeclines([
      "is the all-hands still on friday or did it move?",
      "did the team lunch move to next week or is it still wednesday?",
    ]);
    // An audit coming up is the occasion; a question about the audit trail is still answered.
    await expectCites([
      ["before the audit: how long should we keep our cloudtrail logs?", "audit-visibility"],
    ]);
  });

  it("reads 'who should have admin on it?' as a question of who may administer", async () => {
    await expectCites([
      [
        "we run our own proxmox cluster; who should really have root on the hypervisor hosts? today it's the whole ops team",
        "access-control",
      ],
    ]);
  });

  it("reads 'aws keys' as a cloud credential, not a way in over ssh", async () => {
    await expectLeads([
      ["ssrf in our app on ec2 and the attacker got aws keys, how did that happen?", "instance-metadata"],
    ]);
    await expectCites([["someone pasted aws creds into the wiki, what now?", "secrets-management"]]);
  });

  it("reads credentials kept on a server as secrets to manage", async () => {
    await expectCites([
      [
        "the app on our new ec2 boxes needs database credentials; today they sit in a properties file on disk. better way on aws?",
        "secrets-management",
      ],
    ]);
  });

  it("reads a machine 'bogged down' by its neighbours as contention for its resources", async () => {
    await expectLeads([
      [
        "postgres and the api share one vm and the box gets bogged down at peak, concern?",
        "resource-contention",
      ],
    ]);
  });

  it("reads 'nothing left to patch' as asking what the team still patches, and 'no servers to patch' as a premise", async () => {
    await expectCites([
      ["once we're all on lambda we won't need to patch anything, correct?", "third-party-dependencies"],
      ["azure functions: we're done with patching now?", "third-party-dependencies"],
      // The packages in a function's bundle are the team's libraries, whatever the provider patches.
      [
        "do we still own the pip packages in our lambda zip if aws patches python?",
        "third-party-dependencies",
      ],
      [
        "on cloud functions, are the npm packages in our bundle google's problem or ours?",
        "third-party-dependencies",
      ],
    ]);
    await expectLeads([
      ["we're on cloud run now so nothing to patch anymore, right?", "serverless-image-maintenance"],
    ]);
    // A VM fleet with no patch schedule is unpatched hosts, not a team thinking patching is over.
    await expectLeads([["no patching process on our vms and default os images, what first?", "vm-patching"]]);
    // The true premise does not pull the libraries in ahead of what the question asks about.
    await expectCites([
      [
        "now that there are no servers to patch, which bugs in our function code matter most?",
        "insecure-function-code",
      ],
    ]);
  });

  it("reads a store whose event starts the function, unpickling, 'how far can they get?' and who exec'd into a pod", async () => {
    await expectLeads([
      ["we unpickle messages from the queue in a cloud function, how bad?", "insecure-function-code"],
      [
        "if someone gets code exec in one of our pods, how far can they get?",
        "least-privilege-service-accounts",
      ],
      ["can we tell who exec'd into the payments pod last night?", "audit-visibility"],
    ]);
    await expectCites([
      [
        "our lambda writes thumbnails into the bucket whose upload event kicks it off, risk?",
        "denial-of-wallet",
      ],
    ]);
  });

  it("reads services running side by side on one machine as competing for it", async () => {
    await expectCites([
      ["we run four apps side by side on one ec2 box, any concerns?", "resource-contention"],
      ["six services on a single vm, what could go wrong between them?", "resource-contention"],
    ]);
  });

  it("reads a team's own account as account separation, and 'nobody will babysit it' as who owns the layers", async () => {
    await expectLeads([
      ["give the data science team a dedicated account or a role in the shared one?", "account-separation"],
      [
        "a single t3.micro or a lambda behind api gateway for a tiny internal api nobody will babysit: which is safer?",
        "shared-responsibility",
      ],
    ]);
  });

  it("naming several models, keeps the question's own concerns in the first three over a weak entry of one model", async () => {
    const cases: [string, string][] = [
      [
        "patching: we run on-prem VMware VMs, AKS node pools and Azure Functions. what does patched mean for each of them, and who does it?",
        "vm-patching",
      ],
      [
        "payments API on ECS Fargate or on Lambda behind API Gateway? which leaves my team owning less of the security work?",
        "shared-responsibility",
      ],
      [
        "are lambda layers from some random vendor the same risk as pulling community images into our k8s deployments?",
        "image-trust-pinning",
      ],
      [
        "if we get breached, which platform leaves the least evidence to dig through afterwards: VMs, Fargate or Lambda?",
        "ephemeral-logging",
      ],
    ];
    for (const [q, id] of cases) expect(cited(await qa.answerQuestion(q)).slice(0, 3), q).toContain(id);
  });

  it("asks back on a general security question whose other words name no topic; office questions still get 'I don't know'", async () => {
    await expectAsksBack([
      "hardening tips?",
      "which of these is riskier in your opinion?",
      "which one's safer?",
      "is it safer to do it the other way instead?",
      "any concerns with the new thing we're shipping next sprit?",
    ]);
    await expectDeclines([
      "what are the risks of moving the standup to 9am?",
      "any concerns about the offsite venue?",
    ]);
  });

  it("asks back on a request for advice about something the message only points at", async () => {
    await expectAsksBack([
      "quick one: what's the recommended approach here?",
      "any red flags in how we deploy?",
      "the auditors want to know how we handle this, what do I say?",
      "can someone sanity check our architecture before friday?",
    ]);
    await expectDeclines([
      "who's running the design review on thursday?",
      "what's the recommended pizza place here?",
    ]);
  });

  it("asks back on a request to review a system nobody described, but answers one that names its concern", async () => {
    await expectAsksBack([
      "we're spinning up a new service for the partner team and the timeline is tight. what do I need to think about security-wise?",
      "can someone give me a quick threat model for the new project? no design doc yet",
      "we haven't decided how we'll host the new partner portal yet, what should we keep in mind?",
      // Words nearly every entry uses ("data") or parts of a tag ("manager" of patch-manager) name no concern.
      "my manager wants a list of the top risks for the new data platform, what goes on it?",
      "we're spinning up something for the data team, what are the main security things to think about?",
      // The words of the request ("security checklist") are not its concern.
      "what's the security checklist before going to prod?",
      // A checklist for going live, or risks to think about with no decision made yet.
      "is there a checklist for going live? dont want to miss the obvious stuff",
      "new project starting next month, no decision yet on hosting, what risks should we think about?",
      // Someone else's breach, or a sign-off, is the occasion for the question.
      "saw the news about that breach at a bank, could the same thing happen to us?",
      "is there anything security needs to sign off on before the platform team moves our stuff next month?",
      // "What are the risks?" of a move nobody described.
      "we're moving the invoicing stuff to a new platform next month, what are the risks?",
    ]);
    await expectCites([
      ["we haven't decided where it runs yet; how should we handle secrets?", "secrets-management"],
      ["how do we prevent ssrf in the image fetcher", "instance-metadata"],
      ["hardening checklist for the new workload?", "os-hardening-checklists"],
      ["security considerations for logging?", "ephemeral-logging"],
      ["what are the top risks with secrets in env vars?", "secrets-management"],
      ["we have zero plan for what happens if prod gets hacked. where do we start?", "incident-response"],
      ["if prod got popped tonight nobody would know what to do, where do we start?", "incident-response"],
    ]);
  });

  it("declines tooling questions (slow plans, time zones, templating) unless they name a concern", async () => {
    await expectDeclines([
      "terraform plan super slow today, anyone else?",
      "how do I set the timezone for cron schedules in github actions?",
      "helm vs kustomize for templating, which is nicer?",
      "how do i make terraform plan output less noisy in ci?",
    ]);
    await expectLeads([
      // A noisy neighbour is a concern; noisy output is not.
      ["one noisy pod starves the others on the node, fix?", "resource-contention"],
      [
        "our api lambda is so slow, and its role has admin on the account. problem?",
        "excessive-function-permissions",
      ],
    ]);
  });

  it("answers a bare follow-up naming one model with who owns what there, and declines a status question", async () => {
    for (const q of ["and for k8s?", "same question but for fargate"]) {
      const a = await bare.answerQuestion(q);
      expect(a.workload, q).toBe("container");
      expect(cited(a)[0], q).toBe("shared-responsibility");
    }
    expect((await bare.answerQuestion("is lambda down?")).answer).toMatch(/^I don't know/);
  });

  it("answers a short 'what is…' question about a word of the base, with no workload named", async () => {
    await expectCites([
      ["what's SSRF", "instance-metadata"],
      ["what is an SBOM", "artifact-vulnerability-scanning"],
      ["what is RPO", "backup-restore"],
      ["what is a service mesh", "data-encryption-keys"],
    ]);
    // How isolation is "like" depends on the workload nobody named.
    expect((await bare.answerQuestion("what's the isolation like")).intent).toBe("clarify");
  });

  it("keeps 'I don't know' for questions outside the base", async () => {
    const a = await qa.answerQuestion("What's the best pizza in Rome?");
    expect(a.grounded).toBe(false);
    expect(a.answer).toMatch(/^I don't know/);
  });

  it("comparison of functions and VMs on isolation: the deciding difference is who controls the boundary", async () => {
    const a = await qa.answerQuestion("is firecracker isolation between lambdas as strong as separate vms?");
    expect(a.intent).toBe("comparison");
    expect(a.answer).toMatch(
      /^The deciding difference is who controls the boundary: each VM runs its own kernel/,
    );
    expect(cited(a)[0]).toBe("hypervisor-isolation");
  });

  it("what is unique to containers against functions: leads with the shared kernel", async () => {
    const a = await qa.answerQuestion("what risks do only containers have that functions dont?");
    expect(a.intent).toBe("unique");
    expect(a.workload).toBe("container");
    expect(cited(a)[0]).toBe("container-escape-shared-kernel");
  });

  it("finds the entry for a question in product names and jargon the entries do not use", async () => {
    const cases: [string, string][] = [
      ["cloud armor in front of the gke ingress, worth it?", "edge-protection"],
      ["should we set up SCPs so nobody can turn off cloudtrail or use other regions", "account-separation"],
      ["is postgres RLS worth it or is filtering in the app layer good enough?", "tenant-isolation"],
      ["istio or linkerd just for service to service encryption, overkill?", "data-encryption-keys"],
      ["the ALB terminates TLS and talks http to the targets, is that fine?", "data-encryption-keys"],
      ["FROM python:3 in our Dockerfile, ok?", "image-trust-pinning"],
    ];
    for (const [q, id] of cases) expect(cited(await qa.answerQuestion(q)).slice(0, 3), q).toContain(id);
  });

  it("reads what a phrasing means: something happened, data is gone, a function feeds its own trigger", async () => {
    const cases: [string, string][] = [
      ["an access key leaked in a public github repo an hour ago, what now", "incident-response"],
      ["if someone runs DROP TABLE in prod how fast do we get it back", "backup-restore"],
      ["Our Lambda writes to the bucket that triggers it", "denial-of-wallet"],
      ["with aks what does microsoft patch and what is on us", "shared-responsibility"],
      [
        "exam: a customer changes the invoice id in the url and sees someone else's invoice. which threat?",
        "api-security",
      ],
    ];
    for (const [q, id] of cases) expect(cited(await qa.answerQuestion(q)).slice(0, 3), q).toContain(id);
  });

  it("reads a negated word as its topic, and does not count a vague word like 'risky' against the question", async () => {
    expect(cited(await qa.answerQuestion("the registry accepts unsigned images"))[0]).toBe(
      "registry-access-signing",
    );
    expect(cited(await qa.answerQuestion("some of our api endpoints are unauthenticated"))[0]).toBe(
      "api-security",
    );
    const a = await qa.answerQuestion("users can upload svg and pdf files that a function converts, risky?");
    expect(a.grounded).toBe(true);
    expect(cited(a).slice(0, 3)).toContain("event-injection");
  });

  it("does not take a database instance, a build server or a package registry for the workload", async () => {
    for (const q of [
      "aws managed keys or CMKs for the rds instance?",
      "our jenkins server has an iam user with admin keys to deploy everything, fine?",
      "dependency confusion with our internal package names on the public npm registry, how do we prevent it",
    ])
      expect((await qa.answerQuestion(q)).workload, q).toBe("undecided");
  });

  it("declines a request for a credential's value, but answers where credentials belong", async () => {
    const a = await qa.answerQuestion("whats the pin for the office alarm");
    expect(a.grounded).toBe(false);
    expect(a.answer).toMatch(/^I don't know/);
    const b = await qa.answerQuestion("where should the db password be stored?");
    expect(cited(b)[0]).toBe("secrets-management");
  });

  it("reads intent from phrasing", () => {
    expect(detectIntent("Serverless vs containers for a payments API?")).toBe("comparison");
    expect(detectIntent("is it ok to run as root?")).toBe("is-ok");
    expect(detectIntent("how do we rotate secrets?")).toBe("how-to");
    expect(detectIntent("which threat is this: stolen keys")).toBe("which-threat");
    expect(detectIntent("what is unique to serverless?")).toBe("unique");
    expect(detectIntent("what risks do only containers have?")).toBe("unique");
    expect(detectIntent("are lambdas as isolated as vms?")).toBe("comparison");
    expect(detectIntent("ECS or Lambda for the public API?")).toBe("comparison");
    // "ok or …?" asks for a verdict on one choice, not for two options weighed.
    expect(detectIntent("the api and the jobs share one iam role. ok or split it?")).toBe("is-ok");
    expect(detectIntent("public bucket for the assets, fine or not?")).toBe("is-ok");
    expect(
      detectIntent("python 3.7 is deprecated on our lambdas, is that a security thing or just annoying?"),
    ).not.toBe("comparison");
    expect(detectIntent("separate vm per customer or sandboxed pods? pros/cons")).toBe("comparison");
    expect(detectIntent("exam: rank vms and containers by how well they isolate workloads")).toBe(
      "comparison",
    );
  });

  it("two models sharing one thing is not a comparison: answers the topic for both", async () => {
    const a = await qa.answerQuestion(
      "the api on ecs and the nightly jobs on lambda both use the same iam role. ok or split it?",
    );
    expect(a.intent).toBe("is-ok");
    expect(cited(a)).toEqual(expect.arrayContaining(["least-privilege-service-accounts"]));
    expect(cited(a)).not.toContain("shared-responsibility");
  });

  it("answers a question weighing two named models, whatever other words it uses", async () => {
    const a = await qa.answerQuestion("is lambda really more secure than k8s or is that just hype?");
    expect(a.intent).toBe("comparison");
    expect(a.grounded).toBe(true);
    expect(a.answer).toMatch(/^The deciding difference/);
  });
});

describe("threatbot ask", () => {
  it("--json asks back on a vague question, with intent clarify and no citations", async () => {
    const r = await runCliProcess(["ask", "is our setup secure?", "--json"]);
    expect(r.code).toBe(0);
    const a = AnswerJson.parse(JSON.parse(r.stdout));
    expect(a).toMatchObject({ intent: "clarify", grounded: false, citations: [] });
    expect(a.answer).toContain("/threatmodel");
  });

  it("prints a comparison's deciding difference first", async () => {
    const r = await runCliProcess(["ask", "Containers or serverless functions: which needs more patching?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^\*\*Answer for any workload:\*\* The deciding difference is who patches below your code/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { detectWorkload } from "../../src/qa/workload.js";

describe("reading the workload from a question", () => {
  it.each([
    ["What changes if we move this service to Lambda?", "serverless"],
    ["We are migrating from EC2 to Lambda; what do we stop worrying about?", "serverless"],
    ["Moving our API from Lambda onto EKS: what do we take on?", "container"],
    ["Our Lambda ships as a container image; who patches it?", "serverless"],
    ["lambda container imgs - who patches the base os?", "serverless"],
    // "Compared to before" weighs the move against the past; the model moved to is the one asked about.
    [
      "Moved our SaaS from one VM per customer to a single multi-tenant Lambda backend. New risks compared to before?",
      "serverless",
    ],
    // A follow-up naming one of the models ranked does not narrow the ranking to it.
    [
      "Rank by isolation: containers sharing a node, separate VMs. Where do Kata containers fit?",
      "undecided",
    ],
    // "got into" is no move: the pod is where the attacker started, the node where they went next.
    ["If someone got into one of our EKS pods, could they get from there onto the EC2 node?", "undecided"],
    ["Do Fargate tasks need seccomp?", "container"],
    ["Should our pods run as root?", "container"],
    ["How do we harden the AMI for our EC2 fleet?", "vm"],
    ["Our function logs every event; is that risky?", "serverless"],
    ["ECS or Lambda, which is cheaper to secure?", "undecided"],
    ["Compare EC2 to Fargate for a payments service", "undecided"],
    ["How should we store API keys?", "undecided"],
    // Self-run hypervisors, pasted Terraform resources and server configuration name their model.
    ["is our vcenter reachable from the office wifi?", "vm"],
    ['`metadata_options { http_tokens = "optional" }` on the aws_instance, risky?', "vm"],
    ["aws_ecs_task_definition has privileged = true, ok?", "container"],
    ["PermitRootLogin yes in sshd_config on the bastion, fine?", "vm"],
    // An EC2 action on a role names an API it may call, not where the workload runs.
    ["our function's role has ec2:CreateNetworkInterface on * so it can sit in the VPC, ok?", "serverless"],
    ["sshd baked into the container image for debugging?", "container"],
    // Two models weighed by name, one of them by a weaker word, are both named.
    ["will the integration run as containers or functions? how do we treat its input", "undecided"],
    ["default deny netpol needed?", "container"],
    ["kyverno or plain RBAC to stop bad manifests?", "container"],
    ["a hostPath mount for the statefulset's storage, safer way?", "container"],
    ["someone hammered our cloudflare worker and the bill jumped", "serverless"],
    // A storage account's blob container is not a container workload.
    ["our azure function writes to a public blob container, fine?", "serverless"],
    // A move onto a model is about that model, with a word or two between.
    ["moving the monolith from containers onto dedicated compute engine vms: what shifts to us?", "vm"],
    // The sentence that asks names the model asked about; the others set the scene.
    [
      "On EKS every service gets its own IRSA role. Over on Lambda, may 40 functions share one role?",
      "serverless",
    ],
    ["We patch our EC2 fleet monthly. For the EKS worker nodes, should we patch in place too?", "container"],
    // An asking sentence that weighs its model against the scene's ("is that worse than…") weighs both.
    ["Our Lambdas return full stack traces on errors. Is that any worse than on our VMs?", "undecided"],
    // "How we'll host it" is a verb, not a VM.
    ["we haven't decided how we'll host the partner portal, what matters most?", "undecided"],
    ["We run services on ECS and jobs on Lambda. Which is easier to isolate?", "undecided"],
    ["Should we use ECS or Lambda? Lambda seems simpler.", "undecided"],
    // Someone else's host is not where the workload runs.
    ["A package's postinstall script curls an external host. What should we change?", "undecided"],
    ["If a workload is compromised, could it send data out to some random host?", "undecided"],
    ["With no egress filtering, anything we run can reach any host on the internet. Fix?", "undecided"],
    ["the kube api server is reachable from the internet, does that matter with rbac?", "container"],
    // A list after "to" names every model deployed to, not one moved to.
    ["Our pipeline deploys to VMs, AKS and Functions with one client secret. Acceptable?", "undecided"],
    ["migrating our VMs to EKS, what changes for patching?", "container"],
    // An EC2 instance type names a VM; IaaS is VMs; an Azure Function App is a function; a Node app is no cluster node.
    ["two apps share one m5.xlarge and one keeps eating all the memory", "vm"],
    ["shared responsibility for IaaS vs FaaS in three sentences?", "undecided"],
    ["Jenkins deploys both to AKS and to our Function apps with one secret", "undecided"],
    ["how would you defend a node app against typosquatting?", "undecided"],
    // "Attached to" moves nothing; a move needs a verb of moving.
    [
      "Lambdas write to DynamoDB, the rest is on EBS volumes attached to our EC2 hosts. Restores?",
      "undecided",
    ],
    [
      "We deploy the EKS manifests and the SAM stacks from CI with one access key. Better pattern?",
      "undecided",
    ],
  ])("%s -> %s", (question, workload) => {
    expect(detectWorkload(question).workload).toBe(workload);
  });

  it("lists every model a comparison names", () => {
    expect(detectWorkload("Kubernetes vs Lambda vs EC2 for a batch job?").mentioned.sort()).toEqual([
      "container",
      "serverless",
      "vm",
    ]);
  });
});

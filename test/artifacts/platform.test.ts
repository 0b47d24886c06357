import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { combineFileFacts } from "../../src/artifacts/combine.js";
import { scanPaths } from "../../src/artifacts/scan.js";
import { ARTIFACTS, TODAY } from "./support.js";

const platformOf = async (...files: string[]) =>
  (
    await scanPaths(
      files.map((f) => join(ARTIFACTS, f)),
      { today: TODAY },
    )
  ).platform;

describe("platform proposed from the files", () => {
  it.each([
    ["lambda/sam-open-url.yaml", "lambda-zip"],
    ["lambda/sam-image.yaml", "lambda-image"],
    ["lambda/serverless-image.yml", "lambda-image"],
    ["lambda/serverless.yml", "lambda-zip"],
    ["infra/taskdef.json", "ecs-fargate"],
    ["infra/cfn-ecs.yaml", "ecs-ec2"],
    ["infra/ecs-fargate.tf", "ecs-fargate"],
    ["infra/instance-imdsv1.tf", "cloud-vm"],
    ["infra/plan.json", "cloud-vm"],
    ["infra/vm-session-manager.tf", "cloud-vm"],
    ["compose/docker-compose.yml", "docker-host"],
    ["k8s/eks-irsa.yaml", "eks"],
  ])("%s → %s", async (file, platform) => {
    const proposal = await platformOf(file);
    expect(proposal?.platform).toBe(platform);
    expect(proposal?.evidence[0]?.file).toContain(file.split("/")[1]);
  });

  it("a Deployment alone leaves EKS or self-managed Kubernetes for the team to confirm", async () => {
    const proposal = await platformOf("k8s/deployment-root.yaml");
    expect(proposal?.platform).toBeUndefined();
    expect(proposal?.candidates).toEqual(["eks", "self-managed-k8s"]);
    expect(proposal?.note).toContain("cannot tell EKS from a self-managed cluster");
  });

  it("a Deployment with an EKS cluster in the Terraform is EKS", async () => {
    expect((await platformOf("k8s/deployment-root.yaml", "infra/eks.tf"))?.platform).toBe("eks");
  });

  it("files of different platforms ask the team to pick", async () => {
    const proposal = await platformOf("lambda/sam-open-url.yaml", "infra/instance-imdsv1.tf");
    expect(proposal?.platform).toBeUndefined();
    expect(proposal?.candidates.sort()).toEqual(["cloud-vm", "lambda-zip"]);
  });

  it("a Dockerfile alone proposes no platform", async () => {
    expect(await platformOf("docker/latest.Dockerfile")).toBeUndefined();
  });
});

describe("one value per fact", () => {
  it("takes the weakest image reference, any container as root, and any function without a cap", async () => {
    const scan = await scanPaths(
      [
        "docker/digest.Dockerfile",
        "docker/latest.Dockerfile",
        "docker/version-tag.Dockerfile",
        "lambda/serverless.yml",
      ].map((f) => join(ARTIFACTS, f)),
      { today: TODAY },
    );
    const combined = new Map(combineFileFacts(scan.facts).map((f) => [f.fact, f]));
    expect(combined.get("image.ref")).toMatchObject({
      value: "latest",
      file: expect.stringContaining("latest.Dockerfile"),
    });
    expect(combined.get("container.runs-as-root")).toMatchObject({ value: true, line: 1 });
    expect(combined.get("fn.concurrency-cap")).toMatchObject({ value: false, resource: "function api" });
  });
});

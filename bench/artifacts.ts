import { parseAllDocuments } from "yaml";
import { scanFiles } from "../src/artifacts/scan.js";
import { loadKnowledgeBase } from "../src/core/knowledge/load.js";
import { type BenchRow, percentile } from "./report.js";
import { FILE_STORIES, loadStory, questionsAsked, storyFacts } from "./stories.js";

/** A `terraform show -json` plan (one line, as Terraform prints it) with n resources of the kinds scanned. */
export function generatedPlan(n: number): string {
  const resources = Array.from({ length: n }, (_, i) => {
    const name = `r${i}`;
    switch (i % 6) {
      case 0:
        return resource("aws_instance", name, {
          ami: "ami-0abcdef1234567890",
          metadata_options: [{ http_tokens: i % 12 === 0 ? "optional" : "required" }],
          root_block_device: [{ encrypted: i % 4 === 0 }],
        });
      case 1:
        return resource("aws_security_group", name, {
          ingress: [
            {
              from_port: i % 5 === 0 ? 22 : 443,
              to_port: i % 5 === 0 ? 22 : 443,
              protocol: "tcp",
              cidr_blocks: ["0.0.0.0/0"],
            },
          ],
        });
      case 2:
        return resource("aws_iam_policy", name, {
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: i % 4 === 0 ? "s3:*" : ["s3:GetObject"],
                Resource: `arn:aws:s3:::b${i}/*`,
              },
            ],
          }),
        });
      case 3:
        return resource("aws_lambda_function", name, {
          runtime: i % 2 === 0 ? "nodejs16.x" : "nodejs22.x",
          timeout: 900,
          reserved_concurrent_executions: -1,
          vpc_config: [],
          tracing_config: [{ mode: "PassThrough" }],
          dead_letter_config: [],
          environment: [{ variables: { TABLE: `t${i}`, API_TOKEN: `tok_${i}_Zk29fLq8Rw3nVb7x` } }],
          package_type: "Zip",
        });
      case 4:
        return resource("aws_ebs_volume", name, { size: 20, encrypted: i % 3 === 0 });
      default:
        return resource("aws_s3_bucket_acl", name, {
          bucket: `b${i}`,
          acl: i % 4 === 0 ? "public-read" : "private",
        });
    }
  });
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.9.5",
    planned_values: { root_module: { resources } },
  });
}

const resource = (type: string, name: string, values: Record<string, unknown>) => ({
  address: `${type}.${name}`,
  mode: "managed",
  type,
  name,
  values,
});

/** A Kubernetes manifest of n documents: Deployments, Services and NetworkPolicies in turn. */
export function generatedManifest(n: number): string {
  const docs = Array.from({ length: n }, (_, i) => {
    if (i % 3 === 1) {
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  type: ${i % 2 ? "LoadBalancer" : "ClusterIP"}\n  selector: { app: app-${i} }\n  ports:\n    - port: 80\n`;
    }
    if (i % 3 === 2) {
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-${i}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`;
    }
    return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  selector:
    matchLabels: { app: app-${i} }
  template:
    metadata:
      labels: { app: app-${i} }
    spec:
      securityContext:
        runAsNonRoot: ${i % 2 === 0}
      containers:
        - name: app
          image: registry.example.com/app-${i}:${i % 4 === 0 ? "latest" : "1.2.3"}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: ${i % 5 === 0}
          resources:
            limits: { cpu: 500m, memory: 256Mi }
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              value: pw-${i}-Xk29fLq8Rw3n
`;
  });
  return docs.join("---\n");
}

function timeRuns(runs: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  return (async () => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      samples.push(performance.now() - t0);
    }
    return samples;
  })();
}

async function benchOne(
  label: string,
  file: string,
  text: string,
  bareLabel: string,
  bare: () => unknown,
): Promise<BenchRow[]> {
  const today = new Date("2026-11-30T00:00:00Z");
  const first = await scanFiles([{ file, text }], { today });
  // Warm both paths up so the figures compare steady states, not the first compilation.
  await timeRuns(3, () => scanFiles([{ file, text }], { today }));
  await timeRuns(3, () => bare());
  const scanMs = percentile(await timeRuns(7, () => scanFiles([{ file, text }], { today })), 50);
  const bareMs = percentile(await timeRuns(7, () => bare()), 50);
  const facts = first.facts.length;
  return [
    { metric: `${label}: facts found`, value: facts, unit: "facts" },
    {
      metric: `${label}: facts found per second (scan, p50 of 7)`,
      value: facts / (scanMs / 1000),
      unit: "facts/s",
      baseline: {
        label: `facts per second if scanning cost only the ${bareLabel}`,
        value: facts / (bareMs / 1000),
      },
    },
    {
      metric: `${label}: scan time (p50 of 7)`,
      value: scanMs,
      unit: "ms",
      baseline: { label: bareLabel, value: bareMs },
      target: "< 2 s",
      met: scanMs < 2000,
    },
  ];
}

/** Questions a review asks on each story, with the team's files and without them. */
async function benchStories(): Promise<BenchRow[]> {
  const kb = loadKnowledgeBase();
  const rows: BenchRow[] = [];
  for (const id of FILE_STORIES) {
    const story = loadStory(id);
    const without = questionsAsked(kb, story, []).length;
    const withFiles = questionsAsked(kb, story, await storyFacts(id)).length;
    const fewer = 1 - withFiles / without;
    rows.push({
      metric: `${id} (${story.workload}): questions asked with its files`,
      value: withFiles,
      unit: "questions",
      baseline: { label: "without files", value: without },
      target: ">= 40% fewer",
      met: fewer >= 0.4,
    });
  }
  return rows;
}

export async function benchArtifacts(): Promise<BenchRow[]> {
  const plan = generatedPlan(1000);
  const manifest = generatedManifest(500);
  return [
    ...(await benchStories()),
    ...(await benchOne("Terraform plan, 1,000 resources", "plan.json", plan, "bare JSON.parse", () =>
      JSON.parse(plan),
    )),
    ...(await benchOne(
      "Kubernetes manifest, 500 documents",
      "manifest.yaml",
      manifest,
      "bare yaml parseAllDocuments + toJS",
      () => parseAllDocuments(manifest).map((d) => d.toJS()),
    )),
  ];
}

/** Workload names, kept free of zod so the command line can check them before loading anything heavy. */
export const WORKLOADS = ["vm", "container", "serverless", "undecided"] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export function isWorkload(value: string): value is WorkloadName {
  return (WORKLOADS as readonly string[]).includes(value);
}

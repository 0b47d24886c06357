import { InvalidArgumentError } from "commander";
import { isWorkload, type WorkloadName } from "../core/knowledge/workloads.js";

/** Command-line argument parsers shared by the commands. */
export function workloadArg(value: string): WorkloadName {
  if (!isWorkload(value)) throw new InvalidArgumentError("use vm, container, serverless or undecided");
  return value;
}

export function reviewId(value: string): number {
  const id = Number(value.replace(/^#/, ""));
  if (!Number.isInteger(id) || id <= 0)
    throw new InvalidArgumentError("a review id is a positive number, e.g. 12");
  return id;
}

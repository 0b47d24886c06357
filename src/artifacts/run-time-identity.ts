import type { Findings, PathStep, SecretCandidate } from "./findings.js";

/**
 * The cloud identity a workload runs with, whatever the platform: a Lambda execution role, a VM instance
 * profile, a Kubernetes service account bound to a role. The platform hands such a role short-lived
 * credentials at run time, so the workload needs no long-lived access key.
 *
 * Why `iam.static-keys = false` is safe here: it is a per-file finding, and when facts are combined any
 * `true` wins (see combine.ts). An access key resource or key material in configuration anywhere in the
 * given files therefore still makes the workload a long-lived-key user; only a file set that shows the
 * run-time role and no key at all ends up false.
 */
export function roleAssumedAtRunTime(f: Findings, path: PathStep[], what: string): void {
  f.add("iam.static-keys", false, path, `${what}: role assumed at run time, no access key`);
}

/** An access key created for a user: long-lived credentials someone copies into the workload. */
export function accessKeyCreated(f: Findings, path: PathStep[]): void {
  f.add("iam.static-keys", true, path);
}

/**
 * An identity the workload's own files create for it alone (its execution role, its instance profile, a
 * service user with its key): not another workload's. A key handed around beyond it is the static-keys
 * threat, decided separately.
 */
export function identityOfItsOwn(f: Findings, path: PathStep[], what: string): void {
  f.add("iam.shared-role", false, path, `${what}: created for this workload alone`);
}

// AWS's documented variable names for key material, and the shape of a long-lived key id (AKIA…; the
// ASIA… ids of temporary credentials are not long-lived).
const KEY_NAMES = new Set(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
const LONG_LIVED_KEY_ID = /^AKIA[A-Z0-9]{16}$/;

/** A secret found in configuration that is itself a long-lived cloud access key. */
export const isAccessKey = (c: Pick<SecretCandidate, "name" | "value">): boolean =>
  KEY_NAMES.has(c.name.toUpperCase()) || LONG_LIVED_KEY_ID.test(c.value.trim());

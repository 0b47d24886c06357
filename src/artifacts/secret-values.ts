import { maskSecrets, secretLikeName } from "../core/secrets/mask.js";
import type { Findings, PathStep, SecretCandidate } from "./findings.js";

// Values that point at a secret instead of holding one: CloudFormation dynamic references, serverless
// variables, shell and Compose interpolation, secret-manager and parameter-store ARNs.
const REFERENCE = /^(?:\{\{resolve:|\$\{|\$[A-Za-z_]|arn:aws[\w-]*:(?:secretsmanager|ssm|kms):)/;

export const isReference = (value: string) => REFERENCE.test(value.trim());

/** Literal string values of an environment map, as candidates for a secret-in-clear finding. */
export function envSecretCandidates(
  f: Findings,
  env: Record<string, unknown>,
  path: PathStep[],
  fact: SecretCandidate["fact"],
): void {
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== "string" && typeof value !== "number") continue;
    f.secret({ fact, name, value: String(value), path: [...path, name] });
  }
}

// DB_PASSWORD_FILE=/run/secrets/db names where a secret is, not the secret.
const POINTER_NAME = /[_-](?:FILE|PATH|DIR|ARN|NAME)$/i;

/**
 * Which candidates hold a secret: a literal value under a secret-looking name, or a value the secret
 * scanner recognises (AWS keys, Slack tokens, connection strings with passwords…). One scan per file.
 */
export async function secretCandidatesThatLeak(candidates: SecretCandidate[]): Promise<SecretCandidate[]> {
  const literal = candidates.filter(
    (c) => !POINTER_NAME.test(c.name) && (c.nameIsEnough || (c.value.length > 0 && !isReference(c.value))),
  );
  if (literal.length === 0) return [];
  const lines = literal.map((c) => `${c.name}=${c.value.replace(/\s+/g, " ")}`);
  const { findings } = await maskSecrets(lines.join("\n"));
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.length + 1;
  }
  const flagged = new Set<number>();
  for (const finding of findings) {
    let i = starts.length - 1;
    while (i > 0 && (starts[i] ?? 0) > finding.start) i--;
    flagged.add(i);
  }
  return literal.filter((c, i) => flagged.has(i) || (c.nameIsEnough === true && secretLikeName(c.name)));
}

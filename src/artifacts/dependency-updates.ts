import { asArray, asString, isRecord } from "./documents.js";
import type { Findings } from "./findings.js";

/** A Dependabot configuration (.github/dependabot.yml): version 2 and a list of update entries. */
export const isDependabot = (data: unknown): data is Record<string, unknown> =>
  isRecord(data) &&
  Number(data.version) === 2 &&
  asArray(data.updates).some((u) => isRecord(u) && typeof u["package-ecosystem"] === "string");

// Ecosystems that are not the libraries the workload ships: pipeline actions, base images, IaC providers.
const NOT_APPLICATION = new Set([
  "github-actions",
  "docker",
  "docker-compose",
  "terraform",
  "helm",
  "devcontainers",
  "gitsubmodule",
]);

/**
 * Dependabot opens update pull requests for each application ecosystem it lists; an entry with
 * `open-pull-requests-limit: 0` only raises security alerts, so it shows no automated updates.
 */
export function dependabotFacts(f: Findings, data: Record<string, unknown>): void {
  asArray(data.updates).forEach((u, i) => {
    if (!isRecord(u)) return;
    const ecosystem = asString(u["package-ecosystem"]) ?? "";
    if (NOT_APPLICATION.has(ecosystem) || Number(u["open-pull-requests-limit"]) === 0) return;
    f.for(`dependabot ${ecosystem}`).add("deps.auto-updates", true, ["updates", i, "package-ecosystem"]);
  });
}

/** Renovate's own configuration files, or any JSON that declares Renovate's schema. */
export function isRenovate(name: string, data: unknown): data is Record<string, unknown> {
  if (!isRecord(data)) return false;
  return (
    /^(?:renovate\.json|\.renovaterc(?:\.json)?)$/i.test(name) ||
    /renovate-schema/i.test(asString(data.$schema) ?? "")
  );
}

/** A Renovate configuration opens update pull requests unless it is switched off. */
export function renovateFacts(f: Findings, data: Record<string, unknown>): void {
  if (data.enabled === false) return;
  const key = ["extends", "packageRules", "$schema"].find((k) => k in data);
  f.for("renovate").add("deps.auto-updates", true, key ? [key] : []);
}

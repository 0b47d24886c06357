/**
 * Secrets pasted into answers are masked before they are stored or echoed. secretlint's
 * recommended preset finds known credential formats; the checks below add what it cannot see in
 * chat text: values after secret-looking names, and private keys cut short by a paste.
 */

import { tokenFindings } from "./patterns.js";

export interface SecretFinding {
  kind: string;
  /** Offsets in the original text. */
  start: number;
  end: number;
}

export interface MaskResult {
  text: string;
  findings: SecretFinding[];
}

// Names in the spirit of hadolint DL3064's list of secret-looking variables.
const NAME_WORDS =
  "password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credential|auth[_-]?key";
const SECRET_NAME = new RegExp(
  `\\b([A-Za-z0-9_.-]*(?:${NAME_WORDS})[A-Za-z0-9_.-]*)\\s*(?:=|:|=>|\\bis\\b)\\s*["']?([^\\s"',;]{6,})`,
  "gi",
);
const SECRET_LIKE_NAME = new RegExp(`(?:${NAME_WORDS})`, "i");

/** Whether a variable or key name looks like it holds a secret (DB_PASSWORD, stripeApiKey…). */
export function secretLikeName(name: string): boolean {
  return SECRET_LIKE_NAME.test(name);
}
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
// Placeholders people type on purpose are not secrets.
const PLACEHOLDER =
  /^(?:\*+|x+|<[^>]*>|\$\{[^}]*\}|\$[A-Z_]+|changeme|redacted|example|none|null|true|false|optional|required|enabled|disabled)$/i;

function heuristicFindings(text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    found.push({ kind: "private key", start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(SECRET_NAME)) {
    const value = m[2] ?? "";
    const end = m.index + m[0].length;
    if (PLACEHOLDER.test(value) || text.startsWith("[secret masked", end - value.length)) continue;
    found.push({ kind: `value of ${m[1]}`, start: end - value.length, end });
  }
  return found;
}

const KIND_NAMES: Record<string, string> = {
  AWSAccessKeyID: "AWS access key id",
  AWSSecretAccessKey: "AWS secret access key",
  AWSAccountID: "AWS account id",
  SLACK_TOKEN: "Slack token",
  IncomingWebhook: "Slack webhook URL",
  BasicAuth: "password in a URL",
  PrivateKey: "private key",
  GITHUB_TOKEN: "GitHub token",
  NPM_ACCESS_TOKEN: "npm token",
  OPENAI_TOKEN: "OpenAI key",
  ANTHROPIC_API_KEY: "Anthropic key",
  MongoDBConnection: "database connection string with a password",
  MySQLConnection: "database connection string with a password",
  PostgreSQLConnection: "database connection string with a password",
};

type Lint = (text: string) => Promise<SecretFinding[]>;
let lint: Lint | undefined;

/** secretlint is loaded on first use: most answers are button clicks and never need it. */
async function secretlint(): Promise<Lint> {
  if (lint) return lint;
  const [{ lintSource }, { creator }, { secretLintProfiler }] = await Promise.all([
    import("@secretlint/core"),
    import("@secretlint/secretlint-rule-preset-recommend"),
    import("@secretlint/profiler"),
  ]);
  // secretlint's built-in profiler keeps every performance mark it makes and searches them linearly on
  // each new one: in a long-running bot that is a memory leak and an ever slower scan. Switch it off.
  Reflect.set(secretLintProfiler, "perf", { mark: () => undefined, measure: () => undefined });
  const config = {
    rules: [
      {
        id: "@secretlint/secretlint-rule-preset-recommend",
        rule: creator,
        rules: [{ id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true } }],
      },
    ],
  };
  lint = async (content) => {
    const result = await lintSource({
      source: { content, filePath: "/answer.txt", ext: ".txt", contentType: "text" },
      options: { config, locale: "en", maskSecrets: true, noPhysicFilePath: true },
    } as Parameters<typeof lintSource>[0]);
    return result.messages.map((m) => ({
      kind: KIND_NAMES[m.messageId] ?? m.messageId,
      start: m.range[0],
      end: m.range[1],
    }));
  };
  return lint;
}

/** Mask every finding; ranges are widened to whole tokens so no tail of a secret survives. */
export function applyMasks(text: string, findings: SecretFinding[]): MaskResult {
  if (findings.length === 0) return { text, findings };
  const widened = findings
    .map((f) => {
      let end = f.end;
      while (end < text.length && !/[\s"',;]/.test(text.charAt(end))) end++;
      return { ...f, end };
    })
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretFinding[] = [];
  for (const f of widened) {
    const last = merged[merged.length - 1];
    if (last && f.start <= last.end) last.end = Math.max(last.end, f.end);
    else merged.push({ ...f });
  }
  let out = "";
  let cursor = 0;
  for (const f of merged) {
    out += `${text.slice(cursor, f.start)}[secret masked: ${f.kind}]`;
    cursor = f.end;
  }
  return { text: out + text.slice(cursor), findings: merged };
}

export async function maskSecrets(text: string): Promise<MaskResult> {
  const found = [...(await (await secretlint())(text)), ...tokenFindings(text), ...heuristicFindings(text)];
  return applyMasks(text, found);
}

/**
 * The synchronous part of the scan (precise token formats, secret-looking names, private keys),
 * for places that cannot wait for secretlint, such as log lines.
 */
export function maskSecretsSync(text: string): string {
  return applyMasks(text, [...tokenFindings(text), ...heuristicFindings(text)]).text;
}

/** One line telling the person what happened and what to do. */
export function secretWarning(findings: SecretFinding[]): string | undefined {
  if (findings.length === 0) return undefined;
  const kinds = [...new Set(findings.map((f) => f.kind))].join(", ");
  return `Your answer contained what looks like a secret (${kinds}). It was masked before it was saved; rotate it now, since it was pasted in clear text.`;
}

import { describe, expect, it } from "vitest";
import { applyMasks, maskSecrets, secretWarning } from "../../../src/core/secrets/mask.js";

// Built from parts so the repository itself never holds a scannable credential.
const AWS_ID = ["AKIA", "Z7VRSQ5TJ2KQ8GZ4"].join("");
const AWS_SECRET = ["Zq3pL8vN2xR7tY5wK9mB", "4cJ6hD1fG0sA3eU8iO2q"].join("");
const SLACK = ["xoxb", "123456789012", "1234567890123", "AbCdEfGhIjKlMnOpQrStUvWx"].join("-");
const PG = `postgres://admin:${"S3cretPassw0rd"}@db.internal:5432/app`;

describe("secret masking", () => {
  it.each([
    ["an AWS access key id", `our key is ${AWS_ID} for now`, AWS_ID, "AWS access key id"],
    [
      "an AWS secret key, whole",
      `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
      AWS_SECRET.slice(-12),
      "AWS secret access key",
    ],
    ["a Slack bot token", `token ${SLACK}`, SLACK, "Slack token"],
    ["a password in a connection string", `db at ${PG}`, "S3cretPassw0rd", "database connection string"],
    [
      "a value after a secret-looking name",
      "DB_PASSWORD=hunter2hunter2 in the env",
      "hunter2hunter2",
      "value of DB_PASSWORD",
    ],
    [
      "a truncated private key",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1",
      "MIIEowIBAAKCAQEA1",
      "private key",
    ],
  ])("masks %s", async (_, text, secret, kind) => {
    const r = await maskSecrets(text);
    expect(r.text).not.toContain(secret);
    expect(r.text).toContain("[secret masked:");
    expect(r.findings.map((f) => f.kind).join(" ")).toContain(kind);
  });

  it("leaves ordinary answers and placeholders alone", async () => {
    for (const text of [
      "We use IAM roles per function",
      "password=<from vault>",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style placeholder, typed literally
      "token: ${API_TOKEN}",
      "api_key: changeme",
    ]) {
      const r = await maskSecrets(text);
      expect(r).toEqual({ text, findings: [] });
    }
  });

  it("merges overlapping findings and keeps the text around them", () => {
    const r = applyMasks("a SECRET_TOKEN=abcdefgh b", [
      { kind: "x", start: 15, end: 19 },
      { kind: "y", start: 17, end: 23 },
    ]);
    expect(r.text).toBe("a SECRET_TOKEN=[secret masked: x] b");
  });

  it("tells the person to rotate what they pasted", async () => {
    const r = await maskSecrets(`key ${AWS_ID}`);
    expect(secretWarning(r.findings)).toMatch(/masked before it was saved; rotate it/);
    expect(secretWarning([])).toBeUndefined();
  });
});

describe("secret scanning in a long-running process", () => {
  it("leaves no performance marks behind, so memory and scan time stay flat", async () => {
    for (let i = 0; i < 50; i++) await maskSecrets(`answer ${i} with key ${AWS_ID}`);
    expect(performance.getEntriesByType("mark")).toHaveLength(0);
    expect(performance.getEntriesByType("measure")).toHaveLength(0);
  });
});

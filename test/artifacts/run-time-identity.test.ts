import { describe, expect, it } from "vitest";
import { type RunAs, runTimeIdentityFacts, trustedCallers } from "../../src/artifacts/run-time-identity.js";

const trust = (...statements: unknown[]) => trustedCallers({ Statement: statements }, []) ?? [];
const irsa = (operator: string, sub: unknown) => ({
  Effect: "Allow",
  Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.example" },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: { [operator]: { "oidc.eks.example:sub": sub } },
});
const pod: RunAs = { kind: "web-identity", subject: "system:serviceaccount:shop:cart" };
const facts = (callers: ReturnType<typeof trust>, who: RunAs = pod) =>
  Object.fromEntries(runTimeIdentityFacts(callers, who).map((f) => [f.fact, f.value]));

describe("a role assumed at run time", () => {
  it("pinned to one service account: no long-lived keys, and the role is the pod's own", () => {
    expect(facts(trust(irsa("StringEquals", "system:serviceaccount:shop:cart")))).toEqual({
      "iam.static-keys": false,
      "iam.shared-role": false,
    });
  });

  it("admitting a pattern or every token of the issuer: shared with other workloads", () => {
    expect(facts(trust(irsa("StringLike", "system:serviceaccount:shop:*")))["iam.shared-role"]).toBe(true);
    const anyToken = trust({ ...irsa("StringEquals", "x"), Condition: undefined });
    expect(facts(anyToken)["iam.shared-role"]).toBe(true);
  });

  it("StringEquals compares exactly: a literal * admits no other account", () => {
    expect(facts(trust(irsa("StringEquals", "system:serviceaccount:shop:*")))).toEqual({});
  });

  it("another account's trust decides nothing", () => {
    expect(facts(trust(irsa("StringEquals", "system:serviceaccount:shop:checkout")))).toEqual({});
  });

  it("an AWS service principal (a function's or an instance's role): no keys, sharing left open", () => {
    const lambda = trust({
      Effect: "Allow",
      Principal: { Service: "lambda.amazonaws.com" },
      Action: "sts:AssumeRole",
    });
    expect(facts(lambda, { kind: "service", subject: "lambda.amazonaws.com" })).toEqual({
      "iam.static-keys": false,
    });
    expect(facts(lambda, { kind: "service", subject: "ec2.amazonaws.com" })).toEqual({});
  });
});

import { asArray, isRecord } from "./documents.js";

/** An Allow statement for everyone ("*") with no condition: the bucket is public. */
export function publicPolicyStatement(s: unknown): boolean {
  if (!isRecord(s)) return false;
  const effect = s.Effect ?? s.effect ?? "Allow";
  if (effect !== "Allow" || s.Condition !== undefined || s.condition !== undefined) return false;
  const principal = s.Principal;
  if (principal === "*") return true;
  if (isRecord(principal)) return asArray(principal.AWS).includes("*");
  // aws_iam_policy_document: principals { type = "*" identifiers = ["*"] }
  return asArray(s.principals).some((p) => isRecord(p) && asArray(p.identifiers).includes("*"));
}

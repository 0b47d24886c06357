import { asString } from "./documents.js";

/** What readers of one Terraform document need of its resources. */
export interface TfRef {
  mode: "managed" | "data" | "provider";
  type: string;
  name: string;
  values: Record<string, unknown>;
}

/**
 * The resource name in `aws_subnet.private_a.id` written as an HCL reference, as the parser hands it over.
 * A splat or index (`aws_subnet.private[*].id`) names the instances of one counted block, which share its
 * arguments, so it leads to that block.
 */
export function referenced(expression: unknown, type: string, attribute: string): string | undefined {
  const s = asString(expression);
  const prefix = `\${${type}.`;
  const suffix = `.${attribute}}`;
  if (!s?.startsWith(prefix) || !s.endsWith(suffix)) return undefined;
  const name = s.slice(prefix.length, s.length - suffix.length).replace(/\[(?:\*|\d+)\]$/, "");
  return /^[A-Za-z_][\w-]*$/.test(name) ? name : undefined;
}

/** A managed resource of the document by type and name. */
export const findResource = <R extends TfRef>(resources: readonly R[], type: string, name: string) =>
  resources.find((r) => r.mode === "managed" && r.type === type && r.name === name);

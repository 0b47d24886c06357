import { asString } from "./documents.js";

/** What readers of one Terraform document need of its resources. */
export interface TfRef {
  mode: "managed" | "data" | "provider";
  type: string;
  name: string;
  values: Record<string, unknown>;
}

/**
 * The resource name in `aws_subnet.private_a.id` written as an HCL reference, as the parser hands it over,
 * when the reference is to one of the attributes given. A splat or index (`aws_subnet.private[*].id`)
 * names the instances of one counted block, which share its arguments, so it leads to that block.
 */
export function referenced(expression: unknown, type: string, ...attributes: string[]): string | undefined {
  const s = asString(expression);
  const prefix = `\${${type}.`;
  if (!s?.startsWith(prefix) || !s.endsWith("}")) return undefined;
  const body = s.slice(prefix.length, -1);
  const attribute = attributes.find((a) => body.endsWith(`.${a}`));
  if (attribute === undefined) return undefined;
  const name = body.slice(0, -attribute.length - 1).replace(/\[(?:\*|\d+)\]$/, "");
  return /^[A-Za-z_][\w-]*$/.test(name) ? name : undefined;
}

/** A managed resource of the document by type and name. */
export const findResource = <R extends TfRef>(resources: readonly R[], type: string, name: string) =>
  resources.find((r) => r.mode === "managed" && r.type === type && r.name === name);

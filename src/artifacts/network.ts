import type { Findings, PathStep } from "./findings.js";

// SSH, Telnet, RDP, VNC, the Docker API, SMB and the usual database and cache ports.
const ADMIN_PORTS = [
  22, 23, 445, 1433, 1521, 2375, 2376, 3306, 3389, 5432, 5900, 5984, 6379, 9042, 9200, 11211, 27017,
];

/** SSH or RDP: how administrators log in to a VM. */
export function opensRemoteLogin(protocol: unknown, from: unknown, to: unknown): boolean {
  const p = String(protocol ?? "tcp").toLowerCase();
  if (p === "-1" || p === "all") return true;
  const lo = Number(from ?? 0);
  const hi = Number(to ?? from ?? 65535);
  return (p === "tcp" || p === "6") && [22, 3389].some((port) => port >= lo && port <= hi);
}

/**
 * An ingress rule on an admin port: open to the internet, or limited to named address ranges. On SSH or
 * RDP it also says how administrators get in (from anywhere, or from an allow-list).
 */
export function ingressFacts(
  f: Findings,
  rule: { protocol: unknown; from: unknown; to: unknown; cidrs: unknown[] },
  where: PathStep[],
): void {
  const cidrs = rule.cidrs.filter((c): c is string => typeof c === "string" && !c.includes("${"));
  if (cidrs.length === 0 || !opensAdminPort(rule.protocol, rule.from, rule.to)) return;
  const open = cidrs.some(isPublicCidr);
  f.add("net.admin-ports-public", open, where);
  if (opensRemoteLogin(rule.protocol, rule.from, rule.to)) {
    f.add("vm.remote-access", open ? "open-internet" : "ip-allowlist", where);
  }
}

export const isPublicCidr = (cidr: unknown) => cidr === "0.0.0.0/0" || cidr === "::/0";

/** Whether an ingress rule's protocol and port range let in an administration or database port. */
export function opensAdminPort(protocol: unknown, from: unknown, to: unknown): boolean {
  const p = String(protocol ?? "tcp").toLowerCase();
  if (p === "-1" || p === "all") return true;
  if (p !== "tcp" && p !== "6") return false;
  const lo = Number(from ?? 0);
  const hi = Number(to ?? from ?? 65535);
  if (Number.isNaN(lo) || Number.isNaN(hi)) return false;
  return ADMIN_PORTS.some((port) => port >= lo && port <= hi);
}

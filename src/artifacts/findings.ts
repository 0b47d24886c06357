import type { FactValue } from "../core/knowledge/schema.js";
import type { RunAs, TrustedCaller } from "./run-time-identity.js";

/** A step into a parsed document: a key of a mapping or an index of a list. */
export type PathStep = string | number;

/** One fact an analyser saw, before its line is looked up and its excerpt masked. */
export interface Finding {
  fact: string;
  value: FactValue;
  /** Where in the document the evidence sits. */
  path: PathStep[];
  resource?: string | undefined;
  /** The evidence to show when the source line is not the clearest one (e.g. "no USER instruction"). */
  excerpt?: string | undefined;
  /** A known 1-based line, for formats whose parser gives lines directly (Dockerfiles). */
  line?: number | undefined;
}

/** A name/value pair that is a secret-in-clear finding when the value looks like a secret. */
export interface SecretCandidate {
  fact: "secrets.env-plaintext" | "secrets.in-code-or-image";
  name: string;
  value: string;
  path: PathStep[];
  resource?: string | undefined;
  line?: number | undefined;
  /** Flag on the name alone (Dockerfile ENV/ARG end up in the image whatever their value). */
  nameIsEnough?: boolean;
}

/** What the files say about the platform: one platform, or a choice the team confirms. */
export interface PlatformHint {
  /** The platforms this resource is consistent with (one when the file settles it). */
  platforms: string[];
  reason: string;
  path: PathStep[];
  resource?: string | undefined;
  line?: number | undefined;
}

/** A role the files declare and who its trust policy lets assume it; read across files with RunAsHint. */
export interface RoleHint {
  callers: TrustedCaller[];
  resource?: string | undefined;
}

/** The identity a workload runs as, matched across files against the roles they declare. */
export interface RunAsHint {
  who: RunAs;
  path: PathStep[];
  resource?: string | undefined;
  /** A link the files must also show for the identity to reach the workload (a service account's role annotation). */
  through?: string | undefined;
  /** The workload holds access keys, or reads variables the files cannot list (envFrom a Secret). */
  mayHoldKeys?: boolean | undefined;
}

/**
 * A Terraform role and what runs as it, matched across the files of one module (a folder), where a
 * reference such as `aws_iam_role.task.arn` resolves.
 */
export interface RoleUse {
  /** The role's address in its module, e.g. "aws_iam_role.task". */
  role: string;
  /** Where it is created, an ECS task that runs as it, or another workload that does (a function, a VM). */
  kind: "declared" | "task-role" | "run-as";
  path: PathStep[];
  resource?: string | undefined;
}

/** Everything one analyser found in one document. */
export class Findings {
  readonly facts: Finding[] = [];
  readonly secrets: SecretCandidate[] = [];
  readonly platforms: PlatformHint[] = [];
  readonly roles: RoleHint[] = [];
  readonly runsAs: RunAsHint[] = [];
  /** Links shown by this document that RunAsHint.through asks for. */
  readonly links: string[] = [];
  readonly roleUses: RoleUse[] = [];

  constructor(
    private readonly resource?: string,
    /** Where the part this collector reads sits in its document (a template nested in a serverless.yml). */
    private readonly prefix: PathStep[] = [],
  ) {}

  /** A collector for one resource of the document, sharing this one's lists. */
  for(resource: string): Findings {
    return this.sharing(new Findings(resource, this.prefix));
  }

  /** A collector for a part of the document found at `path`, sharing this one's lists. */
  under(path: PathStep[]): Findings {
    return this.sharing(new Findings(this.resource, [...this.prefix, ...path]));
  }

  private sharing(child: Findings): Findings {
    const { facts, secrets, platforms, roles, runsAs, links, roleUses } = this;
    Object.assign(child, { facts, secrets, platforms, roles, runsAs, links, roleUses });
    return child;
  }

  add(fact: string, value: FactValue, path: PathStep[], excerpt?: string): void {
    this.facts.push({ fact, value, path: [...this.prefix, ...path], resource: this.resource, excerpt });
  }

  atLine(fact: string, value: FactValue, line: number, excerpt?: string): void {
    this.facts.push({ fact, value, path: [], line, resource: this.resource, excerpt });
  }

  secret(c: Omit<SecretCandidate, "resource">): void {
    this.secrets.push({ ...c, path: [...this.prefix, ...c.path], resource: this.resource });
  }

  role(callers: TrustedCaller[]): void {
    const placed = callers.map((c) => ({ ...c, path: [...this.prefix, ...c.path] }));
    this.roles.push({ callers: placed, resource: this.resource });
  }

  roleUse(use: Omit<RoleUse, "resource">): void {
    this.roleUses.push({ ...use, path: [...this.prefix, ...use.path], resource: this.resource });
  }

  runAs(hint: Omit<RunAsHint, "resource">): void {
    this.runsAs.push({ ...hint, path: [...this.prefix, ...hint.path], resource: this.resource });
  }

  platform(platforms: string[], reason: string, path: PathStep[], line?: number): void {
    this.platforms.push({
      platforms,
      reason,
      path: [...this.prefix, ...path],
      resource: this.resource,
      line,
    });
  }
}

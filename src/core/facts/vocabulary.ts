import type { DeploymentModel, Fact, FactCondition, FactVocabulary, Workload } from "../knowledge/schema.js";

/**
 * The fact vocabulary with its platform groups resolved: what answers and files may establish, and the
 * names rules use for platforms.
 */
export class Vocabulary {
  readonly platforms: readonly string[];
  private readonly modelOf: Map<string, DeploymentModel>;
  private readonly labels: Map<string, string>;
  private readonly groups: Map<string, readonly string[]>;
  private readonly facts: Map<string, Fact>;

  constructor(readonly raw: FactVocabulary) {
    this.platforms = raw.platforms.map((p) => p.id);
    this.modelOf = new Map(raw.platforms.map((p) => [p.id, p.model]));
    this.labels = new Map(raw.platforms.map((p) => [p.id, p.label]));
    this.groups = new Map(Object.entries(raw.platformGroups));
    this.facts = new Map(raw.facts.map((f) => [f.id, f]));
  }

  fact(id: string): Fact | undefined {
    return this.facts.get(id);
  }

  get allFacts(): readonly Fact[] {
    return this.raw.facts;
  }

  model(platform: string): DeploymentModel | undefined {
    return this.modelOf.get(platform);
  }

  label(platform: string): string {
    return this.labels.get(platform) ?? platform;
  }

  /** The platforms a question's words name ("eks" -> eks; "kubernetes" -> both Kubernetes platforms). */
  platformsNamed(words: readonly string[], normalise: (w: string) => string | null = (w) => w): string[] {
    const said = new Set(words.map((w) => normalise(w.toLowerCase())));
    return this.raw.platforms.filter((p) => p.aliases.some((a) => said.has(normalise(a)))).map((p) => p.id);
  }

  /** Whether a name is a platform or a group. */
  knows(ref: string): boolean {
    return this.modelOf.has(ref) || this.groups.has(ref);
  }

  /** Platform ids named by a list of platforms and groups. */
  resolve(refs: readonly string[]): string[] {
    const out = new Set<string>();
    for (const r of refs) {
      if (this.modelOf.has(r)) out.add(r);
      for (const p of this.groups.get(r) ?? []) out.add(p);
    }
    return this.platforms.filter((p) => out.has(p));
  }

  /** Whether a platform list (absent: every platform) reaches a workload. */
  covers(refs: readonly string[] | undefined, workload: Workload): boolean {
    if (!refs || workload === "undecided") return true;
    return this.resolve(refs).some((p) => this.modelOf.get(p) === workload);
  }

  /** Every platform a review of this workload may turn out to run on. */
  platformsOf(workload: Workload | DeploymentModel): string[] {
    if (workload === "undecided") return [...this.platforms];
    return this.platforms.filter((p) => this.modelOf.get(p) === workload);
  }

  /** Problems with a value for a fact: unknown fact, wrong type, value outside the fact's list. */
  checkValue(factId: string, value: string | boolean): string | undefined {
    const f = this.facts.get(factId);
    if (!f) return `unknown fact ${factId}`;
    if (f.kind === "flag") return typeof value === "boolean" ? undefined : `${factId} is true or false`;
    if (typeof value !== "string" || !f.values.includes(value))
      return `${factId} takes one of ${f.values.join(", ")}, not ${String(value)}`;
    return undefined;
  }

  /** Every problem with a condition's facts, values and platform names. */
  checkCondition(c: FactCondition): string[] {
    if ("all" in c) return c.all.flatMap((x) => this.checkCondition(x));
    if ("any" in c) return c.any.flatMap((x) => this.checkCondition(x));
    if ("not" in c) return this.checkCondition(c.not);
    if ("platform" in c) return c.platform.filter((p) => !this.knows(p)).map((p) => `unknown platform ${p}`);
    const values = "is" in c ? [c.is] : c.in;
    return values.flatMap((v) => this.checkValue(c.fact, v) ?? []);
  }
}

/** The facts a condition reads. */
export function factsIn(c: FactCondition): string[] {
  if ("all" in c) return c.all.flatMap(factsIn);
  if ("any" in c) return c.any.flatMap(factsIn);
  if ("not" in c) return factsIn(c.not);
  if ("platform" in c) return [];
  return [c.fact];
}

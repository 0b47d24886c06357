import MiniSearch from "minisearch";
import type { DeploymentModel, KnowledgeEntry } from "./schema.js";

export interface SearchHit {
  entry: KnowledgeEntry;
  score: number;
}

export interface SearchOptions {
  /** Only entries that apply to this model are returned. */
  deploymentModel?: DeploymentModel | undefined;
  limit?: number;
}

interface Doc {
  id: string;
  title: string;
  tags: string;
  summary: string;
  body: string;
}

function toDoc(e: KnowledgeEntry): Doc {
  return {
    id: e.id,
    title: e.title,
    tags: [...e.tags, e.id.replaceAll("-", " ")].join(" "),
    summary: e.summary,
    body: [
      ...e.threats.map((t) => `${t.threatSource} ${t.prerequisites} ${t.threatAction} ${t.threatImpact}`),
      ...e.mitigations.map((m) => m.text),
      ...Object.values(e.responsibility).map((r) => r?.note ?? ""),
      ...e.references.map((r) => `${r.id} ${r.title}`),
    ].join(" "),
  };
}

/** Full-text search over the knowledge base (MiniSearch: BM25 ranking, prefix and fuzzy matching). */
export class KnowledgeIndex {
  private readonly index: MiniSearch<Doc>;
  private readonly byId: Map<string, KnowledgeEntry>;

  constructor(entries: readonly KnowledgeEntry[]) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
    this.index = new MiniSearch<Doc>({
      fields: ["title", "tags", "summary", "body"],
      searchOptions: {
        boost: { title: 3, tags: 2, summary: 1.5 },
        prefix: true,
        fuzzy: 0.15,
        combineWith: "OR",
      },
    });
    this.index.addAll(entries.map(toDoc));
  }

  search(query: string, opts: SearchOptions = {}): SearchHit[] {
    const model = opts.deploymentModel;
    const hits = this.index.search(query, {
      filter: model ? (r) => this.byId.get(r.id)?.deploymentModels.includes(model) ?? false : undefined,
    });
    return hits
      .slice(0, opts.limit ?? 10)
      .map((h) => ({ entry: this.byId.get(h.id) as KnowledgeEntry, score: h.score }));
  }
}

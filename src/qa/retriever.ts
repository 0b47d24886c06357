import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { Workload } from "../core/knowledge/schema.js";
import type { KnowledgeIndex } from "../core/knowledge/search.js";
import { retrieve } from "./retrieve.js";

export interface KnowledgeRetrieverInput extends BaseRetrieverInput {
  index: KnowledgeIndex;
  /** Fixed workload (a review's); otherwise each query's own words decide. */
  workload?: Workload | undefined;
}

export interface KnowledgeDocumentMetadata {
  entryId: string;
  title: string;
  deploymentModels: string[];
  score: number;
  /** The workload the query was answered for. */
  workload: Workload;
}

/**
 * The knowledge index as a langchain retriever, for anything composed with langchain. It runs
 * the same workload-aware retrieval as the built-in answers: off-topic queries return nothing,
 * and no document applies to a workload other than the one asked about.
 */
export class KnowledgeRetriever extends BaseRetriever {
  static override lc_name(): string {
    return "KnowledgeRetriever";
  }
  override lc_namespace = ["threatbot", "retrievers", "knowledge"];
  private readonly index: KnowledgeIndex;
  private readonly workload: Workload | undefined;

  constructor(fields: KnowledgeRetrieverInput) {
    super(fields);
    this.index = fields.index;
    this.workload = fields.workload;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<KnowledgeDocumentMetadata>[]> {
    const r = retrieve(this.index, query, { workload: this.workload });
    return r.hits.map(
      (h) =>
        new Document<KnowledgeDocumentMetadata>({
          id: h.entry.id,
          pageContent: `${h.entry.title}\n\n${h.entry.summary}`,
          metadata: {
            entryId: h.entry.id,
            title: h.entry.title,
            deploymentModels: [...h.entry.deploymentModels],
            score: h.score,
            workload: r.workload,
          },
        }),
    );
  }
}

import { type OpenOptions, openDatabase } from "../storage/database.js";
import { ReviewStore } from "../storage/review-store.js";
import { type KnowledgeBase, loadKnowledgeBase } from "./knowledge/load.js";
import { ReviewService } from "./review/service.js";

export interface Threatbot {
  kb: KnowledgeBase;
  store: ReviewStore;
  reviews: ReviewService;
  close(): void;
}

/** Wire the core together once; the Slack and terminal adapters both start from here. */
export function openThreatbot(
  opts: { dbPath: string; knowledgeDir?: string; now?: () => string } & OpenOptions,
): Threatbot {
  const kb = loadKnowledgeBase(opts.knowledgeDir);
  const db = openDatabase(opts.dbPath, opts);
  const store = new ReviewStore(db);
  return { kb, store, reviews: new ReviewService(kb, store, opts.now), close: () => db.close() };
}

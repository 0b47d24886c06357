import type { KnowledgeBase } from "./load.js";
import type { Claim, SourceArticle } from "./schema.js";

export interface ArticleCoverage {
  source: SourceArticle;
  claims: (Claim & { titles: string[] })[];
  /** Entries holding at least one of the article's claims. */
  entries: string[];
}

export interface SourcesPage {
  articles: ArticleCoverage[];
  /** Entries whose content comes from frameworks alone: they cite no article. */
  frameworkOnly: { id: string; title: string }[];
}

/** Each article with the claims the base takes from it and the entries that hold them. */
export function sourcesPage(
  kb: Pick<KnowledgeBase, "sources" | "claims" | "entries" | "entry">,
): SourcesPage {
  const articles = kb.sources.map((source) => {
    const claims = kb.claims
      .filter((c) => c.source === source.id)
      .map((c) => ({ ...c, titles: c.entries.map((id) => kb.entry(id)?.title ?? id) }));
    return { source, claims, entries: [...new Set(claims.flatMap((c) => c.entries))].sort() };
  });
  const frameworkOnly = kb.entries
    .filter((e) => e.sources.length === 0)
    .map((e) => ({ id: e.id, title: e.title }));
  return { articles, frameworkOnly };
}

function byline(s: SourceArticle): string {
  const where = [s.publisher, s.date].filter(Boolean).join(", ");
  return `${s.author ? `${s.author}, ` : ""}"${s.title}" (${where})${s.url ? ` <${s.url}>` : ""}`;
}

/** The sources page as plain Markdown for a terminal. */
export function renderSourcesPage(page: SourcesPage): string {
  const out: string[] = [];
  for (const a of page.articles) {
    out.push(`## ${byline(a.source)}`);
    out.push(`${a.claims.length} claims, held by ${a.entries.length} entries.`, "");
    for (const c of a.claims) {
      out.push(`- ${c.claim} [${c.kind}] "${c.quote}"`);
      out.push(`  held by: ${c.entries.join(", ")}`);
    }
    out.push("");
  }
  out.push("## Entries drawn from frameworks only (no article cited)");
  out.push(...page.frameworkOnly.map((e) => `- ${e.id}: ${e.title}`));
  return `${out.join("\n")}\n`;
}

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { KnowledgeBase } from "./load.js";

/**
 * The article texts live beside the repository (../shared/sources from its root), not in it:
 * they are others' work, kept only to check quotes. THREATBOT_SOURCES points elsewhere.
 */
export const DEFAULT_SOURCES_DIR = fileURLToPath(new URL("../../../../shared/sources", import.meta.url));

export function sourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.THREATBOT_SOURCES || DEFAULT_SOURCES_DIR;
}

/** Curly quotes, dashes, line breaks and case differ between captures of the same words. */
export function normaliseText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201F]/g, '"')
    .replace(/[\u2010-\u2015]/g, "-")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** An article's text is the file named after its source id: `<id>.txt` or `<id>-<anything>.txt`. */
export function textFileFor(files: readonly string[], sourceId: string): string | undefined {
  return files.find((f) => f === `${sourceId}.txt` || (f.startsWith(`${sourceId}-`) && f.endsWith(".txt")));
}

export type QuoteCheck =
  | { verified: true; claims: number; problems: string[] }
  | { verified: false; reason: string };

/** Every claim's quote must occur in its article's text; each miss is named by claim id. */
export function verifyQuotes(kb: Pick<KnowledgeBase, "claims">, dir: string): QuoteCheck {
  if (!existsSync(dir))
    return { verified: false, reason: `the sources folder ${dir} was not found (set THREATBOT_SOURCES)` };
  const files = readdirSync(dir);
  const texts = new Map<string, string | undefined>();
  const textOf = (sourceId: string): string | undefined => {
    if (!texts.has(sourceId)) {
      const file = textFileFor(files, sourceId);
      texts.set(sourceId, file ? normaliseText(readFileSync(join(dir, file), "utf8")) : undefined);
    }
    return texts.get(sourceId);
  };
  const problems: string[] = [];
  for (const c of kb.claims) {
    const text = textOf(c.source);
    if (text === undefined) problems.push(`claim ${c.id}: no text for ${c.source} in ${dir}`);
    else if (!text.includes(normaliseText(c.quote)))
      problems.push(`claim ${c.id}: the quote "${c.quote}" is not in the text of ${c.source}`);
  }
  return { verified: true, claims: kb.claims.length, problems };
}

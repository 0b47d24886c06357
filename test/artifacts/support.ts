import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { Vocabulary } from "../../src/core/facts/vocabulary.js";
import { FactVocabulary } from "../../src/core/knowledge/schema.js";

export const ARTIFACTS = fileURLToPath(new URL("../fixtures/artifacts", import.meta.url));
/** Runtime deprecation is judged on a fixed day so the fixtures' expectations do not move. */
export const TODAY = new Date("2026-11-30T00:00:00Z");

/** The project's fact vocabulary, straight from knowledge/facts.yaml. */
export function vocabulary(): Vocabulary {
  const file = fileURLToPath(new URL("../../knowledge/facts.yaml", import.meta.url));
  return new Vocabulary(FactVocabulary.parse(load(readFileSync(file, "utf8"))));
}

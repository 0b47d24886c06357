import { findNodeAtLocation, type Node as JsonNode, parseTree } from "jsonc-parser";
import {
  type CollectionTag,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type ScalarTag,
} from "yaml";
import type { PathStep } from "./findings.js";

/** A parsed document and a way back from a path inside it to a 1-based line of its file. */
export interface SourceDocument {
  data: unknown;
  lineOf(path: PathStep[]): number;
  /** Evidence for a path when its line is too long to show (a plan printed on one line). */
  excerptOf?(path: PathStep[]): string;
}

/** A part of a file that could not be read, with the line the parser stopped at. */
export interface ParseProblem {
  line: number;
  message: string;
}

export interface ParsedFile {
  documents: SourceDocument[];
  problems: ParseProblem[];
}

// CloudFormation's short forms (!Ref X, !Sub "...", !GetAtt A.B, !If [...]) read as the long forms
// ({Ref: X}, {"Fn::Sub": ...}) so templates in YAML and JSON are analysed by the same code.
const SHORT_FORMS = [
  "Ref",
  "Sub",
  "GetAtt",
  "If",
  "Join",
  "Select",
  "Split",
  "FindInMap",
  "GetAZs",
  "ImportValue",
  "Base64",
  "Cidr",
  "Equals",
  "And",
  "Or",
  "Not",
  "Condition",
  "Transform",
  "ToJsonString",
  "Length",
];
const longForm = (n: string) => (n === "Ref" || n === "Condition" ? n : `Fn::${n}`);
const CFN_TAGS: (ScalarTag | CollectionTag)[] = SHORT_FORMS.flatMap((n): (ScalarTag | CollectionTag)[] => [
  {
    tag: `!${n}`,
    resolve: (s: string) => ({ [longForm(n)]: n === "GetAtt" ? s.split(".") : s }),
  },
  { tag: `!${n}`, collection: "seq", resolve: (seq) => ({ [longForm(n)]: seq.toJSON() }) },
  { tag: `!${n}`, collection: "map", resolve: (map) => ({ [longForm(n)]: map.toJSON() }) },
]);

/** Every document of a YAML stream; a broken document is reported with its line and the rest kept. */
export function parseYaml(text: string): ParsedFile {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { customTags: CFN_TAGS, lineCounter: lines, uniqueKeys: false });
  if (!Array.isArray(docs)) return { documents: [], problems: [] }; // an empty stream
  const documents: SourceDocument[] = [];
  const problems: ParseProblem[] = [];
  for (const doc of docs) {
    const [error] = doc.errors;
    if (error) {
      problems.push({ line: lines.linePos(error.pos[0]).line, message: firstLine(error.message) });
      continue;
    }
    if (doc.contents === null) continue;
    const root = doc.contents as Node;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // yaml refuses to expand aliases past the count: a document built to exhaust memory.
      problems.push({ line: lines.linePos(root.range?.[0] ?? 0).line, message: (e as Error).message });
      continue;
    }
    documents.push({ data, lineOf: (path) => lines.linePos(yamlOffset(root, path)).line });
  }
  return { documents, problems };
}

/** Offset of the deepest node the path reaches (the key of the last mapping step, when there is one). */
function yamlOffset(root: Node, path: PathStep[]): number {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step),
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

/** A JSON file: JSON.parse for the data, and a key-by-key walk over the text for lines. */
export function parseJson(text: string): ParsedFile {
  try {
    const data = JSON.parse(text) as unknown;
    return { documents: [{ data, lineOf: jsonLines(text) }], problems: [] };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? new LineIndex(text).line(Number(at[1])) : 1;
    return { documents: [], problems: [{ line, message: firstLine(message) }] };
  }
}

/** Line lookup in JSON text: the deepest node the path reaches (the key, for an object member). */
export function jsonLines(text: string): (path: PathStep[]) => number {
  let root: JsonNode | undefined;
  let index: LineIndex | undefined;
  return (path) => {
    root ??= parseTree(text);
    index ??= new LineIndex(text);
    if (!root) return 1;
    let node: JsonNode = root;
    for (let i = path.length; i > 0; i--) {
      const found = findNodeAtLocation(root, path.slice(0, i));
      if (found) {
        node = found;
        break;
      }
    }
    const offset = node.parent?.type === "property" ? node.parent.offset : node.offset;
    return index.line(offset);
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** An HCL attribute or block name at the start of a line. */
export const hclKey = (k: string) => new RegExp(`^[ \\t]*"?${escapeRe(k)}"?[ \\t]*[={"]`, "gm");

/**
 * The line of a path found by looking for each key after the previous one. Parsers of JSON and of HCL
 * give no positions, so this only places evidence; the data itself always comes from the parser.
 */
export function keyLine(index: LineIndex, path: PathStep[], key: (k: string) => RegExp, from = 0): number {
  const text = index.text;
  let offset = from;
  let previous: string | undefined;
  for (const step of path) {
    // The nth block of a repeated name (two `ingress` blocks): look for the name n more times.
    const name = typeof step === "number" ? previous : step;
    const times = typeof step === "number" ? step : 1;
    if (name === undefined) continue;
    let found = true;
    for (let i = 0; i < times && found; i++) {
      const re = key(name);
      re.lastIndex = offset;
      const m = re.exec(text);
      if (m) offset = m.index + m[0].length - 1;
      else found = false;
    }
    if (!found) break;
    if (typeof step === "string") previous = step;
  }
  return index.line(offset);
}

/** 1-based lines of offsets in one text; line starts are found once and searched by bisection. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

function firstLine(s: string): string {
  return (s.split("\n")[0] ?? s).trim();
}

/** Read a value at a path of plain data (what analysers use to reach into parsed documents). */
export function at(data: unknown, ...path: PathStep[]): unknown {
  let v = data;
  for (const step of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[step as string];
  }
  return v;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
export const asString = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;

import { escapeMrkdwn } from "./escape.js";

/*
 * The Q&A core writes its answers as Markdown (bold, whole-line italic notes, inline code, lists and
 * <url> autolinks). Slack's mrkdwn spells bold with one asterisk, reads &, < and > as markup, and
 * has no way to escape a literal asterisk, underscore or tilde. This converts the Markdown the core
 * writes and turns everything else, including whatever an LLM wrote, into inert text.
 */

const INLINE = /\*\*(.+?)\*\*|`([^`\n]+)`|<(https?:\/\/[^\s<>|]+)>/g;
const BULLET = /^(\s*)(?:[-*] )(.*)$/;
const ITALIC_LINE = /^_(.+)_$/;
/** A word holding a character mrkdwn would read as bold, strike or code, or an underscore at its edge. */
const FORMATTING_WORD = /[*~`]|(?:^|[^\p{L}\p{N}])_|_(?:$|[^\p{L}\p{N}])/u;
const WORD_EDGES = /^([([{]*)(.*?)([)\]},.;:!?]*)$/s;

/**
 * Text with no markup of ours: escaped, and any word that mrkdwn would format (`s3:*`, `Resource "*"`,
 * `logs:Delete*`) shown as code, which Slack prints exactly as written and which copies back intact.
 */
export function literalMrkdwn(text: string): string {
  return text.replace(/\S+/g, (word) => {
    if (!FORMATTING_WORD.test(word)) return escapeMrkdwn(word);
    const [, open = "", core = "", close = ""] = WORD_EDGES.exec(word) ?? [];
    // A backtick cannot sit inside a code span; such a word stays as it is.
    if (core === "" || core.includes("`")) return escapeMrkdwn(word);
    return `${escapeMrkdwn(open)}\`${escapeMrkdwn(core)}\`${escapeMrkdwn(close)}`;
  });
}

function inline(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    out += literalMrkdwn(text.slice(last, m.index));
    const [, bold, code, url] = m;
    if (bold !== undefined) out += `*${literalMrkdwn(bold.trim())}*`;
    else if (code !== undefined) out += `\`${escapeMrkdwn(code)}\``;
    else if (url !== undefined) out += `<${url.replace(/&/g, "&amp;")}>`;
    last = m.index + m[0].length;
  }
  return out + literalMrkdwn(text.slice(last));
}

function line(raw: string): string {
  const bullet = BULLET.exec(raw);
  const indent = bullet ? (bullet[1] ?? "") : (/^\s*/.exec(raw)?.[0] ?? "");
  const body = bullet ? (bullet[2] ?? "") : raw.slice(indent.length);
  const italic = ITALIC_LINE.exec(body);
  const text = italic ? `_${inline(italic[1] ?? "")}_` : inline(body);
  return `${indent}${bullet ? "• " : ""}${text}`;
}

/** Markdown as the Q&A core writes it, as Slack mrkdwn in which nothing pings anyone or formats by accident. */
export function markdownToMrkdwn(markdown: string): string {
  return markdown.replace(/\r\n?/g, "\n").trimEnd().split("\n").map(line).join("\n");
}

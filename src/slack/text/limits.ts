import { escapeMrkdwn } from "./escape.js";

/** Block Kit's documented limits; builders clip to these so Slack never rejects a message. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  actionsElements: 25,
  optionText: 75,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputMaxLength: 3000,
  placeholder: 150,
  id: 255,
  /** A message's top-level `text` is shown in notifications; Slack truncates far above this. */
  fallbackText: 3000,
} as const;

const ELLIPSIS = "…";

/** Cut to at most `max` UTF-16 units, never inside a surrogate pair, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - ELLIPSIS.length));
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** Escape a person's text for mrkdwn, then clip it without cutting an `&amp;` in half. */
export function clipMrkdwn(raw: string, max: number): string {
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, Math.max(0, max - ELLIPSIS.length));
  cut = cut.replace(/&[a-z]*$/, "");
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** Join lines into one text block, keeping whole lines and saying how many did not fit. */
export function fitLines(lines: string[], max: number, more: (n: number) => string): string {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i - 1;
    const tail = rest > 0 ? more(rest).length + 1 : 0;
    if (used + line.length + 1 + tail > max) {
      out.push(more(lines.length - i));
      return out.join("\n");
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join("\n");
}

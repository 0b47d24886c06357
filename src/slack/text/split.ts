/**
 * Cut escaped mrkdwn into pieces of at most `max` characters for consecutive sections: whole
 * paragraphs where they fit, then whole lines, then at the last space, and never inside an
 * `&amp;` or a surrogate pair.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = "";
  const add = (part: string, separator: string) => {
    const joined = current === "" ? part : `${current}${separator}${part}`;
    if (joined.length <= max) {
      current = joined;
      return;
    }
    if (current.trim() !== "") pieces.push(current);
    current = part;
  };
  for (const paragraph of text.split(/\n{2,}/)) {
    if (paragraph.trim() === "") continue;
    if (paragraph.length <= max) add(paragraph, "\n\n");
    else {
      const parts = paragraph.split("\n").flatMap((line) => cutLine(line, max));
      for (const [i, part] of parts.entries()) add(part, i === 0 ? "\n\n" : "\n");
    }
  }
  if (current.trim() !== "") pieces.push(current);
  return pieces;
}

function cutLine(line: string, max: number): string[] {
  const parts: string[] = [];
  let rest = line;
  // Each round removes at least one character, so this ends.
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut <= 0) {
      cut = max;
      const entity = /&[a-z]*$/.exec(rest.slice(0, cut));
      if (entity && entity.index > 0) cut = entity.index;
      if (/[\ud800-\udbff]$/.test(rest.slice(0, cut))) cut -= 1;
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, "");
  }
  parts.push(rest);
  return parts;
}

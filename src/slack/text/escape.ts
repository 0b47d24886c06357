/**
 * Slack reads `&`, `<` and `>` as markup in mrkdwn and in a message's fallback text. Escaping them
 * turns `<!channel>`, `<!here>`, `<@U123>` and `<!subteam^S1>` typed by a person into plain text
 * that pings no one. Bare `@channel` words only become mentions with `link_names`, which this app
 * never sets; a word joiner after the `@` keeps them inert even so.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(channel|here|everyone)\b/gi, "@\u2060$1");
}

/** One line of a person's text for a list or a field: line breaks would break the layout. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** A Slack user id we stored as an actor, shown as a mention; anything else (a terminal user) as text. */
export function actorMention(actor: string): string {
  return /^[UW][A-Z0-9]{2,20}$/.test(actor) ? `<@${actor}>` : escapeMrkdwn(actor);
}

/**
 * Message and command text arrives with `&`, `<` and `>` typed by the person encoded as entities;
 * decode them so the stored answer is what was typed (it is escaped again whenever it is shown).
 */
export function fromSlackText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

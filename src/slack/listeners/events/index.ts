import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { appHomeOpened } from "./app-home-opened.js";
import { appMention } from "./app-mention.js";
import { messagePosted } from "./message.js";
import type { EventArgs } from "./message-event.js";

type EventHandler = (args: EventArgs) => Promise<void>;

/**
 * Event types bound to their handlers. Like actions and views, they share one Bolt listener: Bolt
 * runs every listener's matchers on every request.
 */
export function registerEvents(app: App, deps: SlackDeps): void {
  const handlers = new Map<string, EventHandler>([
    ["app_home_opened", appHomeOpened(deps)],
    ["app_mention", appMention(deps)],
    ["message", messagePosted(deps)],
  ]);
  app.event(new RegExp(`^(?:${[...handlers.keys()].join("|")})$`), async (args) => {
    const handler = handlers.get(args.event.type);
    if (handler) await handler(args);
  });
}

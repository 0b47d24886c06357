import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { registerActions } from "./actions/index.js";
import { registerAssistant } from "./assistant/index.js";
import { registerCommands } from "./commands/index.js";
import { registerEvents } from "./events/index.js";
import { registerViews } from "./views/index.js";

/** Every listener, by kind: one handler per file, each folder's index binding ids to handlers. */
export function registerListeners(app: App, deps: SlackDeps): void {
  // Middleware, not a listener: it runs before every listener and keeps assistant threads to itself.
  registerAssistant(app, deps);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
}

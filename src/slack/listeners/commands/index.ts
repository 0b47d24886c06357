import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { threatmodelCommand } from "./threatmodel.js";

export const COMMAND = "/threatmodel";

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(COMMAND, threatmodelCommand(deps));
}

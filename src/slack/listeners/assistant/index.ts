import { type App, Assistant, type AssistantConfig } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { threadStarted } from "./thread-started.js";
import { userMessage } from "./user-message.js";

/**
 * Threatbot does not use the channel a person is viewing beside the split view. Bolt's default
 * context store would re-read the thread with conversations.replies (about one call a minute for
 * apps outside the Marketplace) and rewrite the thread's first message; this one keeps nothing.
 */
const NO_THREAD_CONTEXT: NonNullable<AssistantConfig["threadContextStore"]> = {
  get: async () => ({}),
  save: async () => {},
};

/** Slack's AI split view: one Bolt Assistant, which takes assistant threads before other listeners. */
export function registerAssistant(app: App, deps: SlackDeps): void {
  app.assistant(
    new Assistant({
      threadContextStore: NO_THREAD_CONTEXT,
      threadStarted: threadStarted(deps),
      userMessage: userMessage(deps),
    }),
  );
}

import type { AssistantThreadStartedMiddleware } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";

/** What the split view offers when a person opens it: questions the knowledge base answers well. */
export const SUGGESTED_PROMPTS = {
  title: "Ask a security design question, for example:",
  prompts: [
    { title: "Moving a service to Lambda", message: "What changes if we move this service to Lambda?" },
    { title: "Wildcards in a Lambda role", message: "Should our Lambda role use wildcards?" },
    {
      title: "A VPC for API Gateway + Lambda",
      message: "Do we need a VPC for an API Gateway + Lambda API?",
    },
  ],
};

/** A new assistant thread: offer the suggested prompts, after the ack like every other Web API call. */
export function threadStarted(deps: SlackDeps): AssistantThreadStartedMiddleware {
  return async ({ event, setSuggestedPrompts }) => {
    const thread = event.assistant_thread;
    deps.questions.run(`assistant:${thread.channel_id}:${thread.thread_ts}`, async () => {
      try {
        await setSuggestedPrompts(SUGGESTED_PROMPTS);
      } catch (e) {
        deps.log.warn({ err: e }, "could not set the suggested prompts");
      }
    });
  };
}

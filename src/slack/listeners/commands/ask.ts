import { answerMessage, THINKING } from "../../blocks/answer.js";
import { noticeMessage } from "../../blocks/help.js";
import { type Notify, reportFailure, type SlackDeps } from "../../deps.js";

/**
 * `/threatmodel ask <question>`: the answer comes back through the command's response_url as an
 * ephemeral message, which works in any channel, even one the bot is not in. With an LLM
 * configured, a "looking this up" line comes first so the wait is not silent.
 */
export function askPrivately(deps: SlackDeps, key: string, question: string, notify: Notify): void {
  deps.questions.run(key, async () => {
    try {
      if (deps.qa.llmConfigured) await notify(noticeMessage(`:hourglass_flowing_sand: ${THINKING}`));
      await notify(answerMessage(await deps.qa.answerQuestion(question)));
    } catch (e) {
      await reportFailure(deps, notify, "command ask", e);
    }
  });
}

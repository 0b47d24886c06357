import type { Config, RunMode } from "../config.js";
import { InputError, KnowledgeError } from "../core/errors.js";
import { openThreatbot, type Threatbot } from "../core/open.js";
import { llmOptions } from "../qa/configure.js";
import { createSlackApp } from "./app.js";
import { createLogger } from "./log.js";

/** `npm start` with Slack settings: serve Slack until SIGINT or SIGTERM, then drain and close. */
export async function runSlack(
  config: Config,
  mode: Exclude<RunMode, { kind: "terminal" }>,
): Promise<number> {
  const log = createLogger(config.LOG_LEVEL);
  let bot: Threatbot;
  try {
    bot = openThreatbot({
      dbPath: config.THREATBOT_DB,
      knowledgeDir: config.THREATBOT_KNOWLEDGE,
      synchronous: config.THREATBOT_DB_SYNC === "full" ? "FULL" : "NORMAL",
    });
  } catch (e) {
    if (e instanceof KnowledgeError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (e instanceof InputError) {
      // THREATBOT_DB names something that is not a Threatbot database.
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  // The last net under every listener and queue: a stray rejection is logged, and the bot keeps serving.
  process.on("unhandledRejection", (e) => log.error({ err: e }, "unhandled rejection"));
  const slack = createSlackApp({
    core: bot,
    botToken: mode.botToken,
    transport:
      mode.kind === "socket"
        ? { kind: "socket", appToken: mode.appToken }
        : { kind: "http", signingSecret: mode.signingSecret },
    apiUrl: config.SLACK_API_URL,
    filesUrl: config.SLACK_FILES_URL,
    log,
    // Unset THREATBOT_MODEL: no LLM, and answers stay offline and deterministic.
    llm: llmOptions(config),
  });
  try {
    const { port } = await slack.start(
      mode.kind === "http" ? { port: mode.port, ...(mode.host ? { host: mode.host } : {}) } : undefined,
    );
    log.info(
      mode.kind === "socket"
        ? "Threatbot is connected to Slack in Socket Mode"
        : `Threatbot is listening for Slack on port ${port} at /slack/events`,
    );
    log.info(
      config.THREATBOT_MODEL
        ? `questions are answered by ${config.THREATBOT_MODEL} from the knowledge base`
        : "questions are answered from the knowledge base, without an LLM",
    );
  } catch (e) {
    log.error({ err: e }, "could not start the Slack app");
    process.stderr.write(`Threatbot could not start the Slack app: ${(e as Error).message}\n`);
    bot.close();
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  log.info("stopping: no new requests; sending what is in flight for at most 10 s");
  await slack.stop();
  bot.close();
  return 0;
}

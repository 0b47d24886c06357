import { runCli } from "./cli/run.js";
import { ConfigError, loadConfig } from "./config.js";

/** `npm start`: Slack when tokens are configured, otherwise a review in this terminal. */
async function main(): Promise<number> {
  try {
    loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(
    "Threatbot: no Slack tokens set, so this is a terminal review. Set SLACK_BOT_TOKEN and SLACK_APP_TOKEN to run in Slack.\n\n",
  );
  return runCli(["review", ...process.argv.slice(2)]);
}

process.exitCode = await main();

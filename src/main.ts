import { runCli } from "./cli/run.js";
import { type Config, ConfigError, loadConfig, runMode } from "./config.js";

/** `npm start`: Slack when tokens are configured, otherwise a review in this terminal. */
async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const mode = runMode(config);
  if (mode.kind !== "terminal") {
    // Loaded only here, so a terminal review never pays for Bolt.
    const { runSlack } = await import("./slack/run.js");
    const code = await runSlack(config, mode);
    // Whatever Slack still has open (a call that never answers) must not keep a stopped bot alive.
    process.exit(code);
  }
  process.stdout.write(
    "Threatbot: no Slack settings, so this is a terminal review. To run in Slack, set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP).\n\n",
  );
  return runCli(["review", ...process.argv.slice(2)]);
}

process.exitCode = await main();

import { z } from "zod";

/** Environment -> settings, read once at start-up; a bad value is named in one line. */
export const Config = z.object({
  THREATBOT_DB: z.string().min(1).default("./data/threatbot.db"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Configuration: ${String(issue?.path[0] ?? "")}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

import { z } from "zod";

/** An empty variable (`SLACK_APP_TOKEN=` in a .env file) counts as unset. */
const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);
const optionalSetting = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());

/** Messages name what is wrong, never the value: these settings are secrets. */
const SlackSettings = {
  SLACK_BOT_TOKEN: optionalSetting(
    z.string().regex(/^xoxb-[A-Za-z0-9-]+$/, "must be the bot token from OAuth & Permissions (xoxb-...)"),
  ),
  SLACK_APP_TOKEN: optionalSetting(
    z.string().regex(/^xapp-[A-Za-z0-9-]+$/, "must be an app-level token with connections:write (xapp-...)"),
  ),
  SLACK_SIGNING_SECRET: optionalSetting(
    z
      .string()
      .regex(/^[A-Za-z0-9]{16,}$/, "must be the signing secret from Basic Information (letters and digits)"),
  ),
  PORT: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: "must be a port number" })
      .int("must be a port number")
      .min(1, "must be from 1 to 65535")
      .max(65535, "must be from 1 to 65535")
      .default(3000),
  ),
  /** The interface HTTP mode listens on; unset listens on every interface. */
  HTTP_HOST: optionalSetting(z.string().min(1, "must be a host name or address")),
  /** The Web API base URL, for GovSlack or a test server; Socket Mode's connection call follows it. */
  SLACK_API_URL: optionalSetting(
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://slack.com/api/" })
      .transform((u) => (u.endsWith("/") ? u : `${u}/`)),
  ),
  /**
   * Where Slack serves the files people share (url_private_download). The bot token is sent only to
   * URLs under it; a file object pointing anywhere else is refused.
   */
  SLACK_FILES_URL: z.preprocess(
    unsetIfEmpty,
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://files.slack.com/" })
      .transform((u) => (u.endsWith("/") ? u : `${u}/`))
      .default("https://files.slack.com/"),
  ),
};

/** The optional LLM behind Q&A. Unset THREATBOT_MODEL: fully offline, deterministic answers. */
const LlmSettings = {
  /** langchain's initChatModel name: "provider:model", e.g. openai:gpt-4.1-mini, ollama:llama3.1. */
  THREATBOT_MODEL: optionalSetting(
    z
      .string()
      .regex(
        /^[a-z][a-z0-9_-]*:[A-Za-z0-9][A-Za-z0-9._:/@-]*$/,
        "must be provider:model, e.g. openai:gpt-4.1-mini, anthropic:claude-sonnet-4-5 or ollama:llama3.1",
      ),
  ),
  /** An OpenAI-compatible gateway, a local Ollama, or a test server. */
  THREATBOT_LLM_BASE_URL: optionalSetting(
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:11434" }),
  ),
  /** Unset: the provider's usual variable (OPENAI_API_KEY, ANTHROPIC_API_KEY) is used. */
  THREATBOT_LLM_API_KEY: optionalSetting(z.string().min(1)),
  THREATBOT_LLM_TIMEOUT_MS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: "must be a number of milliseconds" })
      .int("must be a whole number of milliseconds")
      .min(100, "must be at least 100")
      .max(300_000, "must be at most 300000 (5 minutes)")
      .default(20_000),
  ),
};
export const LlmConfig = z.object(LlmSettings);
export type LlmConfig = z.infer<typeof LlmConfig>;

/** Environment -> settings, read once at start-up; a bad value is named in one line. */
export const Config = z
  .object({
    ...SlackSettings,
    ...LlmSettings,
    THREATBOT_DB: z.string().min(1).default("./data/threatbot.db"),
    /** full: fsync every commit (answers survive power loss, acks wait for the disk); normal: see database.ts. */
    THREATBOT_DB_SYNC: z.enum(["normal", "full"]).default("normal"),
    /** An organisation's own knowledge folder, laid out like knowledge/. */
    THREATBOT_KNOWLEDGE: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, ctx) => {
    // A half-configured Slack app would silently fall back to the terminal; name the missing piece instead.
    if (!c.SLACK_BOT_TOKEN && (c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_BOT_TOKEN"],
        message: "is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set",
      });
    } else if (c.SLACK_BOT_TOKEN && !c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_APP_TOKEN"],
        message:
          "or SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN (app token: Socket Mode; signing secret: HTTP)",
      });
    }
  });
export type Config = z.infer<typeof Config>;

export type RunMode =
  | { kind: "socket"; botToken: string; appToken: string }
  | { kind: "http"; botToken: string; signingSecret: string; port: number; host?: string | undefined }
  | { kind: "terminal" };

/** Socket Mode when there is an app token, HTTP when there is a signing secret, otherwise the terminal. */
export function runMode(c: Config): RunMode {
  if (c.SLACK_BOT_TOKEN && c.SLACK_APP_TOKEN)
    return { kind: "socket", botToken: c.SLACK_BOT_TOKEN, appToken: c.SLACK_APP_TOKEN };
  if (c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET)
    return {
      kind: "http",
      botToken: c.SLACK_BOT_TOKEN,
      signingSecret: c.SLACK_SIGNING_SECRET,
      port: c.PORT,
      host: c.HTTP_HOST,
    };
  return { kind: "terminal" };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Configuration: ${String(issue?.path[0] ?? "")}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** Only the LLM settings, for commands that need nothing else (`threatbot ask`). */
export function loadLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig {
  const parsed = LlmConfig.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Configuration: ${String(issue?.path[0] ?? "")}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

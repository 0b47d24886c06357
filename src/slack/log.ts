import { type DestinationStream, type Logger, pino } from "pino";
import { maskSecretsSync } from "../core/secrets/mask.js";

/**
 * Fields that could carry a credential are censored wherever they appear in a log line. Nothing in
 * this app logs tokens on purpose; this is the net under that.
 */
export const REDACT = [
  "token",
  "*.token",
  "botToken",
  "appToken",
  "signingSecret",
  "*.botToken",
  "*.appToken",
  "*.signingSecret",
  "headers.authorization",
  "headers.Authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
];

/** Log lines pass through the synchronous secret scan, so a token quoted in a message is masked there too. */
function maskStrings(args: unknown[]): unknown[] {
  return args.map((a) => (typeof a === "string" ? maskSecretsSync(a) : a));
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: "threatbot" },
    redact: { paths: REDACT, censor: "[redacted]" },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, maskStrings(args));
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

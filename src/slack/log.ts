import { type DestinationStream, type Logger, pino } from "pino";

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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { app: "threatbot" }, redact: { paths: REDACT, censor: "[redacted]" } };
  return destination ? pino(options, destination) : pino(options);
}

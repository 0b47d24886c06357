import { createHmac, randomUUID } from "node:crypto";
import { request } from "node:http";

/**
 * Requests as Slack sends them to an app's HTTP endpoint: slash commands and interactivity as
 * application/x-www-form-urlencoded (no charset suffix), events as JSON, each signed with
 * v0=HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>").
 */

export interface SlackHttpResponse {
  status: number;
  body: string;
  ms: number;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  /** Sign with this secret; undefined sends no signature headers at all. */
  secret: string | undefined;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  headers?: Record<string, string>;
  /** Replace the signature with this one (a forgery). */
  signature?: string;
}

/** POST a raw body to the app, over a fresh loopback connection; bounded by a timeout. */
export function postToApp(
  url: string,
  body: string,
  contentType: string,
  opts: SendOptions,
  timeoutMs = 5000,
): Promise<SlackHttpResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string | number> = {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    // One connection per request, closed after it, so no test leaves a connection open behind it.
    connection: "close",
    ...opts.headers,
  };
  if (opts.secret !== undefined) {
    headers["x-slack-request-timestamp"] = String(timestamp);
    headers["x-slack-signature"] = opts.signature ?? slackSignature(opts.secret, timestamp, body);
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          ms: performance.now() - started,
        }),
      );
    });
    req.on("timeout", () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

export const FORM = "application/x-www-form-urlencoded";
export const JSON_TYPE = "application/json";

export interface Who {
  team: string;
  channel: string;
  user: string;
}

export function commandBody(
  who: Who,
  text: string,
  responseUrl: string,
  triggerId: string = randomUUID(),
): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: who.team,
    team_domain: "fake",
    channel_id: who.channel,
    channel_name: "reviews",
    user_id: who.user,
    user_name: who.user.toLowerCase(),
    command: "/threatmodel",
    text,
    api_app_id: "A0FAKE",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
}

export function commandPayload(
  who: Who,
  text: string,
  responseUrl: string,
  triggerId: string = randomUUID(),
) {
  return Object.fromEntries(new URLSearchParams(commandBody(who, text, responseUrl, triggerId)));
}

/** A button press on a message, as block_actions. */
export function buttonPayload(
  who: Who,
  message: { ts: string; threadTs?: string | undefined },
  button: { action_id: string; value?: string; block_id?: string },
  responseUrl: string,
) {
  return {
    type: "block_actions",
    api_app_id: "A0FAKE",
    token: "deprecated-verification-token",
    team: { id: who.team, domain: "fake" },
    user: { id: who.user, username: who.user.toLowerCase(), team_id: who.team },
    container: {
      type: "message",
      message_ts: message.ts,
      channel_id: who.channel,
      is_ephemeral: false,
      thread_ts: message.threadTs,
    },
    channel: { id: who.channel, name: "reviews" },
    message: { type: "message", ts: message.ts, thread_ts: message.threadTs, text: "" },
    trigger_id: randomUUID(),
    response_url: responseUrl,
    actions: [
      {
        type: "button",
        action_id: button.action_id,
        block_id: button.block_id ?? "b",
        value: button.value,
        action_ts: String(Date.now() / 1000),
        text: { type: "plain_text", text: "x" },
      },
    ],
  };
}

/** A button press on the App Home tab (no channel, no response_url). */
export function homeButtonPayload(who: Omit<Who, "channel">, button: { action_id: string; value?: string }) {
  return {
    type: "block_actions",
    api_app_id: "A0FAKE",
    token: "deprecated-verification-token",
    team: { id: who.team, domain: "fake" },
    user: { id: who.user, username: who.user.toLowerCase(), team_id: who.team },
    container: { type: "view", view_id: "VHOME" },
    view: { id: "VHOME", type: "home" },
    trigger_id: randomUUID(),
    actions: [{ type: "button", action_id: button.action_id, block_id: "b", value: button.value }],
  };
}

export type InputState = Record<
  string,
  Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>
>;

export function viewSubmissionPayload(
  who: Omit<Who, "channel">,
  view: { id: string; callback_id: string; private_metadata?: string },
  values: InputState,
) {
  return {
    type: "view_submission",
    team: { id: who.team, domain: "fake" },
    user: { id: who.user, username: who.user.toLowerCase(), name: who.user.toLowerCase(), team_id: who.team },
    api_app_id: "A0FAKE",
    token: "deprecated-verification-token",
    trigger_id: randomUUID(),
    view: {
      id: view.id,
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? "",
      state: { values },
      hash: "1",
    },
  };
}

export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventEnvelope(
  team: string,
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID().slice(0, 8)}`,
) {
  return {
    token: "deprecated-verification-token",
    team_id: team,
    api_app_id: "A0FAKE",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: team, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
  };
}

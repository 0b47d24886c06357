import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { KnowledgeBase } from "../core/knowledge/load.js";
import type { ReviewService } from "../core/review/service.js";
import type { QaService } from "../qa/service.js";
import { noticeMessage } from "./blocks/help.js";
import type { SlackMessage } from "./blocks/kit.js";
import { userMessage } from "./errors.js";
import type { OutboxContext, OutboxWorker } from "./outbox.js";
import type { WorkQueue } from "./work-queue.js";

/**
 * What every listener needs: the application service (the only way to reviews and what is stored),
 * the outbox, a log and the after-ack queues.
 */
export interface SlackDeps {
  kb: KnowledgeBase;
  reviews: ReviewService;
  log: Logger;
  work: WorkQueue;
  /** Questions answered from the knowledge base (and an LLM when one is configured). */
  qa: QaService;
  /**
   * Answering questions has its own queue: an LLM can take seconds per answer, and that must
   * never hold up the buttons and thread replies of a review.
   */
  questions: WorkQueue;
  /** Deliveries planned with each change to a review (used through outbox.ts only), and the worker that sends them. */
  deliveries: OutboxContext;
  worker: OutboxWorker;
  /** A Web API client that never retries on its own: cosmetic updates fail fast instead of queueing. */
  api: WebClient;
  /** The only place shared files are downloaded from, with the bot token (SLACK_FILES_URL). */
  filesUrl: string;
}

export type WebClient = webApi.WebClient;

/** Tell the person who acted, and only them (an ephemeral message). */
export type Notify = (message: SlackMessage) => Promise<void>;

/** Notify through a response_url (commands, buttons). */
export function viaRespond(
  respond: (m: {
    response_type: "ephemeral";
    replace_original: false;
    text: string;
    blocks: SlackMessage["blocks"];
  }) => Promise<unknown>,
): Notify {
  return async (m) => {
    await respond({ response_type: "ephemeral", replace_original: false, text: m.text, blocks: m.blocks });
  };
}

/** Notify with chat.postEphemeral (modal submissions and thread replies have no response_url). */
export function viaEphemeral(client: WebClient, channel: string, user: string, threadTs?: string): Notify {
  return async (m) => {
    await client.chat.postEphemeral({
      channel,
      user,
      text: m.text,
      blocks: m.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  };
}

/**
 * Queue work after the ack. A failure is logged in full and reaches the person as one short
 * ephemeral line; if even that fails, the log has both.
 */
export function afterAck(
  deps: SlackDeps,
  key: string,
  notify: Notify,
  what: string,
  job: () => Promise<void>,
): void {
  deps.work.run(key, async () => {
    try {
      await job();
    } catch (e) {
      await reportFailure(deps, notify, what, e);
    }
  });
}

export async function reportFailure(
  deps: SlackDeps,
  notify: Notify,
  what: string,
  e: unknown,
): Promise<void> {
  const shown = userMessage(e);
  if (shown.expected) deps.log.info({ what, reason: (e as Error).message }, "request refused");
  else deps.log.error({ what, err: e }, "request failed");
  try {
    await notify(noticeMessage(shown.mrkdwn));
  } catch (e2) {
    deps.log.error({ what, err: e2 }, "could not tell the user about a failure");
  }
}

/** Notify in the person's DM with the app (the App Home has no channel to be ephemeral in). */
export function viaDm(client: WebClient, user: string): Notify {
  return async (m) => {
    await client.chat.postMessage({ channel: user, text: m.text, blocks: m.blocks });
  };
}

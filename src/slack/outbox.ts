import { setMaxListeners } from "node:events";
import { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { ReviewService } from "../core/review/service.js";
import { type Delivery, OutboxStore } from "../storage/outbox-store.js";
import type { ReviewStore } from "../storage/review-store.js";
import { SlackStore } from "../storage/slack-store.js";
import { noticeMessage } from "./blocks/help.js";
import type { SlackMessage } from "./blocks/kit.js";
import { questionMessage } from "./blocks/question.js";
import { rootMessage, summaryMessage } from "./blocks/review.js";
import { INVITE_ME, SOMETHING_WRONG, slackErrorCode } from "./errors.js";
import { reportFile } from "./report-file.js";

/*
 * The outbox: what a review shows in Slack is planned inside the transaction that changes the
 * review, and sent afterwards, in order per review, by the worker below. A crash at any point
 * leaves either a pending delivery (sent at the next start) or one whose outcome is unknown
 * (looked up in the thread by its key before anything is sent again), never a stalled review.
 * Delivery keys and their formats live here and nowhere else.
 */

/** Message metadata event type carrying a delivery's key, so a post can be found again. */
export const DELIVERY_EVENT = "threatbot_delivery";

const KEY = {
  root: (reviewId: number) => `root:${reviewId}`,
  ask: (reviewId: number, at: number) => `ask:${reviewId}:${at}`,
  finish: (reviewId: number, at: number) => `finish:${reviewId}:${at}`,
  summary: (reviewId: number, version: number) => `summary:${reviewId}:${version}`,
  report: (reviewId: number, version: number) => `report:${reviewId}:${version}`,
  export: (teamId: string, trigger: string) => `export:${teamId}:${trigger}`,
  files: (teamId: string, channel: string, ts: string) => `files:${teamId}:${channel}:${ts}`,
};
const reviewLane = (reviewId: number) => `review:${reviewId}`;
const channelLane = (channelId: string) => `channel:${channelId}`;

/** Slack answered, and the answer was no: sending again would get the same answer. */
const CANNOT_POST = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action"]);

export interface OutboxContext {
  reviews: ReviewService;
  store: ReviewStore;
  slack: SlackStore;
  outbox: OutboxStore;
}

/** The outbox's view of the database: its own table, and the review facts deliveries depend on. */
export function outboxContext(core: { reviews: ReviewService; store: ReviewStore }): OutboxContext {
  return {
    reviews: core.reviews,
    store: core.store,
    slack: new SlackStore(core.store.db),
    outbox: new OutboxStore(core.store.db),
  };
}

/**
 * Plan what the review's thread needs now. Runs inside the transaction of the change, so the
 * change and its deliveries commit together; keys make planning twice harmless.
 */
export function planDeliveries(ctx: OutboxContext, reviewId: number): void {
  const view = ctx.reviews.view(reviewId);
  const loc = view.review.slack;
  if (!loc) return;
  const lane = reviewLane(reviewId);
  const channel = loc.channelId;
  if (!loc.threadTs) {
    const r = view.review;
    ctx.outbox.add({
      key: KEY.root(reviewId),
      lane,
      reviewId,
      request: {
        kind: "root",
        channel,
        userId: r.createdBy,
        ...rootMessage({ reviewId, name: r.name, workload: r.workload, startedBy: r.createdBy }),
      },
    });
  }
  const at = ctx.slack.eventCount(reviewId);
  if (view.review.status === "finished") {
    const version = ctx.store.latestVersion(reviewId);
    if (version === 0) return;
    const fm = ctx.reviews.threatModel(reviewId);
    ctx.outbox.add({
      key: KEY.summary(reviewId, version),
      lane,
      reviewId,
      request: { kind: "post", channel, ...summaryMessage(fm.model) },
    });
    ctx.outbox.add({
      key: KEY.report(reviewId, version),
      lane,
      reviewId,
      request: { kind: "upload", channel, inThread: true, version, format: "md" },
    });
    return;
  }
  if (view.question) {
    ctx.outbox.add({
      key: KEY.ask(reviewId, at),
      lane,
      reviewId,
      questionId: view.question.id,
      request: {
        kind: "post",
        channel,
        ...questionMessage({
          reviewId,
          question: view.question,
          options: view.options,
          progress: view.progress,
          canGoBack: view.state.answers.length > 0,
        }),
      },
    });
    return;
  }
  // Every question is answered: the last answer finishes the review, which plans the summary.
  const actor = view.state.answers.at(-1)?.actor ?? view.review.createdBy;
  ctx.reviews.finish(reviewId, actor, KEY.finish(reviewId, at));
}

/**
 * Bring a review's thread up to date with the stored review: plan what it is missing and send again
 * what was given up on. A click on an answered question lands here, so a review can always be continued.
 */
export function replan(ctx: OutboxContext, reviewId: number): string {
  ctx.store.transaction(() => {
    ctx.outbox.retryFailed(reviewLane(reviewId));
    planDeliveries(ctx, reviewId);
  });
  return reviewLane(reviewId);
}

/** The latest message that asked this question of this review, once it was posted. */
export function askedMessage(
  ctx: OutboxContext,
  reviewId: number,
  questionId: string,
): { channelId: string; ts: string } | undefined {
  return ctx.outbox.askedMessage(reviewId, questionId);
}

/** Plan an export of a review's model into a channel; the trigger id makes a repeated request a no-op. */
export function planExport(
  ctx: OutboxContext,
  req: { teamId: string; triggerId: string; channelId: string; reviewId: number; format: "md" | "json" },
): string {
  const draft = ctx.reviews.view(req.reviewId).review.status !== "finished";
  // Its own transaction: nothing else changes with an export.
  ctx.store.transaction(() =>
    ctx.outbox.add({
      key: KEY.export(req.teamId, req.triggerId),
      lane: channelLane(req.channelId),
      reviewId: req.reviewId,
      request: {
        kind: "upload",
        channel: req.channelId,
        inThread: false,
        format: req.format,
        comment: `Threat model of review #${req.reviewId}${draft ? " (draft: the review is still in progress)" : ""}.`,
      },
    }),
  );
  return channelLane(req.channelId);
}

/** The key of files shared by one message: it names the upload, so a retried event reads nothing twice. */
export function filesKey(teamId: string, channel: string, messageTs: string): string {
  return KEY.files(teamId, channel, messageTs);
}

/** Plan the thread's reply about shared files; runs inside the transaction that stores them. */
export function planFilesReply(
  ctx: OutboxContext,
  req: { key: string; reviewId: number; channel: string; message: SlackMessage },
): void {
  ctx.outbox.add({
    key: req.key,
    lane: reviewLane(req.reviewId),
    reviewId: req.reviewId,
    request: { kind: "post", channel: req.channel, ...req.message },
  });
}

export { reviewLane };

export interface OutboxTiming {
  /** Wait before looking up a send whose outcome is unknown (Slack may still be processing it). */
  checkDelayMs: number;
  /** Longest wait between attempts. */
  maxBackoffMs: number;
  /** How often lanes with work are looked for (a missed kick, another process). */
  sweepMs: number;
}

const DEFAULT_TIMING: OutboxTiming = { checkDelayMs: 2000, maxBackoffMs: 30_000, sweepMs: 5000 };

type Sent = { channel: string; ts: string };

/**
 * Sends pending deliveries, one lane (review) at a time in order, lanes side by side. The client
 * it is given must not retry on its own: a timed-out post is resolved by looking for it, and a
 * 429 is waited out here without holding up other lanes.
 */
export class OutboxWorker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly abort = new AbortController();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly timing: OutboxTiming;

  constructor(
    private readonly ctx: OutboxContext,
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    timing: Partial<OutboxTiming> = {},
    /** Resolves when it is a good moment to send: after a burst of requests has been acknowledged. */
    private readonly gate: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    // Every waiting lane listens for the stop signal; there can be many lanes at once.
    setMaxListeners(0, this.abort.signal);
  }

  /** Send every lane with work left (after a restart) and keep looking now and then. */
  start(): void {
    for (const lane of this.ctx.outbox.lanesWithWork()) this.kick(lane);
    this.sweeper = setInterval(() => {
      for (const lane of this.ctx.outbox.lanesWithWork()) if (!this.running.has(lane)) this.kick(lane);
    }, this.timing.sweepMs);
    this.sweeper.unref();
  }

  /** Work on a lane now (after its transaction committed). */
  kick(lane: string): void {
    if (this.abort.signal.aborted) return;
    if (this.running.has(lane)) {
      this.again.add(lane);
      return;
    }
    const run = this.runLane(lane)
      .catch((e: unknown) => this.log.error({ err: e, lane }, "outbox lane failed"))
      .finally(() => {
        this.running.delete(lane);
        if (this.again.delete(lane)) this.kick(lane);
      });
    this.running.set(lane, run);
  }

  /** Resolves when nothing is being sent (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Stop: no new sends, waits end at once, and whatever is in flight gets at most `ms`. What is left
   * stays in the database for the next start.
   */
  async drain(ms: number): Promise<void> {
    clearInterval(this.sweeper);
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running.values()]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
    clearTimeout(timer);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async runLane(lane: string): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      // Each send writes to the database twice; let waiting acknowledgements go first.
      await this.gate();
      if (this.stopped) return;
      const d = this.ctx.outbox.next(lane);
      if (!d) return;
      const wait = await this.deliver(d);
      if (wait === 0) {
        failures = 0;
        continue;
      }
      failures++;
      await this.sleep(Math.min(this.timing.maxBackoffMs, wait * 2 ** Math.min(failures - 1, 5)));
    }
  }

  /** One attempt; 0 when the lane may move on, otherwise how long to wait before the next attempt. */
  private async deliver(d: Delivery): Promise<number> {
    if (d.state === "sending") {
      // A send was started before and its outcome is unknown: look before sending again.
      let found: Sent | undefined | "unknowable";
      try {
        found = await this.find(d);
      } catch (e) {
        this.log.warn({ key: d.key, err: e }, "could not look for an earlier send; will try again");
        return this.timing.checkDelayMs;
      }
      if (found === "unknowable") {
        // Nothing to look in (a file straight in a channel): never send twice blindly.
        this.log.warn(
          { key: d.key },
          "outcome of an earlier send is unknown and cannot be checked; not sent again",
        );
        this.ctx.outbox.failLane(d.lane);
        return 0;
      }
      if (found) {
        this.sent(d, found);
        return 0;
      }
    }
    this.ctx.outbox.markSending(d.key);
    try {
      this.sent(d, await this.send(d));
      return 0;
    } catch (e) {
      return this.failed(d, e);
    }
  }

  private failed(d: Delivery, e: unknown): number {
    const code = (e as { code?: string }).code;
    if (code === webApi.ErrorCode.RateLimitedError) {
      // Slack refused it outright: safe to send again once the wait it asked for is over.
      this.ctx.outbox.markPending(d.key);
      return Math.max(1000, ((e as { retryAfter?: number }).retryAfter ?? 1) * 1000);
    }
    if (code === webApi.ErrorCode.PlatformError) {
      const error = slackErrorCode(e) ?? "unknown";
      this.log.error({ key: d.key, error }, "Slack refused a delivery");
      this.ctx.outbox.failLane(d.lane);
      if (d.request.kind === "root") {
        this.abandon(d);
        void this.tellStarter(d, CANNOT_POST.has(error) ? INVITE_ME : SOMETHING_WRONG);
      }
      return 0;
    }
    // A timeout, a 5xx or a dropped connection: Slack may or may not have it. Stays "sending".
    this.log.warn({ key: d.key, err: e }, "delivery outcome unknown; will look for it before sending again");
    return this.timing.checkDelayMs;
  }

  private sent(d: Delivery, where: Sent): void {
    // One transaction: a root marked sent whose thread was not recorded would leave every later
    // delivery of the review with nowhere to go (a kill -9 between two commits did exactly that).
    this.ctx.store.transaction(() => {
      this.ctx.outbox.markSent(d.key, where);
      if (d.request.kind === "root" && d.reviewId !== undefined)
        this.ctx.store.setThread(d.reviewId, where.ts);
    });
    if (d.request.kind === "upload" && d.request.inThread && d.reviewId !== undefined) {
      void this.finishedRoot(d.reviewId);
    }
  }

  private threadOf(d: Delivery): string {
    const id = d.reviewId;
    const ts = id !== undefined ? this.ctx.store.getReview(id)?.slack?.threadTs : undefined;
    if (ts) return ts;
    // A database written before the root's send and its thread were committed together.
    const root = id !== undefined ? this.ctx.outbox.get(KEY.root(id)) : undefined;
    if (id === undefined || root?.state !== "sent" || !root.messageTs)
      throw new Error(`delivery ${d.key} has no thread to post in`);
    this.ctx.store.setThread(id, root.messageTs);
    return root.messageTs;
  }

  private async send(d: Delivery): Promise<Sent> {
    const r = d.request;
    switch (r.kind) {
      case "root": {
        if (d.reviewId !== undefined) {
          const isPrivate = await this.channelIsPrivate(r.channel);
          this.ctx.store.setChannelPrivate(d.reviewId, isPrivate);
        }
        return this.post(d, r, undefined);
      }
      case "post":
        return this.post(d, r, this.threadOf(d));
      case "upload": {
        if (d.reviewId === undefined) throw new Error(`upload ${d.key} names no review`);
        // The latest model: the one the summary was planned with, or a draft for an export.
        const file = reportFile(this.ctx.reviews.threatModel(d.reviewId), r.format);
        const common = {
          file: Buffer.from(file.content, "utf8"),
          filename: file.filename,
          title: file.title,
          ...(r.comment ? { initial_comment: r.comment } : {}),
        };
        await this.client.files.uploadV2(
          r.inThread
            ? { ...common, channel_id: r.channel, thread_ts: this.threadOf(d) }
            : { ...common, channel_id: r.channel },
        );
        return { channel: r.channel, ts: "file" };
      }
    }
  }

  /** Post a message tagged with its delivery key, so it can be found again if the answer is lost. */
  private async post(
    d: Delivery,
    m: { channel: string; text: string; blocks: unknown[] },
    threadTs: string | undefined,
  ): Promise<Sent> {
    const res = await this.client.chat.postMessage({
      channel: m.channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      text: m.text,
      blocks: m.blocks as never,
      metadata: { event_type: DELIVERY_EVENT, event_payload: { key: d.key } },
    });
    if (!res.ts) throw new Error("chat.postMessage returned no ts");
    return { channel: res.channel ?? m.channel, ts: res.ts };
  }

  /** Look for an earlier send of this delivery: by its metadata key, or a file by its name. */
  private async find(d: Delivery): Promise<Sent | undefined | "unknowable"> {
    const r = d.request;
    type Found = {
      ts?: string;
      metadata?: { event_payload?: { key?: unknown } };
      files?: { name?: string }[];
    };
    const byKey = (m: Found) => m.metadata?.event_payload?.key === d.key;
    if (r.kind === "root") {
      // The newest messages of the channel: a root posted moments before a crash is among them.
      const res = await this.client.conversations.history({
        channel: r.channel,
        limit: 200,
        include_all_metadata: true,
      });
      const m = (res.messages as Found[] | undefined)?.find(byKey);
      return m?.ts ? { channel: r.channel, ts: m.ts } : undefined;
    }
    if (r.kind === "upload" && !r.inThread) return "unknowable";
    const res = await this.client.conversations.replies({
      channel: r.channel,
      ts: this.threadOf(d),
      limit: 1000,
      include_all_metadata: true,
    });
    const messages = (res.messages as Found[] | undefined) ?? [];
    if (r.kind === "upload" && d.reviewId !== undefined) {
      const name = reportFile(this.ctx.reviews.threatModel(d.reviewId), r.format).filename;
      return messages.some((m) => m.files?.some((f) => f.name === name))
        ? { channel: r.channel, ts: "file" }
        : undefined;
    }
    const m = messages.find(byKey);
    return m?.ts ? { channel: r.channel, ts: m.ts } : undefined;
  }

  /** Private channels, DMs and channels we cannot look up are treated as private: fail closed. */
  private async channelIsPrivate(channel: string): Promise<boolean> {
    try {
      const c = (await this.client.conversations.info({ channel })).channel;
      return !(c && c.is_private === false && !c.is_im && !c.is_mpim);
    } catch {
      return true;
    }
  }

  /** A review whose thread could never start leaves nothing behind, unless it already holds answers. */
  private abandon(d: Delivery): void {
    const id = d.reviewId;
    if (id === undefined) return;
    this.ctx.store.transaction(() => {
      if (this.ctx.slack.eventCount(id) > 0) return;
      this.ctx.outbox.forgetReview(id);
      this.ctx.store.deleteIfEmpty(id);
    });
  }

  /** The review could not be started in its channel: tell whoever started it, in their DM with the app. */
  private async tellStarter(d: Delivery, mrkdwn: string): Promise<void> {
    if (d.request.kind !== "root") return;
    try {
      const m = noticeMessage(mrkdwn);
      await this.client.chat.postMessage({
        channel: d.request.userId,
        text: m.text,
        blocks: m.blocks as never,
      });
    } catch (e) {
      this.log.warn({ err: e }, "could not tell the starter that the channel refused the review");
    }
  }

  /** Cosmetic: the root message shows the finished counts. Never blocks or retries. */
  private async finishedRoot(reviewId: number): Promise<void> {
    try {
      const view = this.ctx.reviews.view(reviewId);
      const loc = view.review.slack;
      if (!loc?.threadTs) return;
      const fm = this.ctx.reviews.threatModel(reviewId);
      await this.client.chat.update({
        channel: loc.channelId,
        ts: loc.threadTs,
        ...rootMessage({
          reviewId,
          name: view.review.name,
          workload: view.review.workload,
          startedBy: view.review.createdBy,
          finished: {
            bySeverity: fm.model.summary.bySeverity,
            openQuestions: fm.model.summary.openQuestions,
          },
        }),
      } as never);
    } catch (e) {
      this.log.warn({ err: e, reviewId }, "could not update the root message");
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const t = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done);
    });
  }
}

import { z } from "zod";
import type { Db } from "./database.js";

/**
 * Everything the bot sends to Slack about a review, written as a pending delivery in the same
 * transaction as the change that causes it. `sending` means a send was started and its outcome is
 * not known (the process died, or Slack did not answer in time): before sending again, the worker
 * looks for the message in Slack.
 */
export const DeliveryState = z.enum(["pending", "sending", "sent", "failed"]);
export type DeliveryState = z.infer<typeof DeliveryState>;

// Block Kit JSON as the adapter built it; Slack checks it.
const Blocks = z.array(z.unknown());

export const DeliveryRequest = z.discriminatedUnion("kind", [
  /** The review's first message in the channel; its ts becomes the review's thread. */
  z.object({
    kind: z.literal("root"),
    channel: z.string(),
    text: z.string(),
    blocks: Blocks,
    /** Who started the review, told if the channel cannot be posted in. */
    userId: z.string(),
    responseUrl: z.string().optional(),
  }),
  /** A message in the review's thread (a question, the summary). */
  z.object({ kind: z.literal("post"), channel: z.string(), text: z.string(), blocks: Blocks }),
  /** A threat-model file, in the review's thread or (exports) straight in a channel. */
  z.object({
    kind: z.literal("upload"),
    channel: z.string(),
    inThread: z.boolean(),
    /** A stored version; absent, the latest at send time (a draft while the review is in progress). */
    version: z.number().int().positive().optional(),
    format: z.enum(["md", "json"]),
    comment: z.string().optional(),
  }),
]);
export type DeliveryRequest = z.infer<typeof DeliveryRequest>;

export interface Delivery {
  seq: number;
  key: string;
  lane: string;
  reviewId: number | undefined;
  questionId: string | undefined;
  request: DeliveryRequest;
  state: DeliveryState;
  attempts: number;
  channelId: string | undefined;
  messageTs: string | undefined;
  createdAt: string;
}

interface Row {
  seq: number;
  key: string;
  lane: string;
  review_id: number | null;
  question_id: string | null;
  request: string;
  state: string;
  attempts: number;
  channel_id: string | null;
  message_ts: string | null;
  created_at: string;
}

const toDelivery = (r: Row): Delivery => ({
  seq: r.seq,
  key: r.key,
  lane: r.lane,
  reviewId: r.review_id ?? undefined,
  questionId: r.question_id ?? undefined,
  request: DeliveryRequest.parse(JSON.parse(r.request)),
  state: DeliveryState.parse(r.state),
  attempts: r.attempts,
  channelId: r.channel_id ?? undefined,
  messageTs: r.message_ts ?? undefined,
  createdAt: r.created_at,
});

export interface NewDelivery {
  key: string;
  lane: string;
  reviewId?: number;
  questionId?: string;
  request: DeliveryRequest;
}

export class OutboxStore {
  private readonly stmts;

  constructor(
    readonly db: Db,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.stmts = {
      add: db.prepare(
        `INSERT INTO outbox (key, lane, review_id, question_id, request, created_at)
         VALUES (@key, @lane, @reviewId, @questionId, @request, @at) ON CONFLICT (key) DO NOTHING`,
      ),
      get: db.prepare<[string], Row>("SELECT * FROM outbox WHERE key = ?"),
      next: db.prepare<[string], Row>(
        "SELECT * FROM outbox WHERE lane = ? AND state IN ('pending', 'sending') ORDER BY seq LIMIT 1",
      ),
      lanes: db.prepare<[], { lane: string }>(
        "SELECT DISTINCT lane FROM outbox WHERE state IN ('pending', 'sending')",
      ),
      setState: db.prepare(
        "UPDATE outbox SET state = @state, attempts = attempts + @tried, updated_at = @at WHERE key = @key",
      ),
      sent: db.prepare(
        "UPDATE outbox SET state = 'sent', channel_id = @channel, message_ts = @ts, updated_at = @at WHERE key = @key",
      ),
      failLane: db.prepare(
        "UPDATE outbox SET state = 'failed', updated_at = ? WHERE lane = ? AND state IN ('pending', 'sending')",
      ),
      retryFailed: db.prepare(
        "UPDATE outbox SET state = 'pending', updated_at = ? WHERE lane = ? AND state = 'failed'",
      ),
      asked: db.prepare<[number, string], { channel_id: string; message_ts: string }>(
        `SELECT channel_id, message_ts FROM outbox
         WHERE review_id = ? AND question_id = ? AND state = 'sent' AND message_ts IS NOT NULL
         ORDER BY seq DESC LIMIT 1`,
      ),
      forget: db.prepare("DELETE FROM outbox WHERE review_id = ?"),
      counts: db.prepare<[], { state: string; n: number }>(
        "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state",
      ),
    };
  }

  /** Add a delivery unless one with its key exists; true when added. Call inside the causing transaction. */
  add(d: NewDelivery): boolean {
    return (
      this.stmts.add.run({
        key: d.key,
        lane: d.lane,
        reviewId: d.reviewId ?? null,
        questionId: d.questionId ?? null,
        request: JSON.stringify(d.request),
        at: this.now(),
      }).changes === 1
    );
  }

  get(key: string): Delivery | undefined {
    const r = this.stmts.get.get(key);
    return r ? toDelivery(r) : undefined;
  }

  /** The oldest delivery of a lane not yet known to be sent. */
  next(lane: string): Delivery | undefined {
    const r = this.stmts.next.get(lane);
    return r ? toDelivery(r) : undefined;
  }

  /** Lanes with work left (after a restart: pending deliveries and those whose outcome is unknown). */
  lanesWithWork(): string[] {
    return this.stmts.lanes.all().map((r) => r.lane);
  }

  markSending(key: string): void {
    this.stmts.setState.run({ key, state: "sending", tried: 1, at: this.now() });
  }

  markPending(key: string): void {
    this.stmts.setState.run({ key, state: "pending", tried: 0, at: this.now() });
  }

  markSent(key: string, where: { channel: string; ts: string }): void {
    this.stmts.sent.run({ key, channel: where.channel, ts: where.ts, at: this.now() });
  }

  /** Give up on a lane (its channel cannot be posted in): nothing after the failure can be shown either. */
  failLane(lane: string): void {
    this.stmts.failLane.run(this.now(), lane);
  }

  /** Someone is trying again: deliveries given up on are sent again. */
  retryFailed(lane: string): number {
    return this.stmts.retryFailed.run(this.now(), lane).changes;
  }

  /** The latest message that asked this question of this review. */
  askedMessage(reviewId: number, questionId: string): { channelId: string; ts: string } | undefined {
    const row = this.stmts.asked.get(reviewId, questionId);
    return row ? { channelId: row.channel_id, ts: row.message_ts } : undefined;
  }

  /** Drop a review's deliveries (the review itself is being removed). */
  forgetReview(reviewId: number): void {
    this.stmts.forget.run(reviewId);
  }

  counts(): Record<DeliveryState, number> {
    const out = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const r of this.stmts.counts.all()) out[DeliveryState.parse(r.state)] = r.n;
    return out;
  }
}

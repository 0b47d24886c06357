import type { Db } from "./database.js";

export interface PostedMessage {
  channelId: string;
  ts: string;
}

/**
 * What the Slack adapter has already done. A key is claimed before the work it stands for, in the
 * database rather than in memory, so a retry or a second process sees the claim and does nothing.
 */
export class SlackStore {
  private readonly stmts;

  constructor(
    readonly db: Db,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.stmts = {
      claim: db.prepare(
        `INSERT INTO slack_deliveries (key, review_id, question_id, channel_id, at)
         VALUES (@key, @reviewId, @questionId, @channelId, @at) ON CONFLICT (key) DO NOTHING`,
      ),
      claimed: db.prepare<[string], { n: number }>("SELECT 1 AS n FROM slack_deliveries WHERE key = ?"),
      release: db.prepare("DELETE FROM slack_deliveries WHERE key = ? AND message_ts IS NULL"),
      setMessage: db.prepare("UPDATE slack_deliveries SET channel_id = ?, message_ts = ? WHERE key = ?"),
      eventCount: db.prepare<[number], { n: number }>(
        "SELECT COUNT(*) AS n FROM review_events WHERE review_id = ?",
      ),
    };
  }

  /** True when this call took the key; false when it was taken before (a retry or a double click). */
  claim(key: string, about: { reviewId?: number; questionId?: string; channelId?: string } = {}): boolean {
    return (
      this.stmts.claim.run({
        key,
        reviewId: about.reviewId ?? null,
        questionId: about.questionId ?? null,
        channelId: about.channelId ?? null,
        at: this.now(),
      }).changes === 1
    );
  }

  /** Whether the key was claimed before, without claiming it. */
  claimed(key: string): boolean {
    return this.stmts.claimed.get(key) !== undefined;
  }

  /** Give a claim back when its work failed before anything reached Slack, so a retry can do it. */
  release(key: string): void {
    this.stmts.release.run(key);
  }

  setMessage(key: string, message: PostedMessage): void {
    this.stmts.setMessage.run(message.channelId, message.ts, key);
  }

  /** How many events a review's log holds: it only grows, so it names one point of the review. */
  eventCount(reviewId: number): number {
    return this.stmts.eventCount.get(reviewId)?.n ?? 0;
  }
}

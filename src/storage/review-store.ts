import { randomUUID } from "node:crypto";
import { z } from "zod";
import { parseFileFacts } from "../core/facts/file-fact.js";
import type { FileFact } from "../core/facts/state.js";
import { Workload } from "../core/knowledge/schema.js";
import { AnswerValue, type ReviewEvent } from "../core/review/events.js";
import type { Db } from "./database.js";

export const ReviewOrigin = z.enum(["terminal", "cli", "slack"]);
export type ReviewOrigin = z.infer<typeof ReviewOrigin>;

export interface SlackLocation {
  teamId: string;
  channelId: string;
  channelPrivate: boolean;
  threadTs?: string | undefined;
}

export interface ReviewRecord {
  id: number;
  uuid: string;
  name: string;
  workload: Workload;
  status: "in_progress" | "finished";
  origin: ReviewOrigin;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  slack?: SlackLocation | undefined;
}

export interface NewReview {
  name: string;
  workload: Workload;
  origin: ReviewOrigin;
  createdBy: string;
  at: string;
  slack?: SlackLocation | undefined;
}

interface ReviewRow {
  id: number;
  uuid: string;
  name: string;
  workload: string;
  status: "in_progress" | "finished";
  origin: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  last_activity: string;
  team_id: string | null;
  channel_id: string | null;
  channel_private: number;
  thread_ts: string | null;
}

interface EventRow {
  seq: number;
  type: ReviewEvent["type"];
  question_id: string | null;
  value: string | null;
  actor: string;
  at: string;
}

function toRecord(r: ReviewRow): ReviewRecord {
  return {
    id: r.id,
    uuid: r.uuid,
    name: r.name,
    workload: Workload.parse(r.workload),
    status: r.status,
    origin: ReviewOrigin.parse(r.origin),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.last_activity,
    slack:
      r.team_id && r.channel_id
        ? {
            teamId: r.team_id,
            channelId: r.channel_id,
            channelPrivate: r.channel_private === 1,
            threadTs: r.thread_ts ?? undefined,
          }
        : undefined,
  };
}

function toEvent(r: EventRow): ReviewEvent {
  if (r.type === "answer") {
    return {
      type: "answer",
      questionId: r.question_id ?? "",
      value: AnswerValue.parse(JSON.parse(r.value ?? "null")),
      actor: r.actor,
      at: r.at,
    };
  }
  if (r.type === "files") {
    return { type: "files", facts: parseFileFacts(r.value ?? "[]"), actor: r.actor, at: r.at };
  }
  return { type: r.type, actor: r.actor, at: r.at };
}

// Last activity is read from the event log rather than written on every answer: one row per commit
// instead of two keeps each fsync'd transaction small.
const REVIEW_COLUMNS = `r.*, COALESCE((SELECT e.at FROM review_events e WHERE e.review_id = r.id ORDER BY e.seq DESC LIMIT 1), r.updated_at) AS last_activity`;

/** SQLite persistence of reviews: statements are prepared once; callers group writes in transaction(). */
export class ReviewStore {
  private readonly stmts;

  constructor(readonly db: Db) {
    this.stmts = {
      insertReview: db.prepare(
        `INSERT INTO reviews (uuid, name, workload, origin, created_by, created_at, updated_at, team_id, channel_id, channel_private, thread_ts)
         VALUES (@uuid, @name, @workload, @origin, @createdBy, @at, @at, @teamId, @channelId, @channelPrivate, @threadTs)`,
      ),
      getReview: db.prepare<[number], ReviewRow>(`SELECT ${REVIEW_COLUMNS} FROM reviews r WHERE id = ?`),
      byThread: db.prepare<[string, string], ReviewRow>(
        `SELECT ${REVIEW_COLUMNS} FROM reviews r WHERE channel_id = ? AND thread_ts = ? ORDER BY id DESC LIMIT 1`,
      ),
      list: db.prepare<[{ team: string | null; channel: string | null; limit: number }], ReviewRow>(
        `SELECT ${REVIEW_COLUMNS} FROM reviews r
         WHERE (@team IS NULL OR team_id = @team) AND (@channel IS NULL OR channel_id = @channel OR channel_private = 0)
         ORDER BY last_activity DESC, id DESC LIMIT @limit`,
      ),
      events: db.prepare<[number, number], EventRow>(
        "SELECT seq, type, question_id, value, actor, at FROM review_events WHERE review_id = ? AND seq > ? ORDER BY seq",
      ),
      eventByKey: db.prepare<[string], { review_id: number }>(
        "SELECT review_id FROM review_events WHERE idempotency_key = ?",
      ),
      appendEvent: db.prepare(
        `INSERT INTO review_events (review_id, type, question_id, value, actor, at, idempotency_key)
         VALUES (@reviewId, @type, @questionId, @value, @actor, @at, @key)`,
      ),
      setStatus: db.prepare("UPDATE reviews SET updated_at = ?, status = ? WHERE id = ? AND status <> ?"),
      setThread: db.prepare("UPDATE reviews SET thread_ts = ? WHERE id = ?"),
      insertFiles: db.prepare("INSERT INTO review_files (review_id, facts_json, at) VALUES (?, ?, ?)"),
      files: db.prepare<[number], { facts_json: string }>(
        "SELECT facts_json FROM review_files WHERE review_id = ?",
      ),
      setPrivate: db.prepare("UPDATE reviews SET channel_private = ? WHERE id = ?"),
      deleteEmpty: db.prepare(
        "DELETE FROM reviews WHERE id = ? AND NOT EXISTS (SELECT 1 FROM review_events WHERE review_id = reviews.id)",
      ),
      latestVersion: db.prepare<[number], { v: number | null }>(
        "SELECT MAX(version) AS v FROM threat_models WHERE review_id = ?",
      ),
      insertModel: db.prepare(
        "INSERT INTO threat_models (review_id, version, created_at, model_json, markdown) VALUES (?, ?, ?, ?, ?)",
      ),
      getModel: db.prepare<[number, number], { version: number; model_json: string; markdown: string }>(
        "SELECT version, model_json, markdown FROM threat_models WHERE review_id = ? AND version = ?",
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock up front, so two answers to one review are serialised.
    return this.db.transaction(fn).immediate();
  }

  createReview(input: NewReview): ReviewRecord {
    const info = this.stmts.insertReview.run({
      uuid: randomUUID(),
      name: input.name,
      workload: input.workload,
      origin: input.origin,
      createdBy: input.createdBy,
      at: input.at,
      teamId: input.slack?.teamId ?? null,
      channelId: input.slack?.channelId ?? null,
      channelPrivate: input.slack?.channelPrivate ? 1 : 0,
      threadTs: input.slack?.threadTs ?? null,
    });
    return this.getReview(Number(info.lastInsertRowid)) as ReviewRecord;
  }

  getReview(id: number): ReviewRecord | undefined {
    const row = this.stmts.getReview.get(id);
    return row ? toRecord(row) : undefined;
  }

  reviewByThread(channelId: string, threadTs: string): ReviewRecord | undefined {
    const row = this.stmts.byThread.get(channelId, threadTs);
    return row ? toRecord(row) : undefined;
  }

  setThread(id: number, threadTs: string): void {
    this.stmts.setThread.run(threadTs, id);
  }

  /** A Slack review starts as private (fail closed) until its channel has been looked up. */
  setChannelPrivate(id: number, isPrivate: boolean): void {
    this.stmts.setPrivate.run(isPrivate ? 1 : 0, id);
  }

  /** Remove a review nobody answered anything in (it could never be shown); true when removed. */
  deleteIfEmpty(id: number): boolean {
    return this.stmts.deleteEmpty.run(id).changes === 1;
  }

  /** Reviews newest first; with a team, only that team's, and private channels only from inside them. */
  list(filter: { teamId?: string; channelId?: string; limit?: number } = {}): ReviewRecord[] {
    return this.stmts.list
      .all({ team: filter.teamId ?? null, channel: filter.channelId ?? null, limit: filter.limit ?? 50 })
      .map(toRecord);
  }

  events(reviewId: number): ReviewEvent[] {
    return this.eventsAfter(reviewId, 0).map((e) => e.event);
  }

  /** Events appended after a given sequence number, for callers that keep a folded state. */
  eventsAfter(reviewId: number, seq: number): { seq: number; event: ReviewEvent }[] {
    return this.stmts.events.all(reviewId, seq).map((r) => ({ seq: r.seq, event: toEvent(r) }));
  }

  /** The review an idempotency key was already used for, if any (Slack retries, double clicks). */
  seen(key: string): number | undefined {
    return this.stmts.eventByKey.get(key)?.review_id;
  }

  /** Append an event; returns its sequence number. */
  append(reviewId: number, event: ReviewEvent, key?: string): number {
    const info = this.stmts.appendEvent.run({
      reviewId,
      type: event.type,
      questionId: event.type === "answer" ? event.questionId : null,
      value:
        event.type === "answer"
          ? JSON.stringify(event.value)
          : event.type === "files"
            ? JSON.stringify(event.facts)
            : null,
      actor: event.actor,
      at: event.at,
      key: key ?? null,
    });
    if (event.type === "finish") this.stmts.setStatus.run(event.at, "finished", reviewId, "finished");
    return Number(info.lastInsertRowid);
  }

  /** The facts read from the files a review started with (secrets already masked by the scanner). */
  saveFileFacts(reviewId: number, facts: readonly FileFact[], at: string): void {
    if (facts.length > 0) this.stmts.insertFiles.run(reviewId, JSON.stringify(facts), at);
  }

  fileFacts(reviewId: number): FileFact[] {
    const row = this.stmts.files.get(reviewId);
    return row ? parseFileFacts(row.facts_json) : [];
  }

  saveThreatModel(reviewId: number, at: string, modelJson: string, markdown: string): number {
    const version = (this.stmts.latestVersion.get(reviewId)?.v ?? 0) + 1;
    this.stmts.insertModel.run(reviewId, version, at, modelJson, markdown);
    return version;
  }

  latestVersion(reviewId: number): number {
    return this.stmts.latestVersion.get(reviewId)?.v ?? 0;
  }

  threatModel(
    reviewId: number,
    version?: number,
  ): { version: number; json: string; markdown: string } | undefined {
    const v = version ?? this.latestVersion(reviewId);
    const row = this.stmts.getModel.get(reviewId, v);
    return row ? { version: row.version, json: row.model_json, markdown: row.markdown } : undefined;
  }
}

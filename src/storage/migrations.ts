/**
 * Versioned schema migrations, applied in order inside one transaction each and recorded in
 * PRAGMA user_version. Never edit a released migration; append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: reviews, their append-only event log, and every version of their threat model.
  `
  CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    workload TEXT NOT NULL CHECK (workload IN ('vm', 'container', 'serverless', 'undecided')),
    status TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'finished')),
    origin TEXT NOT NULL CHECK (origin IN ('terminal', 'cli', 'slack')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    team_id TEXT,
    channel_id TEXT,
    channel_private INTEGER NOT NULL DEFAULT 0,
    thread_ts TEXT
  );
  CREATE INDEX reviews_by_team ON reviews (team_id);
  CREATE INDEX reviews_by_thread ON reviews (channel_id, thread_ts);

  CREATE TABLE review_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id INTEGER NOT NULL REFERENCES reviews (id),
    type TEXT NOT NULL CHECK (type IN ('answer', 'back', 'finish')),
    question_id TEXT,
    value TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    idempotency_key TEXT UNIQUE
  );
  CREATE INDEX review_events_by_review ON review_events (review_id, seq);
  -- The answer log is append-only: history is never rewritten, "back" is an event of its own.
  CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END;
  CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END;

  CREATE TABLE threat_models (
    review_id INTEGER NOT NULL REFERENCES reviews (id),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    model_json TEXT NOT NULL,
    markdown TEXT NOT NULL,
    PRIMARY KEY (review_id, version)
  );
  `,
  // 2: what the Slack adapter has already done, so retries and double clicks do it once.
  `
  CREATE TABLE slack_deliveries (
    -- A review start (trigger or view id), a question asked at one point of a review's log, or a summary.
    key TEXT PRIMARY KEY,
    review_id INTEGER REFERENCES reviews (id),
    question_id TEXT,
    channel_id TEXT,
    -- The message posted for it, once Slack has accepted it.
    message_ts TEXT,
    at TEXT NOT NULL
  );
  CREATE INDEX slack_deliveries_by_question ON slack_deliveries (review_id, question_id);
  `,
  // 3: the outbox: every message, upload and summary a review sends, planned with the change that causes it.
  `
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    -- Deliveries of one lane (a review's thread, a channel's exports) are sent in seq order.
    lane TEXT NOT NULL,
    review_id INTEGER REFERENCES reviews (id),
    question_id TEXT,
    request TEXT NOT NULL,
    -- sending: a send was started and its outcome is not known yet.
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    channel_id TEXT,
    message_ts TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT
  );
  CREATE INDEX outbox_by_lane ON outbox (lane, state, seq);
  CREATE INDEX outbox_by_question ON outbox (review_id, question_id);
  -- Questions and summaries already posted before the outbox existed count as sent.
  INSERT INTO outbox (key, lane, review_id, question_id, request, state, channel_id, message_ts, created_at)
    SELECT key, 'review:' || review_id, review_id, question_id,
           json_object('kind', 'post', 'channel', channel_id, 'text', '', 'blocks', json('[]')),
           'sent', channel_id, message_ts, at
    FROM slack_deliveries
    WHERE review_id IS NOT NULL AND message_ts IS NOT NULL AND (key LIKE 'ask:%' OR key LIKE 'summary:%');
  `,
  // 4: facts read from the files a review was started with (Dockerfiles, manifests, templates), once per review.
  `
  CREATE TABLE review_files (
    review_id INTEGER PRIMARY KEY REFERENCES reviews (id),
    facts_json TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE TRIGGER review_files_no_update BEFORE UPDATE ON review_files
    BEGIN SELECT RAISE(ABORT, 'review_files is append-only'); END;
  `,
  // 5: files shared during a review (a Slack thread upload) are an event of the log, so answers and
  // files replay in the order they came. SQLite cannot widen a CHECK, so the table is rebuilt as is.
  `
  CREATE TABLE review_events_v5 (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id INTEGER NOT NULL REFERENCES reviews (id),
    type TEXT NOT NULL CHECK (type IN ('answer', 'back', 'finish', 'files')),
    question_id TEXT,
    value TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    idempotency_key TEXT UNIQUE
  );
  INSERT INTO review_events_v5 (seq, review_id, type, question_id, value, actor, at, idempotency_key)
    SELECT seq, review_id, type, question_id, value, actor, at, idempotency_key FROM review_events;
  DROP TABLE review_events;
  ALTER TABLE review_events_v5 RENAME TO review_events;
  CREATE INDEX review_events_by_review ON review_events (review_id, seq);
  CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END;
  CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END;
  `,
];

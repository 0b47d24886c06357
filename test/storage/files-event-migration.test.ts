import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { APPLICATION_ID, openDatabase } from "../../src/storage/database.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { ReviewStore } from "../../src/storage/review-store.js";
import { tempDir } from "../support/core.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe("the files event (migration 5)", () => {
  it("keeps every earlier event, its order and keys, and the log stays append-only", () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, "v4.db");
    // A database as the release before wrote it, with a review in progress.
    const old = new Database(path);
    for (const m of MIGRATIONS.slice(0, 4)) old.exec(m);
    old.pragma("user_version = 4");
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.exec(`INSERT INTO reviews (uuid, name, workload, origin, created_by, created_at, updated_at)
      VALUES ('u1', 'api', 'container', 'slack', 'U1', 't', 't')`);
    old.exec(`INSERT INTO review_events (review_id, type, question_id, value, actor, at, idempotency_key)
      VALUES (1, 'answer', 'context.description', '{"kind":"text","text":"API"}', 'U1', 't1', 'k1'),
             (1, 'back', NULL, NULL, 'U1', 't2', 'k2')`);
    old.close();

    const db = openDatabase(path);
    const store = new ReviewStore(db);
    expect(store.events(1).map((e) => e.type)).toEqual(["answer", "back"]);
    expect(store.seen("k1")).toBe(1);
    const fact = {
      fact: "image.ref",
      value: "latest",
      file: "Dockerfile",
      line: 1,
      excerpt: "FROM node:latest",
    };
    const seq = store.append(1, { type: "files", facts: [fact], actor: "U2", at: "t3" }, "files:1");
    expect(seq).toBe(3);
    expect(store.events(1).at(-1)).toEqual({ type: "files", facts: [fact], actor: "U2", at: "t3" });
    expect(() => db.prepare("DELETE FROM review_events").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE review_events SET actor = 'x'").run()).toThrow(/append-only/);
    db.close();
  });
});

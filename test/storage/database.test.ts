import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../src/storage/database.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { tempDir } from "../support/core.js";

const dirs: (() => void)[] = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});
function dbPath() {
  const t = tempDir();
  dirs.push(t.cleanup);
  return join(t.dir, "nested", "threatbot.db");
}

describe("database", () => {
  it("creates its folder, uses WAL (fsync at checkpoints, or on every commit when asked), and records the schema version", () => {
    const db = openDatabase(dbPath());
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(1);
    const full = openDatabase(dbPath(), { synchronous: "FULL" });
    expect(full.pragma("synchronous", { simple: true })).toBe(2);
    full.close();
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it("keeps the answer log append-only", () => {
    const db = openDatabase(dbPath());
    db.prepare(
      "INSERT INTO reviews (uuid, name, workload, origin, created_by, created_at, updated_at) VALUES ('u', 'n', 'vm', 'cli', 'a', 't', 't')",
    ).run();
    db.prepare("INSERT INTO review_events (review_id, type, actor, at) VALUES (1, 'back', 'a', 't')").run();
    expect(() => db.prepare("UPDATE review_events SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM review_events").run()).toThrow(/append-only/);
    db.close();
  });

  it("refuses a database written by a newer Threatbot instead of corrupting it", () => {
    const path = dbPath();
    const db = openDatabase(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(/newer than this Threatbot understands/);
  });
});

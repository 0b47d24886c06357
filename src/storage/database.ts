import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../core/errors.js";
import { MIGRATIONS } from "./migrations.js";

/** PRAGMA application_id of every Threatbot database ("TBOT"), so another program's SQLite file is never mistaken for one. */
export const APPLICATION_ID = 0x54424f54;
/** Tables Threatbot creates; a file with other tables and no application id belongs to someone else. */
const OWN_TABLES = new Set(["reviews", "review_events", "threat_models", "slack_deliveries", "outbox"]);
const SQLITE_HEADER = "SQLite format 3\u0000";

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * NORMAL (the default): a committed transaction is in the WAL file before the commit returns, so it
   * survives the process being killed at any moment; the WAL is fsync'd at checkpoints, so an OS
   * crash or power loss can lose the commits since the last one. FULL fsyncs the WAL on every commit
   * (survives power loss too), at the cost of a disk flush on the event loop before every ack.
   */
  synchronous?: "FULL" | "NORMAL";
}

/** What is wrong with a database path, checked before SQLite opens (and so changes) anything. */
function checkDatabaseFile(path: string): void {
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(path);
  } catch {
    st = undefined;
  }
  if (!st) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw new InputError(
        `Cannot create the folder for the database ${path} (${(e as NodeJS.ErrnoException).code}); choose another path with --db.`,
      );
    }
    return;
  }
  if (st.isDirectory()) {
    throw new InputError(
      `The database path ${path} is a folder; give a file inside it, e.g. ${path}/threatbot.db.`,
    );
  }
  if (!st.isFile())
    throw new InputError(`The database path ${path} is not a regular file; give a database file.`);
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch {
    throw new InputError(
      `The database ${path} is read-only; make it writable or choose another file with --db.`,
    );
  }
  if (st.size === 0) return;
  const head = Buffer.alloc(16);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString("latin1") !== SQLITE_HEADER) {
    throw new InputError(
      `${path} is not a SQLite database; point --db at a Threatbot database or a new file.`,
    );
  }
}

/** Refuse, without writing to it, a database that is damaged or belongs to another program. */
function checkOwnership(db: Db, path: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new InputError(
      `The database ${path} has schema version ${version}, newer than this Threatbot understands (${MIGRATIONS.length}); upgrade Threatbot.`,
    );
  }
  const appId = db.pragma("application_id", { simple: true }) as number;
  if (appId === APPLICATION_ID) return;
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all()
    .map((t) => t.name);
  if (appId !== 0 || tables.some((t) => !OWN_TABLES.has(t))) {
    throw new InputError(
      `${path} is another application's SQLite database; Threatbot left it untouched. Point --db at a Threatbot database or a new file.`,
    );
  }
}

function asInputError(path: string, e: unknown): unknown {
  const code = (e as { code?: string }).code ?? "";
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new InputError(
      `The database ${path} is damaged (${(e as Error).message}); restore it from a backup or choose another file with --db.`,
    );
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_PERM") {
    return new InputError(
      `Cannot write the database ${path} or its journal next to it (${code}); make the folder writable or choose another path with --db.`,
    );
  }
  return e;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ":memory:") checkDatabaseFile(path);
  let db: Db | undefined;
  try {
    db = new Database(path);
    checkOwnership(db, path);
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${opts.synchronous ?? "NORMAL"}`);
    db.pragma("foreign_keys = ON");
    // Another process (the CLI next to the Slack bot) may hold the write lock briefly.
    db.pragma("busy_timeout = 5000");
    migrate(db);
    return db;
  } catch (e) {
    db?.close();
    throw asInputError(path, e);
  }
}

export function migrate(db: Db): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new InputError(
      `The database's schema version ${current} is newer than this Threatbot understands (${MIGRATIONS.length}); upgrade Threatbot.`,
    );
  }
  if ((db.pragma("application_id", { simple: true }) as number) !== APPLICATION_ID) {
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}

/**
 * The room's SQLite schema, applied in order on every start. Each step runs
 * once: the number of steps applied is kept in the room's own storage.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE messages (
     seq INTEGER PRIMARY KEY,
     client_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     user_name TEXT NOT NULL,
     text TEXT NOT NULL,
     ts INTEGER NOT NULL
   ) STRICT;
   CREATE UNIQUE INDEX messages_by_sender ON messages (user_id, client_id);
   CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, seen_at INTEGER NOT NULL) STRICT;
   CREATE INDEX users_by_seen_at ON users (seen_at);
   CREATE TABLE send_buckets (user_id TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_at INTEGER NOT NULL) STRICT;
   CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;`,
  "CREATE TABLE cooldowns (subject TEXT PRIMARY KEY, until INTEGER NOT NULL) STRICT;",
];

/** Brings the room's database up to the current schema. */
export function migrate(storage: DurableObjectStorage): void {
  storage.transactionSync(() => applyMigrations(storage.sql));
}

function applyMigrations(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT");
  const row = sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0];
  const applied = row?.version ?? 0;
  if (applied === MIGRATIONS.length) return;
  for (const step of MIGRATIONS.slice(applied)) sql.exec(step);
  if (row === undefined) sql.exec("INSERT INTO schema_version (version) VALUES (?)", MIGRATIONS.length);
  else sql.exec("UPDATE schema_version SET version = ?", MIGRATIONS.length);
}

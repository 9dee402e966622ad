/**
 * The parts a Room is composed of, and its SQLite schema. Each handler takes
 * the parts it needs from here; none of them knows about the Durable Object
 * class itself.
 */
import type { Limits } from "../protocol/frames.ts";
import { Arrivals } from "./arrivals.ts";
import { ByteBudget, Cooldowns, FrameLimiter, SendRate, StoredBuckets } from "./budgets.ts";
import type { Config } from "./config.ts";
import { Fanout } from "./fanout.ts";
import { History } from "./history.ts";
import { Ownership } from "./owners.ts";
import { EventStreams, Presence } from "./presence.ts";
import { ReadPositions } from "./read-positions.ts";
import { type RelayEndpoint, type RelayNamespace, RelayRegistry } from "./relays.ts";
import { RoomKeys } from "./room-keys.ts";
import { SearchIndex } from "./search.ts";
import { TokenSigner, UserDirectory } from "./users.ts";

export interface RoomParts {
  /** The room's normalised name. */
  name: string;
  ctx: DurableObjectState;
  limits: Limits;
  history: History;
  presence: Presence;
  /** Server-Sent Events listeners; they follow the room but are not online users. */
  events: EventStreams;
  fanout: Fanout;
  /** The relays that hold listeners of this room. */
  relays: RelayRegistry;
  /** Stand-ins for relayed listeners' sockets, by relay and user, so that their frame budgets outlast one frame. */
  endpoints: Map<string, RelayEndpoint>;
  /** The per-user send rate. */
  limiter: SendRate;
  /** The per-address rate of new identities (connections and posts without a valid token). */
  newIdentities: StoredBuckets;
  frames: FrameLimiter;
  /** Bytes answered to each connection's `history` requests. */
  answers: ByteBudget;
  users: UserDirectory;
  cooldowns: Cooldowns;
  tokens: TokenSigner;
  arrivals: Arrivals;
  /** How far each user has read. */
  reads: ReadPositions;
  /** Settings, roles, mutes and bans of a room with owners. */
  owners: Ownership;
  keys: RoomKeys;
  /** Each call participant's budget of `media` and `signal` frames. */
  signals: FrameLimiter;
}

/**
 * Runs `step` in one storage transaction. If it throws, storage rolls back,
 * and so must the in-memory state written through on the way; the error
 * goes on to the caller's one catch.
 */
export function inTransaction<T>(room: RoomParts, step: () => T): T {
  try {
    return room.ctx.storage.transactionSync(step);
  } catch (error) {
    room.owners.forget();
    throw error;
  }
}

/** Builds a room's parts; cheap enough for every wake (no I/O beyond schema checks). */
export function assembleRoom(ctx: DurableObjectState, config: Config, relayNamespace?: RelayNamespace): RoomParts {
  const name = ctx.id.name;
  if (name === undefined) throw new Error("a Room is addressed by name, never by a unique id");
  const { storage } = ctx;
  migrate(storage);
  const { limits } = config;
  const now = Date.now();
  const presence = new Presence(ctx);
  const limiter = new SendRate(
    storage.sql,
    { ratePerSecond: limits.sendRatePerSecond, burst: limits.sendBurst },
    presence,
  );
  limiter.prune(now);
  const newIdentities = new StoredBuckets(storage.sql, "newIdentities", {
    ratePerSecond: limits.newIdentitiesPerMinute / 60,
    burst: Math.max(1, Math.ceil(limits.newIdentitiesPerMinute)),
  });
  newIdentities.prune(now);
  const users = new UserDirectory(storage.sql);
  users.forgetStale(now);
  const events = new EventStreams();
  const relays = new RelayRegistry(storage.sql, relayNamespace, config.relayThreshold);
  const fanout = new Fanout(presence, events, relays, config.coalesceSendsPerSecond);
  return {
    name,
    ctx,
    limits,
    history: new History(
      storage.sql,
      limits.historyLimit,
      users,
      (id) => users.lastName(id) !== null || presence.user(id) !== undefined,
    ),
    presence,
    events,
    fanout,
    relays,
    endpoints: new Map(),
    limiter,
    newIdentities,
    frames: new FrameLimiter({ ratePerSecond: limits.frameRatePerSecond, burst: limits.frameBurst }),
    answers: new ByteBudget({ ratePerSecond: limits.historyBytesPerSecond, burst: limits.historyBytesBurst }),
    users,
    cooldowns: new Cooldowns(storage.sql),
    tokens: new TokenSigner(storage.sql),
    arrivals: new Arrivals(presence, relays, fanout, storage, limits, now),
    reads: new ReadPositions(storage.sql),
    owners: new Ownership(storage.sql),
    keys: new RoomKeys(storage.sql),
    signals: new FrameLimiter({ ratePerSecond: limits.signalRatePerSecond, burst: limits.signalBurst }),
  };
}

/**
 * The room's SQLite schema, applied in order on every start. Each step runs
 * once: the number of steps applied is kept in the room's own storage.
 */
const MIGRATIONS: readonly (string | ((sql: SqlStorage) => void))[] = [
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
  "CREATE TABLE identity_buckets (address TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_at INTEGER NOT NULL) STRICT;",
  // The log of events: messages keep their current state; edits, deletions and reactions are events of their own.
  `ALTER TABLE messages ADD COLUMN reply_to INTEGER;
   ALTER TABLE messages ADD COLUMN reply_user_id TEXT;
   ALTER TABLE messages ADD COLUMN reply_user_name TEXT;
   ALTER TABLE messages ADD COLUMN mentions TEXT;
   ALTER TABLE messages ADD COLUMN edited_at INTEGER;
   ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE events (
     seq INTEGER PRIMARY KEY,
     kind TEXT NOT NULL,
     target INTEGER NOT NULL,
     client_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     user_name TEXT NOT NULL,
     ts INTEGER NOT NULL,
     emoji TEXT,
     turned_on INTEGER
   ) STRICT;
   CREATE UNIQUE INDEX events_by_sender ON events (user_id, client_id);
   CREATE INDEX events_by_target ON events (target);
   CREATE TABLE reactions (
     target INTEGER NOT NULL,
     emoji TEXT NOT NULL,
     user_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     PRIMARY KEY (target, emoji, user_id)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX reactions_in_order ON reactions (target, emoji, seq);
   CREATE TABLE reaction_totals (
     target INTEGER NOT NULL,
     emoji TEXT NOT NULL,
     count INTEGER NOT NULL,
     users TEXT NOT NULL,
     first_seq INTEGER NOT NULL,
     PRIMARY KEY (target, emoji)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE log_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
   INSERT INTO log_state (name, value) SELECT 'trimmed_through', COALESCE(MIN(seq), 1) - 1 FROM messages;`,
  // Search: the index holds segmented text, which only code makes; a room made before it is indexed here.
  (sql) => {
    sql.exec(`CREATE VIRTUAL TABLE message_search USING fts5(
      body, tokenize = 'unicode61 remove_diacritics 2', content = '', columnsize = 0
    )`);
    new SearchIndex(sql).catchUp();
  },
  "CREATE TABLE read_positions (user_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;",
  // Rooms with owners: settings and moderation events carry their fields in `detail`; the state they leave has tables.
  `ALTER TABLE events ADD COLUMN detail TEXT;
   CREATE INDEX events_in_audit ON events (seq) WHERE detail IS NOT NULL;
   CREATE TABLE room_settings (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL) STRICT;
   CREATE TABLE members (
     user_id TEXT PRIMARY KEY,
     role TEXT NOT NULL,
     via_key TEXT,
     muted_until INTEGER,
     banned INTEGER NOT NULL DEFAULT 0
   ) STRICT;
   CREATE INDEX members_by_key ON members (via_key) WHERE via_key IS NOT NULL;
   CREATE TABLE room_keys (
     id TEXT PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL,
     label TEXT,
     created_by TEXT NOT NULL,
     created_by_name TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER,
     uses_left INTEGER
   ) STRICT;`,
  // The relays that hold listeners of the room, and how many each.
  "CREATE TABLE relays (name TEXT PRIMARY KEY, listeners INTEGER NOT NULL) STRICT;",
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
  for (const step of MIGRATIONS.slice(applied)) {
    if (typeof step === "string") sql.exec(step);
    else step(sql);
  }
  if (row === undefined) sql.exec("INSERT INTO schema_version (version) VALUES (?)", MIGRATIONS.length);
  else sql.exec("UPDATE schema_version SET version = ?", MIGRATIONS.length);
}

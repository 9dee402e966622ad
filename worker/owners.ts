/**
 * The standing state of a room with owners: its settings, and each user's
 * role, mute and ban. The log records every change as an event; this is the
 * state those events leave, kept in tables of its own so that retention
 * never loses it. Read on every frame, it is cached in memory and written
 * through.
 */
import {
  DEFAULT_SETTINGS,
  type Member,
  ROLES,
  type Role,
  type SettingName,
  type Settings,
  type User,
} from "../protocol/frames.ts";
import { rankOf } from "../protocol/role-rank.ts";
import type { Standing } from "../protocol/roles.ts";

interface MemberRow extends Record<string, SqlStorageValue> {
  user_id: string;
  role: string;
  via_key: string | null;
  muted_until: number | null;
  banned: number;
}

/** Where a user stands in an owned room. */
export interface MemberStanding extends Standing {
  banned: boolean;
  /** The key their role came through, if it did. */
  viaKey: string | null;
}

const GUEST: MemberStanding = { role: "guest", banned: false, viaKey: null };
/** Members remembered in memory; past this the memory starts over from storage. */
const MAX_CACHED_MEMBERS = 10_000;

export class Ownership {
  readonly #sql: SqlStorage;
  #settings: Settings | null | undefined;
  readonly #members = new Map<string, MemberStanding>();
  /** When each user last sent a message, for slow mode; read from the log once, then kept. */
  readonly #lastMessageAt = new Map<string, number>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * Drops what is cached, after a transaction that wrote through this cache
   * was rolled back; the next read comes from storage.
   */
  forget(): void {
    this.#settings = undefined;
    this.#members.clear();
    this.#lastMessageAt.clear();
  }

  /** The room's settings, or null while it has no owner. */
  get settings(): Settings | null {
    if (this.#settings === undefined) {
      const row = this.#sql.exec<{ value: string }>("SELECT value FROM room_settings").toArray()[0];
      this.#settings = row === undefined ? null : { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Settings) };
    }
    return this.#settings;
  }

  /** Gives the room its first settings; false when it already has an owner. */
  claim(): boolean {
    if (this.settings !== null) return false;
    this.#writeSettings(DEFAULT_SETTINGS);
    return true;
  }

  /** Applies changes; returns the settings after them and the names of those that changed. */
  change(changes: Partial<Settings>): { settings: Settings; changed: SettingName[] } {
    const current = this.settings ?? DEFAULT_SETTINGS;
    const changed = (Object.keys(changes) as SettingName[]).filter((name) => changes[name] !== current[name]);
    const settings = { ...current, ...changes };
    if (changed.length > 0) this.#writeSettings(settings);
    return { settings, changed };
  }

  #writeSettings(settings: Settings): void {
    this.#sql.exec(
      "INSERT INTO room_settings (id, value) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value",
      JSON.stringify(settings),
    );
    this.#settings = settings;
  }

  /** A user's role, mute and ban; a guest with nothing against them in a room without owners. */
  standingOf(userId: string): MemberStanding {
    const cached = this.#members.get(userId);
    if (cached !== undefined) return cached;
    const row = this.#sql
      .exec<MemberRow>("SELECT user_id, role, via_key, muted_until, banned FROM members WHERE user_id = ?", userId)
      .toArray()[0];
    const standing = row === undefined ? GUEST : standingOfRow(row);
    if (this.#members.size >= MAX_CACHED_MEMBERS) this.#members.clear();
    this.#members.set(userId, standing);
    return standing;
  }

  roleOf(userId: string): Role {
    return this.standingOf(userId).role;
  }

  /** Gives a user a role, through a key or directly (`viaKey` null). */
  grant(userId: string, role: Role, viaKey: string | null): void {
    this.#update(userId, { role, viaKey });
  }

  /** Mutes a user until `until`, or lifts their mute (null). */
  mute(userId: string, until: number | null): void {
    const { mutedUntil: _ended, ...rest } = this.standingOf(userId);
    this.#writeStanding(userId, until === null ? rest : { ...rest, mutedUntil: until });
  }

  ban(userId: string, banned: boolean): void {
    this.#update(userId, { banned });
  }

  /** Takes back the roles a revoked key gave, except `keeper`'s, which they now hold directly; returns who lost one. */
  revokeGrants(keyId: string, keeper: string): string[] {
    const holders = this.#sql
      .exec<{ user_id: string }>("SELECT user_id FROM members WHERE via_key = ?", keyId)
      .toArray()
      .map((row) => row.user_id);
    for (const userId of holders) {
      if (userId === keeper) this.#update(userId, { viaKey: null });
      else this.#update(userId, { role: "guest", viaKey: null });
    }
    return holders.filter((userId) => userId !== keeper);
  }

  /** Users with a role, a mute or a ban, highest role first. */
  members(nameOf: (userId: string) => string, now: number): Member[] {
    return this.#sql
      .exec<MemberRow>("SELECT user_id, role, via_key, muted_until, banned FROM members")
      .toArray()
      .map((row): Member => {
        const standing = standingOfRow(row);
        return {
          user: { id: row.user_id, name: nameOf(row.user_id) },
          role: standing.role,
          ...(standing.mutedUntil !== undefined && standing.mutedUntil > now
            ? { mutedUntil: standing.mutedUntil }
            : {}),
          ...(standing.banned ? { banned: true as const } : {}),
        };
      })
      .sort((a, b) => rankOf(b.role) - rankOf(a.role) || a.user.name.localeCompare(b.user.name));
  }

  /** When the user last sent a message that the log retains, for slow mode; 0 if never. */
  lastMessageAt(userId: string): number {
    let at = this.#lastMessageAt.get(userId);
    if (at === undefined) {
      at =
        this.#sql.exec<{ ts: number | null }>("SELECT MAX(ts) AS ts FROM messages WHERE user_id = ?", userId).one()
          .ts ?? 0;
      if (this.#lastMessageAt.size >= MAX_CACHED_MEMBERS) this.#lastMessageAt.clear();
      this.#lastMessageAt.set(userId, at);
    }
    return at;
  }

  noteMessage(user: User, ts: number): void {
    this.#lastMessageAt.set(user.id, ts);
  }

  #update(userId: string, changes: Partial<MemberStanding>): void {
    this.#writeStanding(userId, { ...this.standingOf(userId), ...changes });
  }

  /** Writes a user's whole standing; one who is back to a guest with nothing against them leaves the table. */
  #writeStanding(userId: string, next: MemberStanding): void {
    if (next.role === "guest" && !next.banned && next.mutedUntil === undefined) {
      this.#sql.exec("DELETE FROM members WHERE user_id = ?", userId);
    } else {
      this.#sql.exec(
        `INSERT INTO members (user_id, role, via_key, muted_until, banned) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, via_key = excluded.via_key,
           muted_until = excluded.muted_until, banned = excluded.banned`,
        userId,
        next.role,
        next.viaKey,
        next.mutedUntil ?? null,
        Number(next.banned),
      );
    }
    this.#members.set(userId, next);
  }
}

function standingOfRow(row: MemberRow): MemberStanding {
  const role = (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : "guest";
  return {
    role,
    banned: row.banned === 1,
    viaKey: row.via_key,
    ...(row.muted_until === null ? {} : { mutedUntil: row.muted_until }),
  };
}

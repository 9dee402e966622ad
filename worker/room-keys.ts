/**
 * A room's capability keys. A key is 160 random bits that grant a role; the
 * room keeps only its SHA-256 hash, beside a public id that names it in
 * lists and revocations, so a copy of the database holds no usable key.
 * Hashing is synchronous (@noble/hashes) because a key is minted inside the
 * one storage transaction of a frame, where WebCrypto's promise-only digest
 * cannot run.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import {
  ERROR_CODE,
  FRAME_LIMITS,
  type KeyInfo,
  type KeyRefusal,
  type MintFrame,
  type Refusal,
  type Role,
  type User,
} from "../protocol/frames.ts";
import { randomBase32 } from "./users.ts";

const KEY_LENGTH = 32;
const KEY_ID_LENGTH = 8;
const encoder = new TextEncoder();

interface KeyRow extends Record<string, SqlStorageValue> {
  id: string;
  role: string;
  label: string | null;
  created_by: string;
  created_by_name: string;
  created_at: number;
  expires_at: number | null;
  uses_left: number | null;
}

const KEY_COLUMNS = "id, role, label, created_by, created_by_name, created_at, expires_at, uses_left";

/** A key that may be redeemed now: its id and the role it grants. */
export interface ValidKey {
  id: string;
  role: Exclude<Role, "guest">;
}

export type KeyRequest = Omit<MintFrame, "type" | "ref">;

export class RoomKeys {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Makes a key; the secret is returned this once and never stored. */
  mint(
    request: KeyRequest,
    createdBy: User | null,
    now: number,
  ): { ok: true; key: KeyInfo; secret: string } | { ok: false; refusal: Refusal } {
    const count = this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM room_keys").one().n;
    if (count >= FRAME_LIMITS.maxKeys) {
      const message = `this room holds ${FRAME_LIMITS.maxKeys} keys; revoke some first`;
      return { ok: false, refusal: { code: ERROR_CODE.limitReached, message } };
    }
    const secret = randomBase32(KEY_LENGTH);
    const row: KeyRow = {
      id: randomBase32(KEY_ID_LENGTH),
      role: request.role,
      label: request.label ?? null,
      created_by: createdBy?.id ?? "",
      created_by_name: createdBy?.name ?? "",
      created_at: now,
      expires_at: request.expiresIn === undefined ? null : now + request.expiresIn,
      uses_left: request.uses ?? null,
    };
    this.#sql.exec(
      `INSERT INTO room_keys (hash, ${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      hashOf(secret),
      row.id,
      row.role,
      row.label,
      row.created_by,
      row.created_by_name,
      row.created_at,
      row.expires_at,
      row.uses_left,
    );
    return { ok: true, key: infoOf(row), secret };
  }

  /** The key a secret is, if it may be used now; or why it may not. Looked up by hash only. */
  check(secret: string, now: number): { ok: true; key: ValidKey } | { ok: false; reason: KeyRefusal } {
    const row = this.#sql
      .exec<KeyRow>(`SELECT ${KEY_COLUMNS} FROM room_keys WHERE hash = ?`, hashOf(secret))
      .toArray()[0];
    if (row === undefined) return { ok: false, reason: "invalid" };
    if (row.expires_at !== null && row.expires_at <= now) return { ok: false, reason: "expired" };
    if (row.uses_left !== null && row.uses_left <= 0) return { ok: false, reason: "used_up" };
    return { ok: true, key: { id: row.id, role: row.role as ValidKey["role"] } };
  }

  /** Spends one use of a key that has a number of uses. */
  spend(id: string): void {
    this.#sql.exec("UPDATE room_keys SET uses_left = uses_left - 1 WHERE id = ? AND uses_left IS NOT NULL", id);
  }

  /** The role of the key with this id, or null when there is none. */
  roleOf(id: string): Exclude<Role, "guest"> | null {
    const row = this.#sql.exec<{ role: string }>("SELECT role FROM room_keys WHERE id = ?", id).toArray()[0];
    return row === undefined ? null : (row.role as Exclude<Role, "guest">);
  }

  /** The keys whose role passes `shown`, newest first; never a secret, which the room does not have. */
  list(shown: (role: Role) => boolean): KeyInfo[] {
    return this.#sql
      .exec<KeyRow>(`SELECT ${KEY_COLUMNS} FROM room_keys ORDER BY created_at DESC, id`)
      .toArray()
      .filter((row) => shown(row.role as Role))
      .map(infoOf);
  }

  remove(id: string): void {
    this.#sql.exec("DELETE FROM room_keys WHERE id = ?", id);
  }
}

/** A key's hash as stored: SHA-256, in hex. 160 random bits need no slow hash to resist guessing. */
function hashOf(secret: string): string {
  return bytesToHex(sha256(encoder.encode(secret)));
}

function infoOf(row: KeyRow): KeyInfo {
  return {
    id: row.id,
    role: row.role as KeyInfo["role"],
    ...(row.label === null ? {} : { label: row.label }),
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.uses_left === null ? {} : { usesLeft: row.uses_left }),
    ...(row.created_by === "" ? {} : { createdBy: { id: row.created_by, name: row.created_by_name } }),
    createdAt: row.created_at,
  };
}

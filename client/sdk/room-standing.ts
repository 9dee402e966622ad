/**
 * Where the user stands in an owned room: their role, the room's settings,
 * the end of their mute, and why a key they presented granted nothing. The
 * welcome gives all of it as of its `lastSeq`; each later `settings` or
 * `moderation` event of the log moves it on. The welcome's history holds
 * events the welcome's state already reflects, so an event at or before
 * that seq changes nothing here (a resume that misses events in between
 * would otherwise put an older topic over the current one).
 */
import {
  CLOSE_CODE,
  type KeyRefusal,
  type Member,
  MODERATION_ACTION,
  type ModerationEventFrame,
  type Role,
  SERVER_FRAME,
  type Settings,
  type SettingsEventFrame,
  type User,
  type WelcomeFrame,
} from "../../protocol/frames.ts";
import type { Emitter } from "./emitter.ts";
import type { Removal, RoomEvents } from "./events.ts";

/** The user's role changed: by a moderator, a revoked key, or between two links. */
export interface RoleChange {
  role: Role;
  previous: Role;
}

export interface StandingParts {
  me(): User | null;
  /** Asks the room for its member list, which settles a role a revoked key may have taken. */
  members(): Promise<Member[]>;
  /** A moderator kicked or banned the user: the room closes their connections next. */
  removed(removal: Removal): void;
}

export class RoomStanding {
  readonly #events: Emitter<RoomEvents>;
  readonly #parts: StandingParts;
  #role: Role | null = null;
  #settings: Settings | null = null;
  #mutedUntil: number | null = null;
  #keyRefused: KeyRefusal | null = null;
  /** The seq the welcome's state is as of. */
  #asOf = 0;

  constructor(events: Emitter<RoomEvents>, parts: StandingParts) {
    this.#events = events;
    this.#parts = parts;
  }

  /** The user's role; null until the first welcome, and in a room without an owner. */
  get role(): Role | null {
    return this.#role;
  }

  /** The room's settings; null until the first welcome, and in a room without an owner. */
  get settings(): Settings | null {
    return this.#settings;
  }

  /** When the user's mute ends, in ms since the epoch; null when the room has not muted them. */
  get mutedUntil(): number | null {
    return this.#mutedUntil;
  }

  /** Why the key this connection presented granted nothing; null when it granted its role, or none was presented. */
  get keyRefused(): KeyRefusal | null {
    return this.#keyRefused;
  }

  /** A welcome: the state as it is now; `keyPresented` when this link offered a key, which the welcome answers. */
  welcomed(frame: WelcomeFrame, keyPresented: boolean): void {
    this.#settings = frame.settings ?? null;
    this.#mutedUntil = frame.mutedUntil ?? null;
    if (keyPresented) this.#keyRefused = frame.keyRefused ?? null;
    this.#asOf = frame.lastSeq;
    this.#setRole(frame.role ?? (frame.settings === undefined ? null : "guest"));
  }

  /**
   * An event of the log, in seq order: it moves the state, unless the
   * welcome's state holds it already, and is then emitted.
   */
  delivered(event: SettingsEventFrame | ModerationEventFrame): void {
    const removal = event.seq > this.#asOf ? this.#apply(event) : null;
    if (event.type === SERVER_FRAME.settings) this.#events.emit("settings", event);
    else this.#events.emit("moderation", event);
    // After the event, so that what listens to both has the event first.
    if (removal !== null) this.#parts.removed(removal);
  }

  /** Moves the state on; returns the removal a kick or ban of the user is. */
  #apply(event: SettingsEventFrame | ModerationEventFrame): Removal | null {
    const me = this.#parts.me();
    if (event.type === SERVER_FRAME.settings) {
      this.#settings = event.settings;
      // The settings a claim stores make a room owned: the user is a guest in it until given a role.
      if (this.#role === null) this.#setRole("guest");
      return null;
    }
    if (me === null) return null;
    if (event.action === MODERATION_ACTION.revoke) {
      // Whether the revoked key was the one the user holds their role through, only the member list says.
      if (event.role === this.#role && event.user.id !== me.id) this.#settleRole();
      return null;
    }
    if (event.subject?.id !== me.id) return null;
    if (event.action === MODERATION_ACTION.mute) this.#mutedUntil = event.until ?? null;
    if (event.action === MODERATION_ACTION.unmute) this.#mutedUntil = null;
    if (event.action === MODERATION_ACTION.role && event.role !== undefined) this.#setRole(event.role);
    // The room sends the event before it closes the user's sockets; a client need not wait for the close
    // (Node's WebSocket may report it only once the server drops the connection).
    const reason = event.reason ?? "";
    if (event.action === MODERATION_ACTION.kick) return { code: CLOSE_CODE.kicked, reason };
    if (event.action === MODERATION_ACTION.ban) return { code: CLOSE_CODE.banned, reason };
    return null;
  }

  /** The member list settles a role in doubt: a user it does not list is a guest. */
  #settleRole(): void {
    this.#parts.members().then(
      (members) => {
        const me = this.#parts.me();
        if (me === null || this.#role === null) return;
        this.#setRole(members.find((member) => member.user.id === me.id)?.role ?? "guest");
      },
      // Not asked again: the next welcome brings the role as the room has it.
      () => undefined,
    );
  }

  #setRole(role: Role | null): void {
    const previous = this.#role;
    this.#role = role;
    if (previous !== null && role !== null && role !== previous) this.#events.emit("role", { role, previous });
  }
}

import type { RenameFrame, User, WelcomeFrame } from "../../protocol/frames.ts";
import type { ConnectParams } from "../../protocol/http-params.ts";

/**
 * Who this connection is in the room: the identity token from the last
 * welcome (so a reconnect stays the same user), the name to ask for, and the
 * user the room says it is. The name follows renames made on other
 * connections of the same user.
 */
export class Identity {
  #token: string | null;
  #name: string | undefined;
  #user: User | null = null;
  /** A name asked for that the room has not confirmed; sent again after each welcome until it is. */
  #pending: string | null = null;

  constructor(token: string | null, name: string | undefined) {
    this.#token = token;
    this.#name = name;
  }

  get token(): string | null {
    return this.#token;
  }

  get user(): User | null {
    return this.#user;
  }

  /** Whether a message is this user's own. */
  isOwn(user: User): boolean {
    return user.id === this.#user?.id;
  }

  /** Takes the user and token a welcome names; true when the token changed and needs saving. */
  welcomed({ you, token }: WelcomeFrame): boolean {
    this.#user = you;
    if (this.#pending === you.name) this.#pending = null;
    this.#name = this.#pending ?? you.name;
    const changed = token !== this.#token;
    this.#token = token;
    return changed;
  }

  /** The user asked for a new name; it is used from the next connect on, and asked for until confirmed. */
  renaming(name: string): void {
    this.#name = name;
    this.#pending = name;
  }

  /** A rename the room has not confirmed, to send once a connection is welcomed. */
  get pendingName(): string | null {
    return this.#pending;
  }

  /** Someone renamed: if it is this user, on any connection, the new name is theirs. */
  renamed({ user }: RenameFrame): void {
    if (!this.isOwn(user)) return;
    this.#user = user;
    this.#name = user.name;
    if (this.#pending === user.name) this.#pending = null;
  }

  /** The query of the next connect: the same user, under the current name, after `since`. */
  connectParams(since: number | null): ConnectParams {
    return {
      ...(this.#name === undefined ? {} : { name: this.#name }),
      ...(since === null ? {} : { since }),
      ...(this.#token === null ? {} : { token: this.#token }),
    };
  }
}

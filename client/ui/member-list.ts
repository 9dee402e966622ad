import type { Member, Role } from "../../protocol/frames.ts";
import { untilText } from "../../protocol/roles.ts";
import type { RoomConnection } from "../sdk.ts";
import { el } from "./dom.ts";
import type { PersonActions } from "./presence-panel.ts";

export interface MemberElements {
  section: HTMLElement;
  list: HTMLUListElement;
}

/** Moderation events come in bursts (a ban after a mute, a revocation); one list is asked for after the last. */
const REFRESH_AFTER_MS = 300;

/**
 * The members of an owned room: everyone with a role, a mute or a ban,
 * highest role first, as `members` answers. It is asked for on each
 * welcome and again after moderation events, role changes and arrivals
 * (someone may have come in with an invite link), so it follows the room. Others are guests. In a room without an
 * owner the section stays hidden.
 */
export class MemberList {
  readonly #elements: MemberElements;
  readonly #connection: RoomConnection;
  #members: Member[] = [];
  #refresh: ReturnType<typeof setTimeout> | undefined;
  #actions: PersonActions | null = null;
  readonly #changed: (() => void)[] = [];

  constructor(elements: MemberElements, connection: RoomConnection) {
    this.#elements = elements;
    this.#connection = connection;
    connection.on("state", (state) => {
      if (state === "online") this.refresh();
    });
    connection.on("moderation", () => this.refresh());
    // Redeeming a key stores no event: someone who just came in may hold a new role.
    connection.on("join", () => this.refresh());
    connection.on("role", () => this.refresh());
    connection.on("settings", () => this.refresh());
    if (connection.state === "online") this.refresh();
  }

  /** Offers the reader's actions on each person listed. */
  set actions(actions: PersonActions) {
    this.#actions = actions;
    this.#render();
  }

  /** Calls `changed` whenever the list changes. */
  onChange(changed: () => void): void {
    this.#changed.push(changed);
  }

  /** A user's role in the room: a guest unless the list says otherwise. */
  roleOf(id: string): Role {
    return this.memberOf(id)?.role ?? "guest";
  }

  memberOf(id: string): Member | undefined {
    return this.#members.find((member) => member.user.id === id);
  }

  /** Asks the room for the list again, soon, once for a burst of changes. */
  refresh(): void {
    clearTimeout(this.#refresh);
    this.#refresh = setTimeout(() => {
      if (this.#connection.role === null || this.#connection.state !== "online") return;
      this.#connection.members().then(
        (members) => {
          this.#members = members;
          this.#render();
        },
        // The list stays as it was; the next welcome or moderation event asks again.
        () => undefined,
      );
    }, REFRESH_AFTER_MS);
  }

  #render(): void {
    const { section, list } = this.#elements;
    section.hidden = this.#connection.role === null;
    const you = this.#connection.user?.id;
    list.replaceChildren(...this.#members.map((member) => this.#item(member, member.user.id === you)));
    for (const changed of this.#changed) changed();
  }

  #item({ user, role, mutedUntil, banned }: Member, you: boolean): HTMLLIElement {
    const states: string[] = [role];
    const now = Date.now();
    if (mutedUntil !== undefined && mutedUntil > now) states.push(`muted for ${untilText(mutedUntil - now)}`);
    if (banned === true) states.push("banned");
    const item = el(
      "li",
      "person member",
      el("span", "person-name", user.name),
      el("span", "person-role", you ? `(you) ${states.join(", ")}` : states.join(", ")),
    );
    item.dataset.role = role;
    const button = you ? null : (this.#actions?.buttonFor(user) ?? null);
    if (button !== null) item.append(button);
    return item;
  }
}

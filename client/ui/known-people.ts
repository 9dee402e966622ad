import type { Message, User } from "../../protocol/frames.ts";
import type { MentionCandidate } from "./mention-complete.ts";

/**
 * The names this page knows for the room's user ids: who is online now
 * (the people panel), and the authors and mentions of the messages it has
 * shown, the newest name winning. Reactions name their people by id only,
 * so this is how "ana and bob reacted" is written; the same people are
 * offered when an `@name` is typed.
 */
export class KnownPeople {
  readonly #online: () => readonly User[];
  readonly #me: () => string | undefined;
  /** Each id's name as of the newest message that named it. */
  readonly #seen = new Map<string, { name: string; seq: number }>();

  constructor(online: () => readonly User[], me: () => string | undefined) {
    this.#online = online;
    this.#me = me;
  }

  /** Takes note of who a shown message names: its author and the people it mentions. */
  learn(message: Message): void {
    this.#note(message.user, message.seq);
    for (const user of message.mentions ?? []) this.#note(user, message.seq);
  }

  /** The name of user `id` as far as this page knows, or null. */
  nameOf(id: string): string | null {
    return this.#online().find((user) => user.id === id)?.name ?? this.#seen.get(id)?.name ?? null;
  }

  /** Who may be mentioned: the people online, then those seen in messages, the most recent first; not the reader. */
  candidates(): MentionCandidate[] {
    const me = this.#me();
    const online = this.#online().filter((user) => user.id !== me);
    const seen = [...this.#seen.entries()]
      .sort(([, a], [, b]) => b.seq - a.seq)
      .filter(([id]) => id !== me && !online.some((user) => user.id === id))
      .map(([id, { name }]) => ({ id, name }));
    return [...online.map(({ id, name }) => ({ id, name })), ...seen];
  }

  #note(user: User, seq: number): void {
    const known = this.#seen.get(user.id);
    if (known === undefined || seq >= known.seq) this.#seen.set(user.id, { name: user.name, seq });
  }
}

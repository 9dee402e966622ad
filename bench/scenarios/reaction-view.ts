/**
 * One client's view of the reactions on a set of messages, built from
 * nothing but the `reaction` broadcasts it receives, and given back as a
 * page gives it: per message, each emoji in the order it was first added
 * (last again once its count fell to 0 and it came back), its count, and
 * the earliest 50 users. A client that has heard every event since the
 * messages were posted knows every reactor, so it keeps them all in the
 * order they reacted: when a listed user takes their reaction back, the
 * earliest unlisted one moves into the list, as in the room.
 */
import { FRAME_LIMITS, type Reaction, type ReactionFrame } from "../../protocol/frames.ts";

export class ReactionView {
  /** By message seq, by emoji in first-added order: every user who has that reaction, the earliest first. */
  readonly #messages = new Map<number, Map<string, string[]>>();

  constructor(messageSeqs: readonly number[]) {
    for (const seq of messageSeqs) this.#messages.set(seq, new Map());
  }

  /**
   * Applies one broadcast. False when it cannot be applied: it names a
   * message this view does not hold, or it changes nothing, which no stored
   * event does (a `react` that changes nothing is acknowledged `unchanged`).
   */
  apply(event: ReactionFrame): boolean {
    const emojis = this.#messages.get(event.target);
    if (emojis === undefined) return false;
    const users = emojis.get(event.emoji) ?? [];
    const at = users.indexOf(event.user.id);
    if (event.on === at >= 0) return false;
    if (event.on) {
      users.push(event.user.id);
      // A Map keeps the order of first insertion: an emoji already there keeps its place.
      emojis.set(event.emoji, users);
    } else {
      users.splice(at, 1);
      if (users.length === 0) emojis.delete(event.emoji);
    }
    return true;
  }

  /** The reactions of message `seq` as a page lists them: users beyond the first 50 are counted, not listed. */
  reactionsOf(seq: number): Reaction[] {
    return [...(this.#messages.get(seq) ?? [])].map(([emoji, users]) => ({
      emoji,
      count: users.length,
      users: users.slice(0, FRAME_LIMITS.reactionUsersListed),
    }));
  }
}

/** Whether two lists of reactions are the same: the same emoji in the same order, counts and listed users. */
export function sameReactions(a: readonly Reaction[], b: readonly Reaction[]): boolean {
  return (
    a.length === b.length &&
    a.every((reaction, i) => {
      const other = b[i];
      return (
        other !== undefined &&
        reaction.emoji === other.emoji &&
        reaction.count === other.count &&
        reaction.users.length === other.users.length &&
        reaction.users.every((user, u) => user === other.users[u])
      );
    })
  );
}

/** Server frames as the room would send them, with defaults a test overrides. */
import type {
  DeleteEventFrame,
  EditEventFrame,
  LogEvent,
  Message,
  MessageFrame,
  ReactionFrame,
  User,
  WelcomeFrame,
} from "../../../../protocol/frames.ts";

export const ALICE: User = { id: "aliceaaaaaaaaaaa", name: "alice" };
export const BOB: User = { id: "bobbbbbbbbbbbbbb", name: "bob" };
export const ALICE_TOKEN = "aliceaaaaaaaaaaa.signature";

const TS = 1_700_000_000_000;

/** A welcome for alice in a room whose history is `history`: messages, or events of the log. */
export function welcome(
  history: readonly (Message | LogEvent)[] = [],
  overrides: Partial<WelcomeFrame> = {},
): WelcomeFrame {
  return {
    type: "welcome",
    room: "general",
    you: ALICE,
    token: ALICE_TOKEN,
    online: [ALICE],
    onlineCount: 1,
    lastSeq: history.at(-1)?.seq ?? 0,
    history: history.map(asEvent),
    ...overrides,
  };
}

/** Message `seq`, by bob unless told otherwise. */
export function message(seq: number, overrides: Partial<Message> = {}): Message {
  return { seq, id: `client-${seq}`, user: BOB, text: `message ${seq}`, ts: TS + seq, ...overrides };
}

export function messageFrame(seq: number, overrides: Partial<Message> = {}): MessageFrame {
  return { type: "message", ...message(seq, overrides) };
}

/** Messages `from` to `to`, inclusive. */
export function messages(from: number, to: number): Message[] {
  return Array.from({ length: to - from + 1 }, (_, index) => message(from + index));
}

/** Event `seq`: bob edits message `target` to `text`. */
export function editFrame(
  seq: number,
  target: number,
  text: string,
  overrides: Partial<EditEventFrame> = {},
): EditEventFrame {
  return { type: "edit", seq, ts: TS + seq, target, user: BOB, text, ...overrides };
}

/** Event `seq`: bob deletes message `target`. */
export function deleteFrame(seq: number, target: number, overrides: Partial<DeleteEventFrame> = {}): DeleteEventFrame {
  return { type: "delete", seq, ts: TS + seq, target, user: BOB, ...overrides };
}

/** Event `seq`: `user` (bob by default) adds (`on`) or removes `emoji` on message `target`. */
export function reactionFrame(
  seq: number,
  target: number,
  emoji: string,
  on: boolean,
  user: User = BOB,
): ReactionFrame {
  return { type: "reaction", seq, ts: TS + seq, target, user, emoji, on };
}

function asEvent(item: Message | LogEvent): LogEvent {
  return "type" in item ? item : { type: "message", ...item };
}

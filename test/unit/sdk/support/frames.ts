/** Server frames as the room would send them, with defaults a test overrides. */
import type { Message, MessageFrame, User, WelcomeFrame } from "../../../../protocol/frames.ts";

export const ALICE: User = { id: "aliceaaaaaaaaaaa", name: "alice" };
export const BOB: User = { id: "bobbbbbbbbbbbbbb", name: "bob" };
export const ALICE_TOKEN = "aliceaaaaaaaaaaa.signature";

/** A welcome for alice in a room whose history is `history`. */
export function welcome(history: Message[] = [], overrides: Partial<WelcomeFrame> = {}): WelcomeFrame {
  return {
    type: "welcome",
    room: "general",
    you: ALICE,
    token: ALICE_TOKEN,
    online: [ALICE],
    onlineCount: 1,
    lastSeq: history.at(-1)?.seq ?? 0,
    history,
    ...overrides,
  };
}

/** Message `seq`, by bob unless told otherwise. */
export function message(seq: number, overrides: Partial<Message> = {}): Message {
  return { seq, id: `client-${seq}`, user: BOB, text: `message ${seq}`, ts: 1_700_000_000_000 + seq, ...overrides };
}

export function messageFrame(seq: number, overrides: Partial<Message> = {}): MessageFrame {
  return { type: "message", ...message(seq, overrides) };
}

/** Messages `from` to `to`, inclusive. */
export function messages(from: number, to: number): Message[] {
  return Array.from({ length: to - from + 1 }, (_, index) => message(from + index));
}

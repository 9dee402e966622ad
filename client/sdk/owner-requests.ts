/**
 * What a moderator or owner asks of an owned room. Changes (`settings`,
 * `moderate`, `revoke`) store an event: each is matched to its ack by its
 * `id`, and sent again after a drop, since the room stores an id once.
 * Questions (`mint`, `keys`, `audit`, `members`) are answered to this
 * connection only, matched by `ref`; a drop abandons them, as a `mint`
 * asked twice would make two keys. A refusal rejects with a RoomRefusal,
 * whose message is the room's, written for a person to read.
 */
import {
  type AckFrame,
  type AuditFrame,
  CLIENT_FRAME,
  type ClientFrame,
  type ErrorCode,
  type ErrorFrame,
  encodeFrame,
  type KeyInfo,
  type KeysFrame,
  type Member,
  type MembersFrame,
  type MintedFrame,
  type MintFrame,
  type ModerationInput,
  type OwnerRequestFrame,
  SERVER_FRAME,
  type Settings,
} from "../../protocol/frames.ts";
import { parseClientFrame } from "../../protocol/parse-client.ts";
import { AnsweredRequests } from "./answered-requests.ts";
import type { ConnectionState } from "./reconnecting-socket.ts";
import type { Schedule } from "./schedule.ts";

/** The refs of the owner's questions; searches and history requests use others. */
const REF_PREFIX = "o";

/** The room refused an owner's request: `code` says how, `message` why, in words for a person. */
export class RoomRefusal extends Error {
  override readonly name = "RoomRefusal";
  readonly code: ErrorCode;
  /** For `rate_limited`: ms until the room takes the request. */
  readonly retryAfter: number | undefined;

  constructor({ code, message, retryAfter }: Pick<ErrorFrame, "code" | "message" | "retryAfter">) {
    super(message);
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** What a new key grants, and for how long: `expiresIn` in ms, `uses` redemptions, `label` for the list. */
export type KeyRequest = Omit<MintFrame, "type" | "ref">;
/** A key just made: what lists show of it, and the key itself, given this once. */
export type MintedKey = Pick<MintedFrame, "key" | "secret">;
/** A page of the moderation record, newest first. */
export type AuditPage = Pick<AuditFrame, "events" | "hasMore">;

type ChangeFrame = Extract<ClientFrame, { type: "settings" | "moderate" | "revoke" }>;
type AnswerFrame = MintedFrame | KeysFrame | AuditFrame | MembersFrame;

export interface OwnerRequestsOptions {
  transmit(frame: ClientFrame): void;
  /** The connection's state: changes wait for a link while one is coming, questions need one up. */
  state(): ConnectionState;
  schedule: Schedule;
  newId(): string;
  maxFrameBytes: number;
}

export class OwnerRequests {
  readonly #options: OwnerRequestsOptions;
  readonly #changes: AnsweredRequests<ChangeFrame, AckFrame>;
  readonly #questions: AnsweredRequests<OwnerRequestFrame, AnswerFrame>;
  #nextRef = 1;

  constructor(options: OwnerRequestsOptions) {
    this.#options = options;
    const common = { transmit: options.transmit, schedule: options.schedule, refusal: refusalOf };
    this.#changes = new AnsweredRequests<ChangeFrame, AckFrame>({ ...common, keepAcrossLinks: true });
    this.#questions = new AnsweredRequests<OwnerRequestFrame, AnswerFrame>({ ...common, keepAcrossLinks: false });
  }

  updateSettings(patch: Partial<Settings>): Promise<AckFrame> {
    return this.#change({ type: CLIENT_FRAME.settings, id: this.#options.newId(), ...patch });
  }

  moderate(input: ModerationInput): Promise<AckFrame> {
    return this.#change({ type: CLIENT_FRAME.moderate, id: this.#options.newId(), ...input });
  }

  revokeKey(keyId: string): Promise<AckFrame> {
    return this.#change({ type: CLIENT_FRAME.revoke, id: this.#options.newId(), key: keyId });
  }

  mintKey(request: KeyRequest): Promise<MintedKey> {
    return this.#ask({ type: CLIENT_FRAME.mint, ref: this.#ref(), ...request }, (answer) =>
      answer.type === SERVER_FRAME.minted ? { key: answer.key, secret: answer.secret } : null,
    );
  }

  listKeys(): Promise<KeyInfo[]> {
    return this.#ask({ type: CLIENT_FRAME.keys, ref: this.#ref() }, (answer) =>
      answer.type === SERVER_FRAME.keys ? answer.keys : null,
    );
  }

  audit(before?: number): Promise<AuditPage> {
    const page = before === undefined ? {} : { before };
    return this.#ask({ type: CLIENT_FRAME.audit, ref: this.#ref(), ...page }, (answer) =>
      answer.type === SERVER_FRAME.audit ? { events: answer.events, hasMore: answer.hasMore } : null,
    );
  }

  members(): Promise<Member[]> {
    return this.#ask({ type: CLIENT_FRAME.members, ref: this.#ref() }, (answer) =>
      answer.type === SERVER_FRAME.members ? answer.members : null,
    );
  }

  /** An ack of one of these changes; false when it acks something else. */
  acked(ack: AckFrame): boolean {
    return this.#changes.answer(ack.id, ack);
  }

  /** The answer to a question; false when it answers none of these (a cancelled one's is dropped). */
  answered(frame: AnswerFrame): boolean {
    if (!frame.ref.startsWith(REF_PREFIX)) return false;
    this.#questions.answer(frame.ref, frame);
    return true;
  }

  /** The room refused one of these (a cancelled one's refusal is dropped here); false when it is about something else. */
  refused(error: ErrorFrame): boolean {
    return (
      this.#changes.refused(error.id, error) ||
      this.#questions.refused(error.ref, error) ||
      error.ref?.startsWith(REF_PREFIX) === true
    );
  }

  linkUp(): void {
    this.#changes.linkUp();
    this.#questions.linkUp();
  }

  linkDown(): void {
    const dropped = new Error("the connection dropped");
    this.#changes.linkDown(dropped);
    this.#questions.linkDown(dropped);
  }

  abandonAll(error: Error): void {
    this.#changes.abandonAll(error);
    this.#questions.abandonAll(error);
  }

  #change(frame: ChangeFrame): Promise<AckFrame> {
    const state = this.#options.state();
    if (state === "closed" || state === "offline") return Promise.reject(new Error(`the connection is ${state}`));
    return this.#check(frame) ?? this.#changes.ask(frame.id, frame);
  }

  /** Asks, and takes from the answer what `pick` finds; an answer of another kind is the room's bug. */
  #ask<T>(frame: OwnerRequestFrame, pick: (answer: AnswerFrame) => T | null): Promise<T> {
    const state = this.#options.state();
    if (state !== "online") return Promise.reject(new Error(`the connection is ${state}`));
    const refusal = this.#check(frame);
    if (refusal !== null) return refusal;
    return this.#questions.ask(frame.ref, frame).then((answer) => {
      const value = pick(answer);
      if (value === null) throw new Error(`the room answered a ${frame.type} request with ${answer.type}`);
      return value;
    });
  }

  /** The room's own parser run on the frame: what it would refuse is a caller's bug, refused here as a RangeError. */
  #check(frame: ClientFrame): Promise<never> | null {
    const checked = parseClientFrame(encodeFrame(frame), this.#options.maxFrameBytes);
    return checked.ok ? null : Promise.reject(new RangeError(checked.message));
  }

  #ref(): string {
    return `${REF_PREFIX}${this.#nextRef++}`;
  }
}

function refusalOf(error: ErrorFrame): Error {
  return new RoomRefusal(error);
}

import {
  type AckFrame,
  type CallFrame,
  CLIENT_FRAME,
  CLOSE_CODE,
  ERROR_CODE,
  type ErrorFrame,
  FRAME_LIMITS,
  type KeyInfo,
  type KeyRefusal,
  type MediaFrame,
  type Member,
  type Message,
  type ModerationInput,
  type Role,
  SERVER_FRAME,
  type ServerFrame,
  type Settings,
  type SignalFrame,
  type User,
  type WelcomeFrame,
} from "../../protocol/frames.ts";
import { normalizeDisplayName, type TextRuleResult } from "../../protocol/parse-client.ts";
import { isFrameOfUnknownType, parseServerFrames } from "../../protocol/parse-server.ts";
import { mayDeleteAny } from "../../protocol/role-rank.ts";
import { CatchUp } from "./catch-up.ts";
import { ChangeRequests, type ChangeResult, type EditOptions, type SendOptions } from "./change-requests.ts";
import { Emitter } from "./emitter.ts";
import { type Removal, type RoomEvents, relay } from "./events.ts";
import { type HistoryPage, type HistoryQuery, HistoryRequests, historyFrame } from "./history-requests.ts";
import { Identity } from "./identity.ts";
import { type ConnectOptions, type ResolvedOptions, resolveOptions } from "./options.ts";
import { OrderedDelivery } from "./ordered-delivery.ts";
import { Outbox } from "./outbox.ts";
import { type AuditPage, type KeyRequest, type MintedKey, OwnerRequests } from "./owner-requests.ts";
import type { ChangeTarget, PendingMessage } from "./pending-changes.ts";
import { type ConnectionState, type FinalCloseCode, ReconnectingSocket } from "./reconnecting-socket.ts";
import { RoomStanding } from "./room-standing.ts";
import { roomSocketTarget } from "./room-url.ts";
import { RoomView } from "./room-view.ts";
import { type SearchAnswer, type SearchOptions, SearchRequests } from "./search-requests.ts";
import { ViewUpdates } from "./view-updates.ts";

/** Opens a connection to a room at `baseUrl` (the app's http(s) address). */
export function connectRoom(baseUrl: string, options: ConnectOptions): RoomConnection {
  return new RoomConnection(baseUrl, options);
}

/**
 * One user's connection to one room: every event of the room's log once and
 * in order, a view of the room's messages in their current state, and a
 * queue of what the user sends and changes.
 */
export class RoomConnection {
  readonly #options: ResolvedOptions;
  readonly #events = new Emitter<RoomEvents>();
  readonly #identity: Identity;
  readonly #view: RoomView;
  readonly #updates: ViewUpdates;
  readonly #delivery: OrderedDelivery;
  readonly #outbox: Outbox;
  readonly #changes: ChangeRequests;
  readonly #requests: HistoryRequests;
  readonly #searches: SearchRequests;
  readonly #owners: OwnerRequests;
  readonly #standing: RoomStanding;
  readonly #catchUp: CatchUp;
  readonly #socket: ReconnectingSocket;
  readonly #unwatch: () => void;
  /** Gives up the lease to send the queue, or stops asking for it; null while not asking. */
  #releaseLease: (() => void) | null = null;
  /** How far the user has read, as the room keeps it (any of their connections may move it); null when unknown. */
  #read: number | null = null;
  /** The key to present, until a welcome answers it. */
  #key: string | null;
  /** The last refusal that named no frame: a refused connection's reason, sent before its close. */
  #lastRefusal = "";
  #removal: Removal | null = null;

  constructor(baseUrl: string, options: ConnectOptions) {
    this.#options = resolveOptions(options);
    const saved = this.#options.session.load();
    this.#identity = new Identity(saved?.token ?? null, options.name);
    this.#view = new RoomView(() => this.#identity.user);
    this.#updates = new ViewUpdates(
      this.#view,
      () => this.#outbox,
      this.#events,
      () => this.#identity.user,
    );
    this.#key = options.key ?? null;
    this.#standing = new RoomStanding(this.#events, {
      me: () => this.#identity.user,
      members: () => this.members(),
      removed: (removal) => this.#removed(removal),
    });
    this.#delivery = new OrderedDelivery(options.since ?? null, {
      delivered: (event, asOf) => {
        if (event.type === SERVER_FRAME.settings || event.type === SERVER_FRAME.moderation)
          this.#standing.delivered(event);
        else if (event.type === SERVER_FRAME.call) this.#events.emit("call", event);
        else this.#updates.delivered(event, asOf);
      },
      truncated: (truncation) => this.#updates.truncated(truncation),
    });
    this.#outbox = new Outbox(saved?.outbox ?? [], {
      ...this.#options,
      transmit: (frame) => this.#socket.send(frame),
      changed: (messages) => {
        this.#save();
        this.#events.emit("outbox", messages);
        this.#updates.outboxChanged(messages);
      },
      dropped: (change, code, reason) => this.#events.emit("error", { kind: "change_refused", change, code, reason }),
      paused: (id, retryAfter, reason) => this.#events.emit("paused", { id, retryAfter, reason }),
      seqOf: (id) => this.#view.ownSeqOf(id),
    });
    this.#view.reactions.queued(this.#outbox.messages);
    this.#changes = new ChangeRequests(this.#view, this.#outbox, () => this.#identity.user);
    this.#unwatch = this.#options.session.watch((messages) => this.#outbox.synced(messages));
    this.#requests = new HistoryRequests((frame) => this.#socket.send(frame), this.#options.schedule);
    this.#searches = new SearchRequests((frame) => this.#socket.send(frame), this.#options.schedule);
    this.#owners = new OwnerRequests({
      ...this.#options,
      transmit: (frame) => this.#socket.send(frame),
      state: () => this.#socket.state,
    });
    this.#catchUp = new CatchUp(this.#delivery, this.#requests);
    this.#socket = new ReconnectingSocket(this.#options, {
      target: () =>
        roomSocketTarget(baseUrl, options.room, this.#identity.connectParams(this.#delivery.lastDelivered), this.#key),
      received: (data) => this.#received(data),
      lost: () => this.#lost(),
      stateChanged: (state) => this.#stateChanged(state),
      closedForGood: (code, reason) => this.#closedForGood(code, reason),
    });
  }

  get state(): ConnectionState {
    return this.#socket.state;
  }

  /** Who the room says this user is; null until the first welcome. */
  get user(): User | null {
    return this.#identity.user;
  }

  /** The seq of the last event of the log delivered (or accounted for by a page); a resume starts after it. */
  get lastDeliveredSeq(): number | null {
    return this.#delivery.lastDelivered;
  }

  /** The user's role in an owned room; null until the first welcome, and while the room has no owner. */
  get role(): Role | null {
    return this.#standing.role;
  }

  /** An owned room's settings; null until the first welcome, and while the room has no owner. */
  get settings(): Settings | null {
    return this.#standing.settings;
  }

  /** When the user's mute ends (ms since the epoch); null when they are not muted. Compare it with the clock. */
  get mutedUntil(): number | null {
    return this.#standing.mutedUntil;
  }

  /** Why the `key` of the options granted nothing (`invalid`, `expired`, `used_up`); null otherwise. */
  get keyRefused(): KeyRefusal | null {
    return this.#standing.keyRefused;
  }

  /** Why the room closed the connection for good (kicked, banned, key required); null while it has not. */
  get removal(): Removal | null {
    return this.#removal;
  }

  /** Messages, edits, deletions and reactions not acknowledged yet, in the order they were made. */
  get outbox(): readonly PendingMessage[] {
    return this.#outbox.messages;
  }

  /** The messages this connection knows, oldest first, in their current state (the user's reactions not stored yet shown). */
  get messages(): Message[] {
    return this.#view.all();
  }

  /** Message `seq` in its current state, or null when this connection does not know it. */
  message(seq: number): Message | null {
    return this.#view.get(seq);
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof RoomEvents>(type: K, handler: (payload: RoomEvents[K]) => void): () => void {
    return this.#events.on(type, handler);
  }

  off<K extends keyof RoomEvents>(type: K, handler: (payload: RoomEvents[K]) => void): void {
    this.#events.off(type, handler);
  }

  /**
   * Queues a message, sent now or after a reconnect; returns its client id.
   * One the room would refuse (empty, too long, bad options) is queued as
   * failed and never sent.
   */
  send(text: string, options: SendOptions = {}): string {
    return this.#changes.send(text, options);
  }

  /** Queues an answer to message `seq`, which it quotes; as `send`. */
  reply(seq: number, text: string, options: Omit<SendOptions, "replyTo"> = {}): string {
    return this.#changes.send(text, { ...options, replyTo: seq });
  }

  /**
   * Edits the user's message: a stored one by its seq, or one by the client
   * id `send` returned. One still waiting in the outbox gets the new text
   * there, and no edit is sent. A change the room would refuse is refused
   * here, and nothing is queued.
   */
  edit(target: ChangeTarget, text: string, options: EditOptions = {}): ChangeResult {
    return this.#changes.edit(target, text, options);
  }

  /**
   * Deletes the user's message, named as in `edit`; one still waiting in
   * the outbox just leaves it. A moderator of a room with owners may delete
   * anyone's, and give a `reason` that everyone sees.
   */
  delete(target: ChangeTarget, { reason }: { reason?: string } = {}): ChangeResult {
    const role = this.#standing.role;
    const anyAuthor = this.#standing.settings !== null && role !== null && mayDeleteAny(role);
    return this.#changes.delete(target, { anyAuthor, ...(reason === undefined ? {} : { reason }) });
  }

  /**
   * Adds (`on: true`) or removes the user's reaction `emoji` on message
   * `seq`, or toggles it when `on` is omitted. The view shows it at once,
   * with a `reaction` event whose `event` is null, and takes it back if the
   * room refuses it.
   */
  react(seq: number, emoji: string, on?: boolean): ChangeResult {
    return this.#changes.react(seq, emoji, on);
  }

  /** Tells the others this user is typing; dropped while not online, as a late signal is worthless. */
  typing(): void {
    if (this.state === "online") this.#socket.send({ type: CLIENT_FRAME.typing });
  }

  /**
   * Changes the display name, now if online, else as soon as the room has
   * welcomed the connection, and for every reconnect; an invalid name
   * changes nothing.
   */
  rename(name: string): TextRuleResult {
    const result = normalizeDisplayName(name);
    if (!result.ok) return result;
    this.#identity.renaming(result.value);
    if (this.state === "online") this.#socket.send({ type: CLIENT_FRAME.rename, name: result.value });
    return result;
  }

  /** A page of messages older than `before` or newer than `after`, oldest first; asked again after a reconnect. */
  history(query: HistoryQuery, limit: number = FRAME_LIMITS.historyPageDefault): Promise<HistoryPage> {
    if (this.state === "closed" || this.state === "offline") {
      return Promise.reject(new Error(`the connection is ${this.state}`));
    }
    const frame = historyFrame(query, limit);
    if (frame instanceof RangeError) return Promise.reject(frame);
    return new Promise((answered, abandoned) =>
      this.#requests.ask({
        frame,
        // The page is as of the last event this link received before it.
        answered: (page) => answered(this.#updates.paged(page, this.#delivery.received)),
        abandoned,
        keepAcrossLinks: true,
      }),
    );
  }

  /**
   * Searches the room's retained messages: the newest hits first, each with
   * where it matched (`highlights`, code-point ranges of its text). It needs
   * the connection up, and is not asked again after a drop; cancel it with
   * `options.signal`.
   */
  search(q: string, options: SearchOptions = {}): Promise<SearchAnswer> {
    if (this.state !== "online") return Promise.reject(new Error(`the connection is ${this.state}`));
    return this.#searches.ask(q, options);
  }

  /**
   * Changes an owned room's settings (moderators: topic, slow mode, locked;
   * owners: who may read and write too). It resolves with the room's ack
   * (`unchanged` when they already were so) and rejects with a RoomRefusal
   * when the room refuses it; the `settings` event follows. A drop before
   * the ack sends it again, with the same id, on the next link.
   */
  updateSettings(patch: Partial<Settings>): Promise<AckFrame> {
    return this.#owners.updateSettings(patch);
  }

  /** Mutes, unmutes, kicks, bans, unbans or gives a role to a user; acked, refused and repeated as `updateSettings`. */
  moderate(input: ModerationInput): Promise<AckFrame> {
    return this.#owners.moderate(input);
  }

  /** Revokes a key by its id, and the roles it granted; as `updateSettings`. */
  revokeKey(keyId: string): Promise<AckFrame> {
    return this.#owners.revokeKey(keyId);
  }

  /** Makes a key: the key itself (`secret`) is given this once. Needs the link up; a drop rejects it. */
  mintKey(request: KeyRequest): Promise<MintedKey> {
    return this.#owners.mintKey(request);
  }

  /** The keys the user may revoke, newest first. */
  listKeys(): Promise<KeyInfo[]> {
    return this.#owners.listKeys();
  }

  /** A page of the moderation record, newest first, older than `before` when given. */
  audit(before?: number): Promise<AuditPage> {
    return this.#owners.audit(before);
  }

  /** The users with a role, a mute or a ban, highest role first. */
  members(): Promise<Member[]> {
    return this.#owners.members();
  }

  /** How far the user has read the room, on any of their connections; null until the room says. */
  get readPosition(): number | null {
    return this.#read;
  }

  /**
   * The user has seen the room up to `seq` (the list at its newest, the page
   * visible). Sent only when it moves the position forward; the room keeps
   * it for the user's other connections and next visit.
   */
  markRead(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 1 || (this.#read !== null && seq <= this.#read)) return;
    this.#read = seq;
    if (this.state === "online") this.#socket.send({ type: CLIENT_FRAME.read, seq });
    this.#events.emit("read", { type: SERVER_FRAME.read, seq });
  }

  /** Sends a failed message or edit again, after the ones waiting now. */
  retry(id: string): boolean {
    return this.#outbox.retry(id);
  }

  /**
   * Drops a queued or failed message or change that cannot have been
   * stored: not in flight, nor sent on a link that dropped before the
   * room answered.
   */
  discard(id: string): boolean {
    return this.#outbox.discard(id);
  }

  /** The identity token of this user in the room, for HTTP calls made as them (the ICE servers of a call); null before the first welcome. */
  get token(): string | null {
    return this.#identity.token;
  }

  /**
   * Sends a call's frame now, or not at all: a join, a leave, media and
   * signals mean nothing later, so they are never queued. Returns whether
   * the link was up.
   */
  sendFrame(frame: CallFrame | MediaFrame | SignalFrame): boolean {
    if (this.#socket.state !== "online") return false;
    this.#socket.send(frame);
    return true;
  }

  /** Closes the connection for good; unsent messages stay in the session store. */
  close(): void {
    this.#unwatch();
    this.#socket.stop("closed");
  }

  #received(data: unknown): void {
    // The SDK offers edgechat.v2, so a busy room may send several frames as one batch.
    const frames = typeof data === "string" ? parseServerFrames(data) : null;
    if (frames !== null) {
      for (const frame of frames) this.#dispatch(frame);
    } else if (typeof data !== "string" || !isFrameOfUnknownType(data)) {
      this.#events.emit("error", { kind: "bad_frame", data: typeof data === "string" ? data : "(binary)" });
    }
  }

  /** Where each server frame goes; the ones not named here are relayed as they are. */
  #dispatch(frame: ServerFrame): void {
    switch (frame.type) {
      case SERVER_FRAME.welcome:
        this.#welcomed(frame);
        break;
      case SERVER_FRAME.message:
      case SERVER_FRAME.edit:
      case SERVER_FRAME.delete:
      case SERVER_FRAME.reaction:
      case SERVER_FRAME.settings:
      case SERVER_FRAME.moderation:
      case SERVER_FRAME.call:
        this.#delivery.receive(frame);
        this.#updates.delivering(this.#delivery.lastDelivered);
        this.#catchUp.check();
        break;
      case SERVER_FRAME.ack:
        // The ack first: a view learns that a message was stored while it still shows it as queued.
        this.#events.emit("ack", frame);
        if (!this.#owners.acked(frame)) this.#updates.acked(frame, this.#delivery.lastDelivered);
        break;
      case SERVER_FRAME.minted:
      case SERVER_FRAME.keys:
      case SERVER_FRAME.audit:
      case SERVER_FRAME.members:
        this.#owners.answered(frame);
        break;
      case SERVER_FRAME.history:
        this.#requests.answer(frame);
        break;
      case SERVER_FRAME.results:
        this.#searches.answer(frame);
        break;
      case SERVER_FRAME.read:
        if (this.#read === null || frame.seq > this.#read) {
          this.#read = frame.seq;
          relay(this.#events, frame);
        }
        break;
      case SERVER_FRAME.error:
        if (this.#owners.refused(frame) || this.#searches.refused(frame) || this.#refusedHistory(frame)) break;
        if (this.#outbox.refused(frame)) break;
        if (frame.id === undefined && frame.ref === undefined) this.#lastRefusal = frame.message;
        this.#events.emit("error", { kind: "refused", frame });
        break;
      case SERVER_FRAME.rename:
        this.#identity.renamed(frame);
        relay(this.#events, frame);
        break;
      case SERVER_FRAME.peers:
      case SERVER_FRAME.media:
      case SERVER_FRAME.signal:
        this.#events.emit("frame", frame);
        break;
      default:
        relay(this.#events, frame);
    }
  }

  #welcomed(frame: WelcomeFrame): void {
    const { history: _, ...welcome } = frame;
    if (this.#identity.welcomed(frame)) this.#save();
    // The role a key grants is the user's from now on; their token is all the next links need.
    this.#standing.welcomed(frame, this.#key !== null);
    this.#key = null;
    if (frame.read !== undefined && (this.#read === null || frame.read > this.#read)) this.#read = frame.read;
    // A position marked while the link was down reaches the room now.
    if (this.#read !== null && (frame.read === undefined || frame.read < this.#read)) {
      this.#socket.send({ type: CLIENT_FRAME.read, seq: this.#read });
    }
    this.#events.emit("welcome", welcome);
    this.#socket.welcomed();
    const pendingName = this.#identity.pendingName;
    if (pendingName !== null) this.#socket.send({ type: CLIENT_FRAME.rename, name: pendingName });
    this.#delivery.welcome(frame);
    this.#updates.delivering(this.#delivery.lastDelivered);
    this.#requests.linkUp();
    this.#searches.linkUp();
    this.#owners.linkUp();
    // Whoever holds the lease sends the queue, so that connections sharing it send it once, in order.
    this.#releaseLease?.();
    this.#releaseLease = this.#options.session.lease(() => this.#outbox.linkUp());
    this.#catchUp.check();
  }

  /**
   * A refusal of a history request names it by its `ref`. One without a
   * `ref` or an `id` can, of the frames the SDK sends, only be about a
   * `history` too (sends carry their id, renames are refused as
   * `invalid_name`), so it answers the oldest request.
   */
  #refusedHistory(frame: ErrorFrame): boolean {
    const aboutHistory = frame.ref !== undefined || (frame.code === ERROR_CODE.badRequest && frame.id === undefined);
    return aboutHistory && this.#requests.refused(frame);
  }

  #lost(): void {
    this.#delivery.reset();
    this.#releaseLease?.();
    this.#releaseLease = null;
    this.#outbox.linkDown();
    this.#requests.linkDown();
    this.#searches.abandonAll(new Error("the connection dropped"));
    this.#owners.linkDown();
  }

  #stateChanged(state: ConnectionState): void {
    if (state === "closed" || state === "offline") {
      this.#outbox.stop();
      this.#requests.abandonAll(new Error(`the connection is ${state}`));
      this.#searches.abandonAll(new Error(`the connection is ${state}`));
      this.#owners.abandonAll(new Error(`the connection is ${state}`));
    }
    this.#events.emit("state", state);
  }

  #closedForGood(code: FinalCloseCode, reason: string): void {
    if (code === CLOSE_CODE.policyViolation) this.#events.emit("error", { kind: "policy_close", reason });
    else this.#removed({ code, reason: reason === "" ? this.#lastRefusal : reason });
  }

  /** Kicked, banned or refused for want of a key: said once, and the connection stops for good. */
  #removed(removal: Removal): void {
    if (this.#removal !== null) return;
    this.#removal = removal;
    this.#events.emit("removed", removal);
    this.#socket.stop("offline");
  }

  #save(): void {
    this.#options.session.save({ token: this.#identity.token, outbox: [...this.#outbox.messages] });
  }
}

/**
 * The edgechat wire protocol, version 2: every frame in both directions, the
 * limits, the error codes with their HTTP status, and the one encoder. The
 * Worker, the Room, the SDK, the web client, the tests and the benchmark
 * import this folder; nothing else defines a frame shape or a limit, and
 * nothing here imports worker/ or client/. The contract in prose is
 * docs/protocol.md.
 */

/**
 * The WebSocket subprotocol of version 2, and how credentials ride beside it
 * in `Sec-WebSocket-Protocol`, never in a URL: a client offers `edgechat.v2`
 * and `token.<token>` (and, for rooms with owners, `key.<key>`); the server
 * selects `edgechat.v2`.
 */
export const SUBPROTOCOL = { v2: "edgechat.v2", tokenPrefix: "token.", keyPrefix: "key." } as const;

/** Text frames answered by the runtime itself, without waking the room. */
export const HEARTBEAT = { ping: "ping", pong: "pong" } as const;

/** Limits that are part of the frame shapes; the same for every deployment. Lengths count code points. */
export const FRAME_LIMITS = {
  maxTextLength: 4000,
  maxNameLength: 32,
  maxRoomNameLength: 64,
  maxClientIdLength: 64,
  maxRefLength: 64,
  historyPageDefault: 50,
  historyPageMax: 100,
  welcomeHistory: 50,
  /** People a message may mention. */
  maxMentions: 20,
  /** Distinct emoji on one message. */
  maxReactionEmoji: 20,
  /** Users a reaction lists (of its `count`). */
  reactionUsersListed: 50,
  /** Code points of a replied-to message's text in a reply's preview. */
  replyPreviewLength: 200,
  maxSearchLength: 200,
  searchPageDefault: 20,
  searchPageMax: 50,
  /** Rooms with owners: code points of a topic, a moderator's reason and a key's label. */
  maxTopicLength: 200,
  maxReasonLength: 200,
  maxKeyLabelLength: 64,
  /** Seconds between two messages of one user under slow mode, at most. */
  maxSlowModeSeconds: 21_600,
  minDurationMs: 1000,
  maxMuteMs: 30 * 24 * 60 * 60 * 1000,
  maxAddressBarMs: 7 * 24 * 60 * 60 * 1000,
  minKeyLifetimeMs: 60_000,
  maxKeyLifetimeMs: 365 * 24 * 60 * 60 * 1000,
  maxKeyUses: 10_000,
  /** Keys a room holds at once. */
  maxKeys: 1000,
  auditPageDefault: 50,
  auditPageMax: 100,
  /** How long a read ticket opens event streams. */
  ticketLifetimeMs: 5 * 60 * 1000,
  /** Calls: characters of a session description's SDP, and of one ICE candidate. */
  maxSdpLength: 12_000,
  maxCandidateLength: 1000,
} as const;

/**
 * Defaults of the limits an operator may change with a var in wrangler.toml
 * (worker/config.ts names the var of each).
 */
export const DEFAULT_LIMITS = {
  maxFrameBytes: 16_384,
  sendRatePerSecond: 5,
  sendBurst: 10,
  typingIntervalMs: 2000,
  frameRatePerSecond: 20,
  frameBurst: 40,
  maxConnections: 10_000,
  presenceLimit: 200,
  resumeLimit: 500,
  historyLimit: 10_000,
  occupancyIntervalMs: 5000,
  abuseErrorLimit: 50,
  abuseWindowMs: 10_000,
  abuseCooldownMs: 60_000,
  newIdentitiesPerMinute: 20,
  historyBytesPerSecond: 65_536,
  historyBytesBurst: 262_144,
  maxCallParticipants: 6,
  signalRatePerSecond: 50,
  signalBurst: 200,
} as const;

export type Limits = { readonly [K in keyof typeof DEFAULT_LIMITS]: number };

export const CLIENT_FRAME = {
  send: "send",
  edit: "edit",
  delete: "delete",
  react: "react",
  typing: "typing",
  history: "history",
  search: "search",
  read: "read",
  rename: "rename",
  settings: "settings",
  moderate: "moderate",
  revoke: "revoke",
  mint: "mint",
  keys: "keys",
  audit: "audit",
  members: "members",
  call: "call",
  media: "media",
  signal: "signal",
} as const;

export const SERVER_FRAME = {
  welcome: "welcome",
  message: "message",
  edit: "edit",
  delete: "delete",
  reaction: "reaction",
  ack: "ack",
  join: "join",
  leave: "leave",
  presence: "presence",
  rename: "rename",
  typing: "typing",
  occupancy: "occupancy",
  history: "history",
  results: "results",
  read: "read",
  settings: "settings",
  moderation: "moderation",
  minted: "minted",
  keys: "keys",
  audit: "audit",
  members: "members",
  call: "call",
  peers: "peers",
  media: "media",
  signal: "signal",
  error: "error",
  batch: "batch",
} as const;

/** Every error code, on a socket and over HTTP, with the one HTTP status it is answered with. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_room: 400,
  invalid_name: 400,
  forbidden: 403,
  forbidden_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  limit_reached: 409,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  upgrade_required: 426,
  rate_limited: 429,
  internal_error: 500,
  room_full: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODE = {
  badRequest: "bad_request",
  tooLarge: "too_large",
  rateLimited: "rate_limited",
  invalidName: "invalid_name",
  invalidRoom: "invalid_room",
  forbiddenOrigin: "forbidden_origin",
  forbidden: "forbidden",
  notFound: "not_found",
  limitReached: "limit_reached",
  conflict: "conflict",
  methodNotAllowed: "method_not_allowed",
  unsupportedMediaType: "unsupported_media_type",
  upgradeRequired: "upgrade_required",
  roomFull: "room_full",
  internalError: "internal_error",
} as const satisfies Record<string, ErrorCode>;

/** WebSocket close codes the server uses (RFC 6455 section 7.4.1). */
export const CLOSE_CODE = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  /** Rooms with owners: a moderator kicked the user; they may come back. */
  kicked: 4001,
  /** This identity is banned from the room. */
  banned: 4003,
  /** The room is for key holders only, and this user is not (or no longer) one. */
  keyRequired: 4004,
} as const;

/** The roles of a room with owners, highest first; a user without one is a guest. */
export const ROLES = ["owner", "moderator", "member", "reader", "guest"] as const;
export type Role = (typeof ROLES)[number];

/** Who may read an owned room: whoever knows its name, or key holders (readers and up). */
export const READ_SETTINGS = ["anyone", "keys"] as const;
/** Who may write: guests and up (not readers), members and up, or moderators and up. */
export const WRITE_SETTINGS = ["anyone", "members", "moderators"] as const;

/** An owned room's settings. */
export interface Settings {
  topic: string;
  read: (typeof READ_SETTINGS)[number];
  write: (typeof WRITE_SETTINGS)[number];
  /** Seconds between two messages of one user below moderator; 0 is off. */
  slowMode: number;
  /** Read-only for everyone below moderator. */
  locked: boolean;
}
export type SettingName = keyof Settings;

/** The settings a room gets when it gets an owner. */
export const DEFAULT_SETTINGS: Settings = { topic: "", read: "anyone", write: "anyone", slowMode: 0, locked: false };

export const MODERATION_ACTION = {
  mute: "mute",
  unmute: "unmute",
  kick: "kick",
  ban: "ban",
  unban: "unban",
  role: "role",
  revoke: "revoke",
} as const;
export type ModerationAction = (typeof MODERATION_ACTION)[keyof typeof MODERATION_ACTION];

/** Why a presented key granted nothing. */
export type KeyRefusal = "invalid" | "expired" | "used_up";

export type ClientFrameType = (typeof CLIENT_FRAME)[keyof typeof CLIENT_FRAME];
export type ServerFrameType = (typeof SERVER_FRAME)[keyof typeof SERVER_FRAME];

/** Someone in the room: a stable id (per room, proven by a token) and the display name they go by now. */
export interface User {
  id: string;
  name: string;
}

/** The message a reply answers, as it is now. */
export interface ReplyPreview {
  seq: number;
  user: User;
  /** Its first 200 code points; "" once it is deleted or no longer retained. */
  text: string;
  deleted?: true;
}

/** One emoji's reactions on a message. */
export interface Reaction {
  emoji: string;
  count: number;
  /** Ids of at most 50 of the users who reacted, the earliest first. */
  users: string[];
}

/** A stored message, in its current state. */
export interface Message {
  /** Its place in the room's log of events. */
  seq: number;
  /** The id its sender chose; (user, id) is stored at most once. */
  id: string;
  /** Who sent it, with the name they had then. */
  user: User;
  /** What it says now; "" once deleted. */
  text: string;
  /** When the room stored it, in ms since the epoch. */
  ts: number;
  replyTo?: ReplyPreview;
  /** The people it mentions, with their names as of now. */
  mentions?: User[];
  /** When it was last edited. */
  editedAt?: number;
  deleted?: true;
  /** Its reactions, in the order each emoji was first added. */
  reactions?: Reaction[];
}

/** Post a message; `id` makes a resend harmless. */
export interface SendFrame {
  type: typeof CLIENT_FRAME.send;
  id: string;
  text: string;
  /** The seq of the message this answers. */
  replyTo?: number;
  /** Ids of the users it mentions. */
  mentions?: string[];
}
/** Replace the text of your own message `target`. */
export interface EditFrame {
  type: typeof CLIENT_FRAME.edit;
  id: string;
  target: number;
  text: string;
  mentions?: string[];
}
/** Delete your own message `target` (a moderator: anyone's, with a `reason`). */
export interface DeleteFrame {
  type: typeof CLIENT_FRAME.delete;
  id: string;
  target: number;
  reason?: string;
}
/** Add (`on`) or remove your reaction `emoji` on message `target`. */
export interface ReactFrame {
  type: typeof CLIENT_FRAME.react;
  id: string;
  target: number;
  emoji: string;
  on: boolean;
}
/** The frames that store a message event, each idempotent on (user, `id`). */
export type MessageEventFrame = SendFrame | EditFrame | DeleteFrame | ReactFrame;
/** Change one or more of an owned room's settings. */
export type SettingsFrame = { type: typeof CLIENT_FRAME.settings; id: string } & Partial<Settings>;
/** A moderation action on one user, as a `moderate` frame and a `POST .../moderation` body carry it. */
export type ModerationInput = {
  user: string;
  reason?: string;
} & (
  | { action: typeof MODERATION_ACTION.mute; duration: number }
  | { action: typeof MODERATION_ACTION.unmute | typeof MODERATION_ACTION.kick | typeof MODERATION_ACTION.unban }
  | { action: typeof MODERATION_ACTION.ban; addressFor?: number }
  | { action: typeof MODERATION_ACTION.role; role: Role }
);
/** A moderation action on one user. */
export type ModerateFrame = { type: typeof CLIENT_FRAME.moderate; id: string } & ModerationInput;
/** Revoke a key by its id, and the roles it granted. */
export interface RevokeFrame {
  type: typeof CLIENT_FRAME.revoke;
  id: string;
  key: string;
}
/** Join or leave the room's call with this connection. */
export type CallFrame = { type: typeof CLIENT_FRAME.call; id: string } & (
  | { action: "join"; audio: boolean; video: boolean }
  | { action: "leave" }
);
/** The client frames that store an event, each idempotent on (user, `id`). */
export type EventFrame = MessageEventFrame | SettingsFrame | ModerateFrame | RevokeFrame | CallFrame;
/** What a participant sends: microphone, camera and screen on or off. */
export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}
/** This connection's media changed. */
export type MediaFrame = { type: typeof CLIENT_FRAME.media } & MediaState;
/** An RTCSessionDescription as it travels. */
export interface SessionDescription {
  type: "offer" | "answer" | "rollback";
  sdp: string;
}
/** An RTCIceCandidate as it travels; `candidate` "" ends the candidates. */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}
/** One WebRTC signal for one other participant: a description or a candidate. */
export type SignalFrame = { type: typeof CLIENT_FRAME.signal; to: string } & (
  | { description: SessionDescription }
  | { candidate: IceCandidate }
);
/** Make a key for `role`. */
export interface MintFrame {
  type: typeof CLIENT_FRAME.mint;
  ref: string;
  role: Exclude<Role, "guest">;
  /** ms from now until it expires. */
  expiresIn?: number;
  uses?: number;
  label?: string;
}
/** The keys the sender may revoke. */
export interface KeysRequestFrame {
  type: typeof CLIENT_FRAME.keys;
  ref: string;
}
/** The moderation record, newest first. */
export interface AuditRequestFrame {
  type: typeof CLIENT_FRAME.audit;
  ref: string;
  before?: number;
  limit?: number;
}
/** Users with a role, a mute or a ban. */
export interface MembersRequestFrame {
  type: typeof CLIENT_FRAME.members;
  ref: string;
}
/** The requests about an owned room that are answered to the asking connection only. */
export type OwnerRequestFrame = MintFrame | KeysRequestFrame | AuditRequestFrame | MembersRequestFrame;
/** "I am typing"; relayed at most once per interval per user, never stored. */
export interface TypingFrame {
  type: typeof CLIENT_FRAME.typing;
}
/**
 * A page of history: older than `before`, newer than `after`, or centred on
 * `around` (at most one of the three); none asks for the newest page.
 */
export interface HistoryRequestFrame {
  type: typeof CLIENT_FRAME.history;
  /** Chosen by the client (1 to 64 characters), echoed in the answer and in any error about this frame. */
  ref?: string;
  before?: number;
  after?: number;
  around?: number;
  limit?: number;
}
/** Full-text search of the room's retained messages, newest first. */
export interface SearchFrame {
  type: typeof CLIENT_FRAME.search;
  /** Chosen by the client (1 to 64 characters), echoed in the answer and in any error about this frame. */
  ref: string;
  /** 1 to 200 code points; words match as prefixes, every word must match, nothing is query syntax. */
  q: string;
  /** Only hits older than this seq: the next page. */
  before?: number;
  limit?: number;
}
/** The user has seen the room up to `seq`; not an event. */
export interface ReadFrame {
  type: typeof CLIENT_FRAME.read;
  seq: number;
}
/** Change this user's display name on all their connections. */
export interface RenameRequestFrame {
  type: typeof CLIENT_FRAME.rename;
  name: string;
}

export type ClientFrame =
  | EventFrame
  | MediaFrame
  | SignalFrame
  | OwnerRequestFrame
  | TypingFrame
  | HistoryRequestFrame
  | SearchFrame
  | ReadFrame
  | RenameRequestFrame;

/** The first frame on every connection. */
export interface WelcomeFrame {
  type: typeof SERVER_FRAME.welcome;
  room: string;
  you: User;
  /** Proves `you.id` on the next connection; keep it to stay the same user. */
  token: string;
  /** Users online, the newcomer first; at most the presence limit of them. */
  online: User[];
  /** How many users are online, listed or not. */
  onlineCount: number;
  /** The seq of the newest event ever stored; 0 in a new room. */
  lastSeq: number;
  /** The user's read position, when the room has one for them. */
  read?: number;
  /** The newest page of messages, or with `since` the events after it. */
  history: LogEvent[];
  /** With `since`: newer events remain after `history`. */
  more?: true;
  /** With `since`: events after it are gone, so the client's view has a gap it must show. */
  truncated?: true;
  /** In an owned room: the user's role. */
  role?: Role;
  /** In an owned room: its settings. */
  settings?: Settings;
  /** In an owned room: when the user's mute ends. */
  mutedUntil?: number;
  /** A key presented on this connection granted nothing, for this reason. */
  keyRefused?: KeyRefusal;
  /** The room's call, when one is on. */
  call?: CallState;
}
/** A participant of a call: one connection. */
export type Peer = { peer: string; user: User; since: number } & MediaState;
/** Who is in a room's call, and since when it has been on. */
export interface CallState {
  call: string;
  since: number;
  peers: Peer[];
}
/** A message was stored; sent to every connection, the sender's included. */
export type MessageFrame = { type: typeof SERVER_FRAME.message } & Message;
/** A message was edited; `text` and `mentions` are what it says now. */
export interface EditEventFrame {
  type: typeof SERVER_FRAME.edit;
  seq: number;
  ts: number;
  target: number;
  /** Who edited. */
  user: User;
  text: string;
  mentions?: User[];
}
/** A message was deleted. */
export interface DeleteEventFrame {
  type: typeof SERVER_FRAME.delete;
  seq: number;
  ts: number;
  target: number;
  /** Who deleted. */
  user: User;
  /** A moderator's reason. */
  reason?: string;
}
/** A reaction was added (`on`) or removed. */
export interface ReactionFrame {
  type: typeof SERVER_FRAME.reaction;
  seq: number;
  ts: number;
  target: number;
  user: User;
  emoji: string;
  on: boolean;
}
/** An owned room's settings changed; `settings` is all of them, as they are now. */
export interface SettingsEventFrame {
  type: typeof SERVER_FRAME.settings;
  seq: number;
  ts: number;
  /** Who changed them; absent on the event the claim stores. */
  user?: User;
  settings: Settings;
  changed: SettingName[];
}
/** A moderation action: `user` took it, on `subject` (or, for `revoke`, on `key`). */
export interface ModerationEventFrame {
  type: typeof SERVER_FRAME.moderation;
  seq: number;
  ts: number;
  user: User;
  action: ModerationAction;
  subject?: User;
  /** When a mute ends. */
  until?: number;
  /** When a ban's bar on the subject's addresses ends. */
  addressUntil?: number;
  /** The new role, or a revoked key's. */
  role?: Role;
  reason?: string;
  /** A revoked key's id. */
  key?: string;
}
/** A call started, someone joined or left it, or it ended. */
export interface CallEventFrame {
  type: typeof SERVER_FRAME.call;
  seq: number;
  ts: number;
  user: User;
  action: "start" | "join" | "leave" | "end";
  call: string;
  /** The peer that joined or left. */
  peer?: string;
  /** How many are in the call after this. */
  participants: number;
}
/** To a connection that joined a call: its peer id and who else is in it; it makes the offers. */
export type PeersFrame = { type: typeof SERVER_FRAME.peers; you: string } & CallState;
/** To the other participants: a participant's media changed. */
export type PeerMediaFrame = { type: typeof SERVER_FRAME.media; peer: string } & MediaState;
/** To one participant: a signal another addressed to it. */
export type RelayedSignalFrame = { type: typeof SERVER_FRAME.signal; from: string; user: User } & (
  | { description: SessionDescription }
  | { candidate: IceCandidate }
);
/** An event of the room's log, as broadcast and as a resume replays it. */
export type LogEvent =
  | CallEventFrame
  | MessageFrame
  | EditEventFrame
  | DeleteEventFrame
  | ReactionFrame
  | SettingsEventFrame
  | ModerationEventFrame;
/** A key as lists show it; the key itself is given only once, when it is minted. */
export interface KeyInfo {
  id: string;
  role: Exclude<Role, "guest">;
  label?: string;
  expiresAt?: number;
  usesLeft?: number;
  /** Who minted it; absent for the owner key a room's creation or claim made. */
  createdBy?: User;
  createdAt: number;
}
/** A user with a role, a mute or a ban. */
export interface Member {
  user: User;
  role: Role;
  mutedUntil?: number;
  banned?: true;
}
/** The answer to `mint`: the one time the key itself is given. */
export interface MintedFrame {
  type: typeof SERVER_FRAME.minted;
  ref: string;
  key: KeyInfo;
  secret: string;
}
/** The answer to `keys`, newest first. */
export interface KeysFrame {
  type: typeof SERVER_FRAME.keys;
  ref: string;
  keys: KeyInfo[];
}
/** The answer to `audit`, newest first: settings and moderation events, and deletions of someone else's message. */
export interface AuditFrame {
  type: typeof SERVER_FRAME.audit;
  ref: string;
  events: LogEvent[];
  hasMore: boolean;
}
/** The answer to `members`, highest role first. */
export interface MembersFrame {
  type: typeof SERVER_FRAME.members;
  ref: string;
  members: Member[];
}
/** To the sender, once the event its frame stored is durable. */
export interface StoredAck {
  type: typeof SERVER_FRAME.ack;
  id: string;
  seq: number;
  ts: number;
}
/** To the sender of an `edit` or `react` that changed nothing; nothing was stored. */
export interface UnchangedAck {
  type: typeof SERVER_FRAME.ack;
  id: string;
  unchanged: true;
}
export type AckFrame = StoredAck | UnchangedAck;
/** A user's first connection opened; `online` is the new user count. */
export interface JoinFrame {
  type: typeof SERVER_FRAME.join;
  user: User;
  online: number;
}
/** A user's last connection closed; `online` is the new user count. */
export interface LeaveFrame {
  type: typeof SERVER_FRAME.leave;
  user: User;
  online: number;
}
/** A large room fell back to the presence limit: the full list, after which joins and leaves resume. */
export interface PresenceFrame {
  type: typeof SERVER_FRAME.presence;
  online: User[];
  onlineCount: number;
}
/** A user renamed; `previous` is the name they had. */
export interface RenameFrame {
  type: typeof SERVER_FRAME.rename;
  user: User;
  previous: string;
}
/** Another user is typing. */
export interface UserTypingFrame {
  type: typeof SERVER_FRAME.typing;
  user: User;
}
/** In a large room, the user count, throttled. */
export interface OccupancyFrame {
  type: typeof SERVER_FRAME.occupancy;
  online: number;
}
/** The answer to `history`, oldest first. */
export interface HistoryPageFrame {
  type: typeof SERVER_FRAME.history;
  /** The request's `ref`, when it had one. */
  ref?: string;
  messages: Message[];
  /** More messages lie beyond this page in the direction it was read; for `around`, older ones. */
  hasMore: boolean;
  /** For `around` only: newer messages remain after the page. */
  hasNewer?: boolean;
}
/** One message a search found, and where in its text the query matched. */
export interface SearchHit {
  message: Message;
  /** Code-point offsets `[start, end)` in `message.text`. */
  highlights: [number, number][];
}
/** The answer to `search`, newest hit first. */
export interface SearchResultsFrame {
  type: typeof SERVER_FRAME.results;
  ref: string;
  hits: SearchHit[];
  /** Older hits remain: ask again with `before` the last hit's seq. */
  hasMore: boolean;
}
/** To the user's other connections: their read position moved. */
export interface ReadPositionFrame {
  type: typeof SERVER_FRAME.read;
  seq: number;
}
/** A frame was refused; the connection stays unless the refusals add up to abuse. */
export interface ErrorFrame {
  type: typeof SERVER_FRAME.error;
  code: ErrorCode;
  message: string;
  /** The `id` of the frame that stores an event this refers to. */
  id?: string;
  /** The `ref` of the request (`history`, `search`, `mint`, `keys`, `audit`, `members`) this refers to. */
  ref?: string;
  /** For `rate_limited`: how long to wait, in ms. */
  retryAfter?: number;
}

/** An error as a value, before it becomes an error frame or an HTTP answer. */
export type Refusal = Omit<ErrorFrame, "type">;

export type ServerFrame =
  | WelcomeFrame
  | MessageFrame
  | EditEventFrame
  | DeleteEventFrame
  | ReactionFrame
  | AckFrame
  | JoinFrame
  | LeaveFrame
  | PresenceFrame
  | RenameFrame
  | UserTypingFrame
  | OccupancyFrame
  | HistoryPageFrame
  | SearchResultsFrame
  | ReadPositionFrame
  | SettingsEventFrame
  | ModerationEventFrame
  | MintedFrame
  | KeysFrame
  | AuditFrame
  | MembersFrame
  | CallEventFrame
  | PeersFrame
  | PeerMediaFrame
  | RelayedSignalFrame
  | ErrorFrame;

/** The data of the `welcome` event that opens a Server-Sent Events stream. */
export interface EventStreamWelcome {
  room: string;
  onlineCount: number;
  lastSeq: number;
  more?: true;
  truncated?: true;
}

/** A frame as its type name says it: `ServerFrameOf<"ack">` is `AckFrame`. */
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

/** The one way any frame becomes wire text. */
export function encodeFrame(frame: ClientFrame | ServerFrame | EventStreamWelcome): string {
  return JSON.stringify(frame);
}

/**
 * Several server frames, each already encoded, as the wire text a
 * connection that selected `edgechat.v2` is sent: one frame as itself,
 * several as `{"type":"batch","frames":[...]}`, handled one by one, in
 * order, as if each had come alone. Written from their text, so that none
 * is serialised again.
 */
export function encodeBatch(encoded: readonly string[]): string {
  return encoded.length === 1 ? (encoded[0] ?? "") : `{"type":"${SERVER_FRAME.batch}","frames":[${encoded.join(",")}]}`;
}

/**
 * The edgechat wire protocol, version 1: every frame in both directions, the
 * fixed limits, and the parse/encode functions. The Worker, the Room and every
 * client import this module; nothing else defines a frame shape or a limit.
 * The contract in prose is docs/protocol.md.
 */

/** Text frames answered by the runtime itself, without waking the room. */
export const HEARTBEAT = { ping: "ping", pong: "pong" } as const;

/** Limits that are part of the frame shapes; the same for every deployment. */
export const FRAME_LIMITS = {
  maxTextLength: 4000,
  maxNameLength: 32,
  maxClientIdLength: 64,
  historyPageDefault: 50,
  historyPageMax: 100,
  welcomeHistory: 50,
} as const;

/**
 * Defaults of the limits an operator may change with a var in wrangler.toml
 * (see worker/config.ts for the var names).
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
} as const;

export type Limits = { readonly [K in keyof typeof DEFAULT_LIMITS]: number };

export const CLIENT_FRAME = {
  send: "send",
  typing: "typing",
  history: "history",
  rename: "rename",
} as const;

export const SERVER_FRAME = {
  welcome: "welcome",
  message: "message",
  ack: "ack",
  join: "join",
  leave: "leave",
  presence: "presence",
  rename: "rename",
  typing: "typing",
  occupancy: "occupancy",
  history: "history",
  error: "error",
} as const;

export const ERROR_CODE = {
  badRequest: "bad_request",
  tooLarge: "too_large",
  rateLimited: "rate_limited",
  invalidName: "invalid_name",
  invalidRoom: "invalid_room",
  forbiddenOrigin: "forbidden_origin",
  notFound: "not_found",
  methodNotAllowed: "method_not_allowed",
  unsupportedMediaType: "unsupported_media_type",
  upgradeRequired: "upgrade_required",
  roomFull: "room_full",
  internalError: "internal_error",
} as const;

/** WebSocket close codes the server uses (RFC 6455 section 7.4.1). */
export const CLOSE_CODE = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
} as const;

export type ClientFrameType = (typeof CLIENT_FRAME)[keyof typeof CLIENT_FRAME];
export type ServerFrameType = (typeof SERVER_FRAME)[keyof typeof SERVER_FRAME];
export type ErrorCode = (typeof ERROR_CODE)[keyof typeof ERROR_CODE];

export interface User {
  id: string;
  name: string;
}

export interface Message {
  seq: number;
  id: string;
  user: User;
  text: string;
  ts: number;
}

export interface SendFrame {
  type: typeof CLIENT_FRAME.send;
  id: string;
  text: string;
}
export interface TypingFrame {
  type: typeof CLIENT_FRAME.typing;
}
/** At most one of `before` and `after`; neither asks for the newest page. */
export interface HistoryRequestFrame {
  type: typeof CLIENT_FRAME.history;
  before?: number;
  after?: number;
  limit?: number;
}
export interface RenameRequestFrame {
  type: typeof CLIENT_FRAME.rename;
  name: string;
}

export type ClientFrame = SendFrame | TypingFrame | HistoryRequestFrame | RenameRequestFrame;

export interface WelcomeFrame {
  type: typeof SERVER_FRAME.welcome;
  room: string;
  you: User;
  token: string;
  online: User[];
  onlineCount: number;
  lastSeq: number;
  history: Message[];
  more?: true;
  truncated?: true;
}
export type MessageFrame = { type: typeof SERVER_FRAME.message } & Message;
export interface AckFrame {
  type: typeof SERVER_FRAME.ack;
  id: string;
  seq: number;
  ts: number;
}
export interface JoinFrame {
  type: typeof SERVER_FRAME.join;
  user: User;
  online: number;
}
export interface LeaveFrame {
  type: typeof SERVER_FRAME.leave;
  user: User;
  online: number;
}
export interface PresenceFrame {
  type: typeof SERVER_FRAME.presence;
  online: User[];
  onlineCount: number;
}
export interface RenameFrame {
  type: typeof SERVER_FRAME.rename;
  user: User;
  previous: string;
}
export interface UserTypingFrame {
  type: typeof SERVER_FRAME.typing;
  user: User;
}
export interface OccupancyFrame {
  type: typeof SERVER_FRAME.occupancy;
  online: number;
}
export interface HistoryPageFrame {
  type: typeof SERVER_FRAME.history;
  messages: Message[];
  hasMore: boolean;
}
export interface ErrorFrame {
  type: typeof SERVER_FRAME.error;
  code: ErrorCode;
  message: string;
  id?: string;
  retryAfter?: number;
}

export type ServerFrame =
  | WelcomeFrame
  | MessageFrame
  | AckFrame
  | JoinFrame
  | LeaveFrame
  | PresenceFrame
  | RenameFrame
  | UserTypingFrame
  | OccupancyFrame
  | HistoryPageFrame
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

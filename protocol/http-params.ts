/**
 * What a client sends over HTTP, checked with the same rules as a frame:
 * the query of a WebSocket connect (`?name=&since=&token=`), a history page
 * (`?before=&after=&limit=`, the twin of the `history` frame), the resume
 * point of an event stream, the body of a post (the twin of `send`), and
 * the paths and bodies that edit, delete and react (the twins of `edit`,
 * `delete` and `react`).
 * The Worker parses each once at its front door; the Room trusts the result.
 */
import {
  CLIENT_FRAME,
  type DeleteFrame,
  type EditFrame,
  ERROR_CODE,
  FRAME_LIMITS,
  type ReactFrame,
  SUBPROTOCOL,
} from "./frames.ts";
import {
  boundsGiven,
  CLIENT_ID_RULE,
  EMOJI_RULE,
  type FrameRefusal,
  isPageLimit,
  isPlainObject,
  isSearchLimit,
  isStoredSeqPosition,
  isValidClientId,
  normalizeEmoji,
  parseDisplayName,
  parseMentions,
  parseMessageText,
  parseSearchQuery,
  parseSeqText,
} from "./parse-client.ts";

export interface ConnectParams {
  /** The display name asked for; absent when the server should choose. */
  name?: string;
  /** Resume after this seq. */
  since?: number;
  /** An identity token from an earlier welcome; checked by the Room. */
  token?: string;
}

/** What a client offers in `Sec-WebSocket-Protocol`. */
export interface SocketCredentials {
  /** It offered `edgechat.v2`, which the server then selects. */
  v2: boolean;
  /** An identity token, as `token.<token>`. */
  token?: string;
  /** A room key, as `key.<key>`; only the room knows whether it is one. */
  key?: string;
}

/** Which page of history: older than `before`, newer than `after`, centred on `around`, or the newest. */
export type PageQuery = { before: number } | { after: number } | { around: number } | { newest: true };

export interface PageRequest {
  query: PageQuery;
  limit: number;
}

/** The body of `POST /api/rooms/:room/messages`, `{"text","name"?,"id"?,"token"?}`. */
export interface PostInput {
  text: string;
  /** The display name to post under; absent keeps the user's name or picks one. */
  name?: string;
  /** The client's idempotency key; absent means the room makes one. */
  id?: string;
  /** An identity token from an earlier answer or welcome. */
  token?: string;
  /** The seq of the message this answers. */
  replyTo?: number;
  /** Ids of the users it mentions. */
  mentions?: string[];
}

/**
 * An edit, deletion or reaction made over HTTP, as the frame it is the twin
 * of; the `id` is the client's idempotency key when it gave one.
 */
export type ChangeInput =
  | (Omit<EditFrame, "id"> & { id?: string })
  | (Omit<DeleteFrame, "id"> & { id?: string })
  | (Omit<ReactFrame, "id"> & { id?: string });

export type Parsed<T> = { ok: true; value: T } | FrameRefusal;
export type ConnectParamsResult = Parsed<ConnectParams>;

/** Longer than any token the Room issues; a longer one is treated as absent. */
const MAX_TOKEN_LENGTH = 256;
/** Longer than any key the Room makes; a longer one is treated as absent. */
const MAX_KEY_LENGTH = 64;
const POST_FIELDS: ReadonlySet<string> = new Set(["text", "name", "id", "token", "replyTo", "mentions"]);
const EDIT_FIELDS: ReadonlySet<string> = new Set(["text", "id", "mentions"]);

export function parseConnectParams(query: URLSearchParams): ConnectParamsResult {
  for (const key of ["name", "since", "token"]) {
    if (query.getAll(key).length > 1) return badRequest(`\`${key}\` given twice`);
  }
  const params: ConnectParams = {};
  const name = query.get("name");
  if (name !== null && name.trim() !== "") {
    const result = parseDisplayName(name);
    if (!result.ok) return result;
    params.name = result.value;
  }
  const since = readSeqParam(query, "since");
  if (since === "invalid") return badRequest("`since` must be a non-negative integer");
  if (since !== undefined) params.since = since;
  const token = query.get("token");
  if (token !== null && token !== "" && token.length <= MAX_TOKEN_LENGTH) params.token = token;
  return { ok: true, value: params };
}

/**
 * The credentials a WebSocket client offers in `Sec-WebSocket-Protocol`
 * (`edgechat.v2, token.<token>`), where no URL log can see them. Entries of
 * other protocols are ignored, as the handshake allows; a credential without
 * `edgechat.v2`, or given twice, is refused.
 */
export function parseSocketProtocols(header: string | null): Parsed<SocketCredentials> {
  const offered = (header ?? "").split(",").map((entry) => entry.trim());
  const credentials: SocketCredentials = { v2: offered.includes(SUBPROTOCOL.v2) };
  const tokens = offered.filter((entry) => entry.startsWith(SUBPROTOCOL.tokenPrefix));
  if (tokens.length > 1) return badRequest("`token.` offered twice in Sec-WebSocket-Protocol");
  const keys = offered.filter((entry) => entry.startsWith(SUBPROTOCOL.keyPrefix));
  if (keys.length > 1) return badRequest("`key.` offered twice in Sec-WebSocket-Protocol");
  const [entry] = tokens;
  const [keyEntry] = keys;
  if (entry === undefined && keyEntry === undefined) return { ok: true, value: credentials };
  if (!credentials.v2) {
    return badRequest(`offer \`${SUBPROTOCOL.v2}\` with a \`token.\` or \`key.\` in Sec-WebSocket-Protocol`);
  }
  const token = entry?.slice(SUBPROTOCOL.tokenPrefix.length) ?? "";
  if (token !== "" && token.length <= MAX_TOKEN_LENGTH) credentials.token = token;
  // A mistyped key is not an error here: the room answers it as a key that grants nothing, and says so.
  const key = keyEntry?.slice(SUBPROTOCOL.keyPrefix.length) ?? "";
  if (key !== "" && key.length <= MAX_KEY_LENGTH) credentials.key = key;
  return { ok: true, value: credentials };
}

/**
 * The identity token of a request: from its header (`Sec-WebSocket-Protocol`
 * or `Authorization`), or from where version 1 put it (`?token=`, a post's
 * `token` field), which still works; both at once must agree.
 */
export function eitherToken(
  fromHeader: string | undefined,
  fromVersion1: string | undefined,
): Parsed<string | undefined> {
  if (fromHeader !== undefined && fromVersion1 !== undefined && fromHeader !== fromVersion1) {
    return badRequest("two different tokens: one in a header, one in the query or body");
  }
  return { ok: true, value: fromHeader ?? fromVersion1 };
}

/** A WebSocket connect as the Worker checks it and the Room reads it again: its query and its offered subprotocols. */
export interface ConnectRequest {
  name?: string;
  since?: number;
  /** From `Sec-WebSocket-Protocol`, or from the version 1 `?token=`. */
  token?: string;
  /** From `Sec-WebSocket-Protocol` only: a key never rides in a URL. */
  key?: string;
  /** It offered `edgechat.v2`, which the server then selects. */
  v2: boolean;
}

export function parseConnectRequest(query: URLSearchParams, protocols: string | null): Parsed<ConnectRequest> {
  const params = parseConnectParams(query);
  if (!params.ok) return params;
  const credentials = parseSocketProtocols(protocols);
  if (!credentials.ok) return credentials;
  const token = eitherToken(credentials.value.token, params.value.token);
  if (!token.ok) return token;
  const { name, since } = params.value;
  return {
    ok: true,
    value: {
      ...(name === undefined ? {} : { name }),
      ...(since === undefined ? {} : { since }),
      ...(token.value === undefined ? {} : { token: token.value }),
      ...(credentials.value.key === undefined ? {} : { key: credentials.value.key }),
      v2: credentials.value.v2,
    },
  };
}

/** The identity token of an HTTP call: `Authorization: Bearer <token>`; absent when there is no such header. */
export function parseBearerToken(header: string | null): Parsed<string | undefined> {
  if (header === null) return { ok: true, value: undefined };
  const match = /^Bearer +([\x21-\x7e]{1,256})$/i.exec(header.trim());
  if (match?.[1] === undefined) return badRequest("`Authorization` must be `Bearer <token>`");
  return { ok: true, value: match[1] };
}

export function parsePageRequest(params: URLSearchParams): Parsed<PageRequest> {
  const before = readSeqParam(params, "before");
  const after = readSeqParam(params, "after");
  const around = readSeqParam(params, "around");
  const limit = readSeqParam(params, "limit");
  if (before === "invalid") return badRequest("`before` must be a non-negative integer, given once");
  if (after === "invalid") return badRequest("`after` must be a non-negative integer, given once");
  if (around === "invalid") return badRequest("`around` must be a non-negative integer, given once");
  if (limit === "invalid") return badRequest("`limit` must be an integer, given once");
  if (boundsGiven({ before, after, around }) > 1) return badRequest("use one of `before`, `after` and `around`");
  if (limit !== undefined && !isPageLimit(limit)) {
    return badRequest(`\`limit\` must be from 1 to ${FRAME_LIMITS.historyPageMax}`);
  }
  return {
    ok: true,
    value: { query: pageQueryOf({ before, after, around }), limit: limit ?? FRAME_LIMITS.historyPageDefault },
  };
}

/** `GET /api/rooms/:room/search?q=&before=&limit=`, the twin of the `search` frame. */
export interface SearchRequest {
  q: string;
  before?: number;
  limit: number;
}

export function parseSearchRequest(params: URLSearchParams): Parsed<SearchRequest> {
  const qs = params.getAll("q");
  if (qs.length !== 1) return badRequest("`q` must be given once");
  const q = parseSearchQuery(qs[0]);
  if (!q.ok) return q;
  const before = readSeqParam(params, "before");
  const limit = readSeqParam(params, "limit");
  if (before === "invalid") return badRequest("`before` must be a non-negative integer, given once");
  if (limit === "invalid" || (limit !== undefined && !isSearchLimit(limit))) {
    return badRequest(`\`limit\` must be an integer from 1 to ${FRAME_LIMITS.searchPageMax}, given once`);
  }
  return {
    ok: true,
    value: { q: q.value, ...(before === undefined ? {} : { before }), limit: limit ?? FRAME_LIMITS.searchPageDefault },
  };
}

/** The page a `history` frame or a page request names. */
export function pageQueryOf(bounds: {
  before?: number | undefined;
  after?: number | undefined;
  around?: number | undefined;
}): PageQuery {
  if (bounds.before !== undefined) return { before: bounds.before };
  if (bounds.after !== undefined) return { after: bounds.after };
  if (bounds.around !== undefined) return { around: bounds.around };
  return { newest: true };
}

/**
 * Where an event stream resumes: after `Last-Event-ID`, which EventSource
 * sends by itself on a reconnect, or else after `?since=`, for a first
 * connection that already saw part of the history (EventSource cannot set
 * headers).
 */
export function parseEventsSince(lastEventId: string | null, query: URLSearchParams): Parsed<number | undefined> {
  const since = readSeqParam(query, "since");
  if (since === "invalid") return badRequest("`since` must be a non-negative integer");
  const header = lastEventId?.trim() ?? "";
  if (header === "") return { ok: true, value: since };
  const seq = parseSeqText(header);
  return seq === null ? badRequest("Last-Event-ID must be a message seq") : { ok: true, value: seq };
}

export function parsePostInput(body: unknown): Parsed<PostInput> {
  if (!isPlainObject(body)) return badRequest("the body must be a JSON object");
  const extra = Object.keys(body).find((key) => !POST_FIELDS.has(key));
  if (extra !== undefined) return badRequest(`unexpected field \`${extra.slice(0, 32)}\``);
  const { text, name, id, token, replyTo, mentions } = body;
  const checked = parseMessageText(text);
  if (!checked.ok) return checked;
  const input: PostInput = { text: checked.value };
  if (replyTo !== undefined) {
    if (!isStoredSeqPosition(replyTo)) return badRequest("`replyTo` must be a seq of 1 or more");
    input.replyTo = replyTo;
  }
  if (mentions !== undefined) {
    const parsed = parseMentions(mentions);
    if (!parsed.ok) return parsed;
    input.mentions = parsed.value;
  }
  // A blank name counts as absent, as in `?name=`.
  if (name !== undefined && !(typeof name === "string" && name.trim() === "")) {
    const result = parseDisplayName(name);
    if (!result.ok) return result;
    input.name = result.value;
  }
  if (id !== undefined) {
    if (typeof id !== "string" || !isValidClientId(id)) return badRequest(CLIENT_ID_RULE);
    input.id = id;
  }
  if (token !== undefined) {
    if (typeof token !== "string") return badRequest("`token` must be a string");
    input.token = token;
  }
  return { ok: true, value: input };
}

/** The `:seq` of a message's path: a seq of 1 or more, written in decimal digits. */
export function parseMessageSeq(segment: string): Parsed<number> {
  const seq = parseSeqText(segment);
  return seq !== null && seq >= 1 ? { ok: true, value: seq } : badRequest("a message is named by its seq, 1 or more");
}

/** The `:emoji` of a reaction's path, percent-decoded: exactly one emoji. */
export function parseEmojiSegment(segment: string): Parsed<string> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed percent-escape is no emoji.
    return badRequest(EMOJI_RULE);
  }
  const emoji = normalizeEmoji(decoded);
  return emoji === null ? badRequest(EMOJI_RULE) : { ok: true, value: emoji };
}

/** The body of `PATCH /api/rooms/:room/messages/:seq`, `{"text","id"?,"mentions"?}`, as an `edit` of `target`. */
export function parseEditInput(body: unknown, target: number): Parsed<ChangeInput> {
  if (!isPlainObject(body)) return badRequest("the body must be a JSON object");
  const extra = Object.keys(body).find((key) => !EDIT_FIELDS.has(key));
  if (extra !== undefined) return badRequest(`unexpected field \`${extra.slice(0, 32)}\``);
  const { text, id, mentions } = body;
  const checked = parseMessageText(text);
  if (!checked.ok) return checked;
  const input: ChangeInput = { type: CLIENT_FRAME.edit, target, text: checked.value };
  if (id !== undefined) {
    if (typeof id !== "string" || !isValidClientId(id)) return badRequest(CLIENT_ID_RULE);
    input.id = id;
  }
  if (mentions !== undefined) {
    const parsed = parseMentions(mentions);
    if (!parsed.ok) return parsed;
    input.mentions = parsed.value;
  }
  return { ok: true, value: input };
}

/** A non-negative integer query parameter given at most once: undefined when absent. */
function readSeqParam(params: URLSearchParams, name: string): number | undefined | "invalid" {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1 || value === undefined) return "invalid";
  return parseSeqText(value) ?? "invalid";
}

function badRequest(message: string): FrameRefusal {
  return { ok: false, code: ERROR_CODE.badRequest, message };
}

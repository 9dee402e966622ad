/**
 * The frames of calls, checked at the boundary: `call` (join, leave),
 * `media` and `signal`. A signal is relayed to one peer as it came, so
 * every field it may carry is checked here, bounded, and nothing else
 * passes. The room hands `parseCallFrame` to parseClientFrame; a browser
 * never bundles this file.
 */
import {
  type CallFrame,
  CLIENT_FRAME,
  FRAME_LIMITS,
  type IceCandidate,
  type MediaFrame,
  type SessionDescription,
  type SignalFrame,
} from "./frames.ts";
import {
  type CallFrameParser,
  CLIENT_ID_RULE,
  type ClientFrameResult,
  codePointLength,
  type FrameRefusal,
  isPeerId,
  isPlainObject,
  isValidClientId,
} from "./parse-client.ts";

const DESCRIPTION_TYPES: ReadonlySet<unknown> = new Set(["offer", "answer", "rollback"]);
const CANDIDATE_FIELDS: ReadonlySet<string> = new Set(["candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"]);

/** The room's parser of call frames, for parseClientFrame. */
export const parseCallFrame: CallFrameParser = (type, fields) => {
  switch (type) {
    case CLIENT_FRAME.call:
      return parseCall(fields);
    case CLIENT_FRAME.media:
      return parseMedia(fields);
    case CLIENT_FRAME.signal:
      return parseSignal(fields);
  }
};

/** `call`: `join` with the media it starts with, or `leave`. */
export function parseCall(fields: Record<string, unknown>): ClientFrameResult {
  const { id, action, audio, video } = fields;
  if (typeof id !== "string" || !isValidClientId(id)) return badRequest(CLIENT_ID_RULE);
  if (action === "leave") {
    if (audio !== undefined || video !== undefined) return badRequest("`leave` takes no `audio` or `video`", id);
    const frame: CallFrame = { type: CLIENT_FRAME.call, id, action };
    return { ok: true, frame };
  }
  if (action !== "join") return badRequest("`action` must be join or leave", id);
  if (typeof audio !== "boolean" || typeof video !== "boolean") {
    return badRequest("`join` takes `audio` and `video`, each true or false", id);
  }
  const frame: CallFrame = { type: CLIENT_FRAME.call, id, action, audio, video };
  return { ok: true, frame };
}

/** `media`: microphone, camera and screen, each on or off. */
export function parseMedia(fields: Record<string, unknown>): ClientFrameResult {
  const { audio, video, screen } = fields;
  if (typeof audio !== "boolean" || typeof video !== "boolean" || typeof screen !== "boolean") {
    return badRequest("`media` takes `audio`, `video` and `screen`, each true or false");
  }
  const frame: MediaFrame = { type: CLIENT_FRAME.media, audio, video, screen };
  return { ok: true, frame };
}

/** `signal`: to one peer, exactly one of a session description and an ICE candidate. */
export function parseSignal(fields: Record<string, unknown>): ClientFrameResult {
  const { to, description, candidate } = fields;
  if (!isPeerId(to)) return badRequest("`to` must be a peer id (8 base32 characters)");
  if ((description === undefined) === (candidate === undefined)) {
    return badRequest("`signal` carries exactly one of `description` and `candidate`");
  }
  if (description !== undefined) {
    const parsed = parseDescription(description);
    if (parsed === null) {
      return badRequest(
        `\`description\` must be {"type":"offer"|"answer"|"rollback","sdp"} with an sdp of at most ${FRAME_LIMITS.maxSdpLength} characters`,
      );
    }
    const frame: SignalFrame = { type: CLIENT_FRAME.signal, to, description: parsed };
    return { ok: true, frame };
  }
  const parsed = parseCandidate(candidate);
  if (parsed === null) {
    return badRequest(
      `\`candidate\` must be an ICE candidate of at most ${FRAME_LIMITS.maxCandidateLength} characters`,
    );
  }
  const frame: SignalFrame = { type: CLIENT_FRAME.signal, to, candidate: parsed };
  return { ok: true, frame };
}

function parseDescription(value: unknown): SessionDescription | null {
  if (!isPlainObject(value)) return null;
  const { type, sdp, ...extra } = value;
  if (Object.keys(extra).length > 0 || !DESCRIPTION_TYPES.has(type) || typeof sdp !== "string") return null;
  if (!sdp.isWellFormed() || codePointLength(sdp) > FRAME_LIMITS.maxSdpLength) return null;
  return { type: type as SessionDescription["type"], sdp };
}

function parseCandidate(value: unknown): IceCandidate | null {
  if (!isPlainObject(value) || Object.keys(value).some((key) => !CANDIDATE_FIELDS.has(key))) return null;
  const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (
    typeof candidate !== "string" ||
    candidate.length > FRAME_LIMITS.maxCandidateLength ||
    !candidate.isWellFormed()
  ) {
    return null;
  }
  const parsed: IceCandidate = { candidate };
  if (sdpMid !== undefined) {
    if (sdpMid !== null && !isShortText(sdpMid)) return null;
    parsed.sdpMid = sdpMid;
  }
  if (sdpMLineIndex !== undefined) {
    const valid =
      sdpMLineIndex === null ||
      (Number.isInteger(sdpMLineIndex) && Number(sdpMLineIndex) >= 0 && Number(sdpMLineIndex) < 256);
    if (!valid) return null;
    parsed.sdpMLineIndex = sdpMLineIndex as number | null;
  }
  if (usernameFragment !== undefined) {
    if (usernameFragment !== null && !isShortText(usernameFragment)) return null;
    parsed.usernameFragment = usernameFragment;
  }
  return parsed;
}

function isShortText(value: unknown): value is string {
  return typeof value === "string" && value.length <= 64 && value.isWellFormed();
}

function badRequest(message: string, id?: string): FrameRefusal {
  return { ok: false, code: "bad_request", message, ...(id === undefined ? {} : { id }) };
}

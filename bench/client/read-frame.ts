/**
 * What a frame from a target means to the load generator. The app's frames
 * are parsed with the protocol's own parser, so a frame that breaks the
 * contract is counted, never guessed at; a reference's or a peer's frames are
 * the `send` frames it echoes (socket.io's as the payload of a `send` event).
 */

import { CLIENT_FRAME, SERVER_FRAME, type ServerFrame } from "../../protocol/frames.ts";
import { parseServerFrames } from "../../protocol/parse-server.ts";
import type { Target } from "../targets.ts";
import { decodePacket, SEND_EVENT } from "./socket-io-codec.ts";

export type FrameReading =
  /** A stored message (the app) or an echoed frame (a reference), as every listener sees it. */
  | { kind: "delivery"; id: string; seq: number | null }
  /** The app's acknowledgement to the sender. */
  | { kind: "ack"; id: string; seq: number }
  /** The app refused a frame. */
  | { kind: "error"; code: string; message: string }
  /** Any other valid frame. */
  | { kind: "other"; frame: ServerFrame }
  /** Not a frame of the contract. */
  | { kind: "invalid"; text: string };

/**
 * What one text frame from `target` holds. The app's connections select
 * `edgechat.v2`, so a busy room sends several frames as one `batch`: each
 * is read in turn.
 */
export function readFrames(target: Target, text: string): FrameReading[] {
  if (target.speaksProtocol) return readServerFrames(text);
  if (target.framing === "plain") return [readEcho(text)];
  const packet = decodePacket(text);
  return [
    packet.kind === "event" && packet.name === SEND_EVENT
      ? readEchoed(packet.payload, text)
      : { kind: "invalid", text },
  ];
}

function readServerFrames(text: string): FrameReading[] {
  const frames = parseServerFrames(text);
  return frames === null ? [{ kind: "invalid", text }] : frames.map(readServerFrame);
}

function readServerFrame(frame: ServerFrame): FrameReading {
  switch (frame.type) {
    case SERVER_FRAME.message:
      return { kind: "delivery", id: frame.id, seq: frame.seq };
    case SERVER_FRAME.ack:
      // The generator only sends messages, whose acks are stored acks; an unchanged ack is another frame.
      return "seq" in frame ? { kind: "ack", id: frame.id, seq: frame.seq } : { kind: "other", frame };
    case SERVER_FRAME.error:
      return { kind: "error", code: frame.code, message: frame.message };
    default:
      return { kind: "other", frame };
  }
}

function readEcho(text: string): FrameReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A reference echoes only what the generator sent, so this is a broken echo.
    return { kind: "invalid", text };
  }
  return readEchoed(value, text);
}

/** An echoed `send` frame, already parsed from `text`. */
function readEchoed(value: unknown, text: string): FrameReading {
  if (typeof value !== "object" || value === null) return { kind: "invalid", text };
  const type: unknown = Reflect.get(value, "type");
  const id: unknown = Reflect.get(value, "id");
  if (type !== CLIENT_FRAME.send || typeof id !== "string") return { kind: "invalid", text };
  return { kind: "delivery", id, seq: null };
}

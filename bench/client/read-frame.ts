/**
 * What a frame from a target means to the load generator. The app's frames
 * are parsed with the protocol's own parser, so a frame that breaks the
 * contract is counted, never guessed at; a reference's frames are the `send`
 * frames it echoes.
 */

import { CLIENT_FRAME, SERVER_FRAME, type ServerFrame } from "../../protocol/frames.ts";
import { parseServerFrame } from "../../protocol/parse-server.ts";
import type { Target } from "../targets.ts";

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

export function readFrame(target: Target, text: string): FrameReading {
  return target.speaksProtocol ? readServerFrame(text) : readEcho(text);
}

function readServerFrame(text: string): FrameReading {
  const frame = parseServerFrame(text);
  if (frame === null) return { kind: "invalid", text };
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
  if (typeof value !== "object" || value === null) return { kind: "invalid", text };
  const type: unknown = Reflect.get(value, "type");
  const id: unknown = Reflect.get(value, "id");
  if (type !== CLIENT_FRAME.send || typeof id !== "string") return { kind: "invalid", text };
  return { kind: "delivery", id, seq: null };
}

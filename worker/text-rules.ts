/**
 * The contract's rules for room names, display names, client ids and message
 * text. Lengths count Unicode code points, never UTF-16 units.
 */
import { FRAME_LIMITS } from "./protocol.ts";

export type TextRuleResult = { ok: true; value: string } | { ok: false; reason: "empty" | "too_long" | "malformed" };

const ROOM_NAME = /^[\p{L}\p{N}_-]{1,64}$/u;
/**
 * C0 and C1 controls, the line and paragraph separators (control characters
 * in all but name), and the bidirectional overrides and isolates that let a
 * name masquerade as another.
 */
const NAME_FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

/** Counts code points, so that an emoji or a CJK character is one character. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * Percent-decodes, NFC-normalises and lower-cases a room name from a URL
 * path segment, in that order, as the contract specifies. Returns null for a
 * name the contract refuses.
 */
export function normalizeRoomName(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed percent-escape is simply not a room name.
    return null;
  }
  if (!decoded.isWellFormed()) return null;
  const name = decoded.normalize("NFC").toLowerCase();
  return ROOM_NAME.test(name) ? name : null;
}

/** Trims and NFC-normalises a display name: 1 to 32 characters, no control characters. */
export function normalizeDisplayName(raw: string): TextRuleResult {
  if (!raw.isWellFormed()) return { ok: false, reason: "malformed" };
  const name = raw.trim().normalize("NFC");
  if (name.length === 0) return { ok: false, reason: "empty" };
  if (NAME_FORBIDDEN.test(name)) return { ok: false, reason: "malformed" };
  if (codePointLength(name) > FRAME_LIMITS.maxNameLength) return { ok: false, reason: "too_long" };
  return { ok: true, value: name };
}

/**
 * Trims message text: 1 to 4000 characters. Text that is not well-formed
 * UTF-16 (a lone surrogate) cannot be stored faithfully and is refused.
 */
export function normalizeMessageText(raw: string): TextRuleResult {
  if (!raw.isWellFormed()) return { ok: false, reason: "malformed" };
  const text = raw.trim();
  if (text.length === 0) return { ok: false, reason: "empty" };
  if (codePointLength(text) > FRAME_LIMITS.maxTextLength) return { ok: false, reason: "too_long" };
  return { ok: true, value: text };
}

/** A client-chosen message id: 1 to 64 characters of well-formed text. */
export function isValidClientId(id: string): boolean {
  return id.length > 0 && id.isWellFormed() && codePointLength(id) <= FRAME_LIMITS.maxClientIdLength;
}

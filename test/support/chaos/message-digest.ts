/**
 * A short fingerprint of a stored message, so that a client's log can hold
 * what it saw in a few bytes per message and still be compared, field by
 * field in effect, with the room's history read over HTTP.
 */
import type { Message } from "../../../protocol/frames.ts";

/** A 53-bit hash (cyrb53) of every field of `message`, as base-36 text. */
export function messageDigest(message: Message): string {
  const text = [message.seq, message.id, message.user.id, message.user.name, message.text, message.ts].join("\u0000");
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

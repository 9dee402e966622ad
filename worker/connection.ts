/**
 * What the room knows about one WebSocket connection. It is kept in the
 * socket's attachment, which survives hibernation, so the room can rebuild
 * presence, names, typing throttles and abuse counts when it wakes.
 */
export interface Connection {
  userId: string;
  name: string;
  /** The client's address, for the cool-down that follows an abuse close. */
  address: string;
  /** When a typing frame from this connection was last relayed (ms since epoch). */
  typingAt: number;
  /** When each error frame still inside the abuse window was sent to this connection. */
  errorTimes: number[];
}

/** The connection stored on `ws`, or null if its attachment is not one. */
export function readConnection(ws: WebSocket): Connection | null {
  const value: unknown = ws.deserializeAttachment();
  if (!isRecord(value)) return null;
  const { userId, name, address, typingAt, errorTimes } = value;
  if (typeof userId !== "string" || typeof name !== "string" || typeof address !== "string") return null;
  if (typeof typingAt !== "number") return null;
  if (!Array.isArray(errorTimes) || !errorTimes.every((time) => typeof time === "number")) return null;
  return { userId, name, address, typingAt, errorTimes };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function writeConnection(ws: WebSocket, connection: Connection): void {
  ws.serializeAttachment(connection);
}

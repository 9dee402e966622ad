/**
 * WebSocket close handling the Hibernation API leaves to the application:
 * when a client closes, the room must send the reciprocal Close frame itself,
 * on every compatibility date, or the client hangs in CLOSING until it times
 * out and reports 1006 (web_socket_auto_reply_to_close covers only sockets
 * accepted with `accept()`).
 */
import { CLOSE_CODE } from "./protocol.ts";

/** Codes a peer may report but no endpoint may send (RFC 6455 section 7.4.1). */
export function isReservedCloseCode(code: number): boolean {
  return code === 1005 || code === 1006 || code === 1015;
}

/** Completes a close the client started, echoing its code where that is allowed. */
export function completeClose(ws: WebSocket, code: number): void {
  try {
    ws.close(isReservedCloseCode(code) ? CLOSE_CODE.normal : code, "");
  } catch {
    // A code the runtime will not send back (or a socket already closed): close plainly.
    try {
      ws.close(CLOSE_CODE.normal, "");
    } catch {
      // Already closed: nothing left to complete.
    }
  }
}

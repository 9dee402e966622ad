import type { PageQuery } from "../history.ts";
import { FRAME_LIMITS, type HistoryRequestFrame, SERVER_FRAME } from "../protocol.ts";
import type { RoomParts } from "../room-parts.ts";

/** `history`: a page of older (`before`) or newer (`after`) messages, or the newest page. */
export function onHistoryRequest(room: RoomParts, ws: WebSocket, frame: HistoryRequestFrame): void {
  const query: PageQuery =
    frame.before !== undefined
      ? { before: frame.before }
      : frame.after !== undefined
        ? { after: frame.after }
        : { newest: true };
  const { messages, hasMore } = room.history.page(query, frame.limit ?? FRAME_LIMITS.historyPageDefault);
  room.fanout.send(ws, { type: SERVER_FRAME.history, messages, hasMore });
}

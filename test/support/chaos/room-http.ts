/**
 * A room as HTTP shows it, read the way a bot would (no Origin header): its
 * vital signs, and its whole retained history, page by page.
 */
import type { Message } from "../../../protocol/frames.ts";

export interface RoomInfo {
  room: string;
  online: number;
  lastSeq: number;
  listeners: number;
}

const PAGE = 100;
/** Far more pages than any run stores; a loop that reaches it has met a room that never says `hasMore: false`. */
const MAX_PAGES = 10_000;

export async function roomInfo(baseUrl: string, room: string): Promise<RoomInfo> {
  const response = await fetch(`${baseUrl}/api/rooms/${encodeURIComponent(room)}`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`room info of ${room}: ${response.status} ${await response.text()}`);
  const info: RoomInfo = await response.json();
  return info;
}

/** Every retained message of `room`, oldest first, read with `after=` paging. */
export async function readHistory(baseUrl: string, room: string): Promise<Message[]> {
  const messages: Message[] = [];
  let after = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = `${baseUrl}/api/rooms/${encodeURIComponent(room)}/messages?after=${after}&limit=${PAGE}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`history of ${room}: ${response.status} ${await response.text()}`);
    const body: { messages: Message[]; hasMore: boolean } = await response.json();
    messages.push(...body.messages);
    const last = body.messages.at(-1);
    if (!body.hasMore || last === undefined) return messages;
    after = last.seq;
  }
  throw new Error(`history of ${room} did not end within ${MAX_PAGES} pages`);
}

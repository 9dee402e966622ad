/** Where the Worker sends the requests it forwards to a Room by fetch; the host is never resolved. */
export const ROOM_ORIGIN = "https://room.edgechat";

export const ROOM_PATHS = {
  connect: "/ws",
  events: "/events",
} as const;

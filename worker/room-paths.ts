/** URLs of the requests the Worker forwards to a Room; the host is never resolved. */
export const ROOM_PATHS = {
  connect: "https://room.edgechat/ws",
} as const;

/**
 * What the benchmark measures side by side: the app; the two reference
 * rooms that are the physical limit of this runtime; and two peers a user
 * might build the same chat on instead, a partyserver room in the same
 * workerd and a socket.io server on one Node process. A reference or a peer
 * has no welcome and no ack: it is ready when its socket is (for socket.io,
 * when its namespace has accepted the connect), and a sender's own frame
 * coming back to it is its acknowledgement. The app is also reached through
 * a given relay of a room, for the scenarios of its relay tier.
 */
import { SUBPROTOCOL } from "../protocol/frames.ts";
import {
  REFERENCE_KINDS,
  type ReferenceKind,
  referenceSocketPath,
  relayedSocketPath,
} from "./reference/reference-path.ts";

export const TARGET_NAMES = ["edgechat", "bare", "bare+sqlite", "partyserver", "socket.io"] as const;

export type TargetName = (typeof TARGET_NAMES)[number];

/** Every target the app's figures are compared with. */
export type OtherTarget = Exclude<TargetName, "edgechat">;

export const OTHER_TARGETS: readonly OtherTarget[] = ["bare", "bare+sqlite", "partyserver", "socket.io"];

export interface Target {
  name: TargetName;
  /** Whether the server speaks the edgechat protocol (welcome, ack, message) or echoes frames. */
  speaksProtocol: boolean;
  /** How frames travel: as they are, or inside socket.io's packets. */
  framing: "plain" | "socket.io";
  /** The process whose CPU time is the target's: the workerd runtime, or the socket.io server's Node process. */
  runsIn: "workerd" | "socket.io";
  /** The subprotocols its sockets offer: the app's select `edgechat.v2`, as the SDK does. */
  protocols: string[];
  socketUrl(room: string, query?: URLSearchParams): string;
}

const ROOM_OF: Record<Exclude<OtherTarget, "socket.io">, ReferenceKind> = {
  bare: REFERENCE_KINDS[0],
  "bare+sqlite": REFERENCE_KINDS[1],
  partyserver: REFERENCE_KINDS[2],
};

/** The targets of the benchmark's workerd on `port` and of the socket.io server on `socketIoPort`, both on 127.0.0.1. */
export function targetsOf(port: number, socketIoPort: number): Record<TargetName, Target> {
  const base = originOf(port);
  const inWorkerd = (name: Exclude<OtherTarget, "socket.io">): Target => ({
    name,
    speaksProtocol: false,
    framing: "plain",
    runsIn: "workerd",
    protocols: [],
    socketUrl: (room) => `${base}${referenceSocketPath(ROOM_OF[name], room)}`,
  });
  return {
    edgechat: appTarget(port, (room) => `/api/rooms/${encodeURIComponent(room)}/ws`),
    bare: inWorkerd("bare"),
    "bare+sqlite": inWorkerd("bare+sqlite"),
    partyserver: inWorkerd("partyserver"),
    "socket.io": {
      name: "socket.io",
      speaksProtocol: false,
      framing: "socket.io",
      runsIn: "socket.io",
      protocols: [],
      socketUrl: (room) =>
        `ws://127.0.0.1:${socketIoPort}/socket.io/?${new URLSearchParams({ EIO: "4", transport: "websocket", room })}`,
    },
  };
}

/**
 * The app as a listener reaches it on relay `shard` of its room, through the
 * bench's relayed route on `port`: the same protocol and handshake, whatever
 * the room's size.
 */
export function relayedAppTarget(port: number, shard: number): Target {
  return appTarget(port, (room) => relayedSocketPath(room, shard));
}

function originOf(port: number): string {
  return `ws://127.0.0.1:${port}`;
}

/** The app on `port`, its sockets opened on `path`. */
function appTarget(port: number, path: (room: string) => string): Target {
  return {
    name: "edgechat",
    speaksProtocol: true,
    framing: "plain",
    runsIn: "workerd",
    protocols: [SUBPROTOCOL.v2],
    socketUrl: (room, query) => {
      const search = query === undefined || query.size === 0 ? "" : `?${query}`;
      return `${originOf(port)}${path(room)}${search}`;
    },
  };
}

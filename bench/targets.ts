/**
 * What the benchmark measures side by side: the app, and the two reference
 * rooms that are the physical limit of this runtime. A reference has no
 * welcome and no ack: it is ready when its socket opens, and a sender's own
 * frame coming back to it is its acknowledgement.
 */
import { REFERENCE_KINDS, type ReferenceKind, referenceSocketPath } from "./reference/reference-path.ts";

export const TARGET_NAMES = ["edgechat", "bare", "bare+sqlite"] as const;

export type TargetName = (typeof TARGET_NAMES)[number];

export interface Target {
  name: TargetName;
  /** Whether the server speaks the edgechat protocol (welcome, ack, message) or echoes frames. */
  speaksProtocol: boolean;
  socketUrl(room: string, query?: URLSearchParams): string;
}

const REFERENCE_OF: Record<Exclude<TargetName, "edgechat">, ReferenceKind> = {
  bare: REFERENCE_KINDS[0],
  "bare+sqlite": REFERENCE_KINDS[1],
};

/** The three targets of a server listening on `port` of 127.0.0.1. */
export function targetsOf(port: number): Record<TargetName, Target> {
  const base = `ws://127.0.0.1:${port}`;
  const reference = (name: Exclude<TargetName, "edgechat">): Target => ({
    name,
    speaksProtocol: false,
    socketUrl: (room) => `${base}${referenceSocketPath(REFERENCE_OF[name], room)}`,
  });
  return {
    edgechat: {
      name: "edgechat",
      speaksProtocol: true,
      socketUrl: (room, query) => {
        const search = query === undefined || query.size === 0 ? "" : `?${query}`;
        return `${base}/api/rooms/${encodeURIComponent(room)}/ws${search}`;
      },
    },
    bare: reference("bare"),
    "bare+sqlite": reference("bare+sqlite"),
  };
}

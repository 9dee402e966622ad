/**
 * What a call's peer connections report through `getStats()`: how much
 * audio and video arrives from each peer, how loud each one is (who is
 * speaking), and how loud this person's own microphone is. A tile reads
 * these; so can a test or a benchmark, through the same functions.
 */

/** What one peer connection receives, summed over its inbound RTP streams, as of one `getStats()`. */
export interface InboundMedia {
  audioBytes: number;
  videoBytes: number;
  /** Video frames decoded: more than 0 once a picture has arrived. */
  framesDecoded: number;
  /** How loud the peer is, 0 to 1, as last measured; 0 without audio. */
  audioLevel: number;
}

/** The audio level above which someone counts as speaking (0 to 1, linear; quiet speech is about 0.02 to 0.1). */
export const SPEAKING_LEVEL = 0.02;

/** Sums a connection's `inbound-rtp` stats by kind. */
export async function inboundMedia(connection: RTCPeerConnection): Promise<InboundMedia> {
  const media: InboundMedia = { audioBytes: 0, videoBytes: 0, framesDecoded: 0, audioLevel: 0 };
  for (const stats of (await connection.getStats()).values()) {
    if (field(stats, "type") !== "inbound-rtp") continue;
    const bytes = numberIn(stats, "bytesReceived");
    if (field(stats, "kind") === "audio") {
      media.audioBytes += bytes;
      media.audioLevel = Math.max(media.audioLevel, numberIn(stats, "audioLevel"));
    } else {
      media.videoBytes += bytes;
      media.framesDecoded += numberIn(stats, "framesDecoded");
    }
  }
  return media;
}

/** How loud this person's microphone is, 0 to 1, as a connection that sends it measures it (`media-source`). */
export async function microphoneLevel(connection: RTCPeerConnection): Promise<number> {
  let level = 0;
  for (const stats of (await connection.getStats()).values()) {
    if (field(stats, "type") === "media-source" && field(stats, "kind") === "audio") {
      level = Math.max(level, numberIn(stats, "audioLevel"));
    }
  }
  return level;
}

/** Every peer's inbound media and this person's microphone level, measured together. */
export interface CallMeasure {
  inbound: Map<string, InboundMedia>;
  microphone: number;
}

/** Measures every connection of `links` (peer id to connection) at once; a closed one is left out. */
export async function measureCall(links: ReadonlyMap<string, RTCPeerConnection>): Promise<CallMeasure> {
  const open = [...links].filter(([, connection]) => connection.connectionState !== "closed");
  const [first] = open;
  const [inbound, microphone] = await Promise.all([
    Promise.all(open.map(async ([peer, connection]) => [peer, await inboundMedia(connection)] as const)),
    first === undefined ? 0 : microphoneLevel(first[1]),
  ]);
  return { inbound: new Map(inbound), microphone };
}

function field(stats: unknown, name: string): unknown {
  return typeof stats === "object" && stats !== null && name in stats ? Reflect.get(stats, name) : undefined;
}

function numberIn(stats: unknown, name: string): number {
  const value = field(stats, name);
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

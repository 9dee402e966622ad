/**
 * What the room page always has of calls: the call button in the header,
 * and the timeline's notes of calls (call-notes.ts). The call itself (call-bar.ts:
 * the session, the controls, the tiles) loads on demand, the first time
 * the button is pressed, a call is on, or a reload finds the person in one
 * (kept in sessionStorage, so a reload rejoins and a closed tab does not).
 * Until it has loaded, the frames it starts from wait here: the last
 * welcome and the call events since.
 */
import type { ServerFrame } from "../../protocol/frames.ts";
import { readStored, removeStored, writeStored } from "../browser/stored.ts";
import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import type { ShownCall } from "./call-bar.ts";
import { showCallNotes } from "./call-notes.ts";
import { byId } from "./dom.ts";
import { loadCalls } from "./on-demand.ts";

export interface CallEntry {
  room: string;
  connection: RoomConnection;
  announcer: Announcer;
  /** Puts a note in the timeline, after what it shows now. */
  notice(text: string): void;
}

/**
 * Where a tab keeps that it is in the room's call, and the media it has on:
 * sessionStorage, so that a reload rejoins and a closed tab does not.
 */
export interface InCallStore {
  saved(): string | null;
  save(value: string): void;
  clear(): void;
}

function inCallStore(room: string): InCallStore {
  const key = `edgechat:call:${room}`;
  return {
    saved: () => readStored("session", key),
    save: (value) => void writeStored("session", key, value),
    clear: () => removeStored("session", key),
  };
}

/** Wires the call button and the timeline's notes; loads the call when it is needed. */
export function offerCalls({ room, connection, announcer, notice }: CallEntry): void {
  const button = byId("call-button", HTMLButtonElement);
  const inCall = inCallStore(room);
  let earlier: ServerFrame[] = [];
  const stopBuffering = [
    connection.on("welcome", (welcome) => {
      earlier = [{ ...welcome, history: [] }];
      if (welcome.call !== undefined) void load();
    }),
    connection.on("call", (event) => {
      earlier.push(event);
      if (event.action !== "end") void load();
    }),
  ];
  let loading: Promise<ShownCall | null> | null = null;
  /** The call, loaded once; null when it could not be (the person is told, and the next need tries again). */
  function load(): Promise<ShownCall | null> {
    loading ??= loadCalls().then(
      ({ showCall }) => {
        for (const stop of stopBuffering) stop();
        return showCall({ room, connection, announcer, button, earlier, inCall });
      },
      () => {
        loading = null;
        announcer.announce("The call could not be loaded. Check your connection and try again.");
        return null;
      },
    );
    return loading;
  }
  button.addEventListener("click", () => {
    void load().then((call) => call?.pressed());
  });
  if (inCall.saved() !== null) void load();
  showCallNotes(connection, notice);
}

import type { ConnectionState, RoomConnection } from "../sdk.ts";

export interface StatusElements {
  /** A `role="status"` element, so that a change is announced without interrupting. */
  status: HTMLElement;
  text: HTMLElement;
  reconnect: HTMLButtonElement;
}

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  online: "Online",
  reconnecting: "Reconnecting…",
  offline: "Disconnected",
  closed: "Disconnected",
};

/** How long "Back online" shows after a reconnect, before it settles to "Online". */
const BACK_ONLINE_MS = 4000;

/**
 * The connection's state in the header: a dot and a word, calm in colour,
 * so that a drop is noticed without alarm. Messages sent meanwhile wait in
 * the outbox; while reconnecting, "Reconnect now" skips the backoff wait,
 * and once the room has closed the connection for good it reloads the page
 * (not offered to someone the room removed: the notice about it says why).
 */
export function showConnectionStatus(
  connection: RoomConnection,
  { status, text, reconnect }: StatusElements,
  retryNow: () => void,
): void {
  let settle: ReturnType<typeof setTimeout> | undefined;
  let wasDown = false;
  let closedByRoom = false;
  const render = (state: ConnectionState) => {
    clearTimeout(settle);
    status.dataset.state = state;
    const backOnline = state === "online" && wasDown;
    if (backOnline) text.textContent = "Back online";
    else if (state === "offline" && closedByRoom) text.textContent = "Disconnected by the room";
    else text.textContent = STATE_TEXT[state];
    if (backOnline) settle = setTimeout(() => render("online"), BACK_ONLINE_MS);
    wasDown = state === "reconnecting" || state === "offline";
    // Kicked, banned or needing a key: reconnecting would be refused again; the notice says what to do.
    reconnect.hidden = !wasDown || connection.removal !== null;
  };
  reconnect.addEventListener("click", () => {
    if (connection.state === "reconnecting") retryNow();
    else location.reload();
  });
  connection.on("state", render);
  // The room closes a connection for good after a flood of refused frames, or a moderator's kick or ban,
  // or when the room is for key holders only; the event comes before the state.
  connection.on("error", (error) => {
    if (error.kind === "policy_close") closedByRoom = true;
  });
  connection.on("removed", () => {
    closedByRoom = true;
  });
  render(connection.state);
}

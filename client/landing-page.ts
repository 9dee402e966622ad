/**
 * The landing page (`/`): join a room by name, or create a private room
 * (`POST /api/rooms`) and go to it as its owner: the owner key rides in the
 * link's fragment, `/r/<room>#k=<key>`, which the browser never sends to a
 * server, and the room page presents it once and then takes it out of the
 * address bar.
 */
import { FRAME_LIMITS } from "../protocol/frames.ts";
import { normalizeRoomName } from "../protocol/parse-client.ts";
import { isKey } from "../protocol/parse-owners.ts";
import { keyLink, roomPath } from "./browser/room-location.ts";
import { byId } from "./ui/dom.ts";

const joinForm = byId("join-form", HTMLFormElement);
const roomInput = byId("room-input", HTMLInputElement);
const joinError = byId("join-error", HTMLElement);
const createButton = byId("create-room", HTMLButtonElement);
const createError = byId("create-error", HTMLElement);

joinForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = roomInput.value.trim().replace(/^#/, "");
  const room = normalizeRoomName(encodeURIComponent(typed));
  if (room === null) {
    joinError.textContent =
      typed === ""
        ? "Enter a room name."
        : `A room name is 1 to ${FRAME_LIMITS.maxRoomNameLength} letters or digits, with - or _ and no spaces.`;
    roomInput.ariaInvalid = "true";
    roomInput.focus();
    return;
  }
  location.assign(roomPath(room));
});

roomInput.addEventListener("input", () => {
  joinError.textContent = "";
  roomInput.ariaInvalid = null;
});

createButton.addEventListener("click", async () => {
  if (createButton.ariaDisabled === "true") return;
  createButton.ariaDisabled = "true";
  createError.textContent = "";
  const created = await createPrivateRoom();
  if (created === null) {
    createError.textContent = "The private room could not be created. Check your connection and try again.";
    createButton.ariaDisabled = null;
    return;
  }
  location.assign(keyLink(created.room, created.key));
});

/** Asks the Worker for a new private room and its owner key; null when it could not. */
async function createPrivateRoom(): Promise<{ room: string; key: string } | null> {
  try {
    const response = await fetch("/api/rooms", { method: "POST" });
    if (response.status !== 201) return null;
    const body: unknown = await response.json();
    if (typeof body !== "object" || body === null || !("room" in body) || !("key" in body)) return null;
    const room = typeof body.room === "string" ? normalizeRoomName(body.room) : null;
    return room !== null && isKey(body.key) ? { room, key: body.key } : null;
  } catch {
    // Offline, or the Worker is unreachable: reported to the person as a failure to create.
    return null;
  }
}

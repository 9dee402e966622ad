/**
 * The landing page (`/`): join a room by name, or create a private room
 * (`POST /api/rooms`) and go to it.
 */
import { FRAME_LIMITS } from "../protocol/frames.ts";
import { normalizeRoomName } from "../protocol/parse-client.ts";
import { roomPath } from "./browser/room-location.ts";
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
  const room = await createPrivateRoom();
  if (room === null) {
    createError.textContent = "The private room could not be created. Check your connection and try again.";
    createButton.ariaDisabled = null;
    return;
  }
  location.assign(roomPath(room));
});

/** Asks the Worker for a new private room; null when it could not. */
async function createPrivateRoom(): Promise<string | null> {
  try {
    const response = await fetch("/api/rooms", { method: "POST" });
    if (response.status !== 201) return null;
    const body: unknown = await response.json();
    const room = typeof body === "object" && body !== null && "room" in body ? body.room : null;
    return typeof room === "string" ? normalizeRoomName(room) : null;
  } catch {
    // Offline, or the Worker is unreachable: reported to the person as a failure to create.
    return null;
  }
}

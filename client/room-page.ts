/** Names the room of a `/r/:room` page; the name is set as text, never as markup. */
const segment = location.pathname.split("/")[2] ?? "";
let room = segment;
try {
  room = decodeURIComponent(segment).normalize("NFC").toLowerCase();
} catch {
  // The Worker refuses malformed names before this page is served; show the raw segment if one slips by.
}
const roomName = document.getElementById("room-name");
const socketPath = document.getElementById("socket-path");
if (roomName) roomName.textContent = room;
if (socketPath) socketPath.textContent = `/api/rooms/${encodeURIComponent(room)}/ws`;

import type { RoomConnection } from "../sdk.ts";
import type { Announcer } from "./announcer.ts";
import { mentionsReader, newToThisPage } from "./new-messages.ts";

/**
 * What screen readers hear of the conversation, politely and once: each
 * new message from others ("ana mentioned you: …" when it names the
 * reader), a reaction someone adds to the reader's message, and the
 * reader's own edits and deletions as the room confirms them. Nothing the
 * first welcome shows, nor a page of history, is read out.
 */
export function announceMessages(connection: RoomConnection, announcer: Announcer): void {
  const isNew = newToThisPage(connection);
  const me = () => connection.user?.id;
  connection.on("message", (message) => {
    if (!isNew(message.seq) || message.user.id === me()) return;
    const who = mentionsReader(message, me()) ? `${message.user.name} mentioned you` : message.user.name;
    announcer.announce(`${who}: ${message.text}`);
  });
  connection.on("reaction", ({ event, message }) => {
    if (event === null || !event.on || !isNew(event.seq) || event.user.id === me()) return;
    if (message?.user.id === me()) announcer.announce(`${event.user.name} reacted ${event.emoji} to your message`);
  });
  connection.on("edit", ({ event }) => {
    if (isNew(event.seq) && event.user.id === me()) announcer.announce("Your message was edited");
  });
  connection.on("delete", ({ event }) => {
    if (isNew(event.seq) && event.user.id === me()) announcer.announce("Your message was deleted");
  });
}

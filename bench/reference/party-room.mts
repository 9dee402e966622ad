import { type Connection, Server, type WSMessage } from "partyserver";

/**
 * The `partyserver` peer: a chat room as partyserver writes one, in its
 * idiomatic form. Hibernation is on, and every frame a connection sends is
 * broadcast to every connection, the sender's included (its echo is its
 * acknowledgement, as with the references). Accepting, tagging, closing and
 * the attachments that let connections survive hibernation are the
 * library's own.
 */
export class PartyRoom extends Server {
  static override options = { hibernate: true };

  override onMessage(_connection: Connection, message: WSMessage): void {
    this.broadcast(message);
  }
}

/**
 * The socket.io peer: a chat room server as socket.io writes one, on one
 * Node process. Websocket transport only, no compression; a client names its
 * room in the handshake's query and joins it on connect, and every `send`
 * event is emitted to everyone in that room, the sender included (its echo is
 * its acknowledgement, as with the references). Run by bench/run.ts as a
 * child process; it listens on a free port of 127.0.0.1 and prints
 * `{"port":N}` once it does.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { SEND_EVENT } from "../client/socket-io-codec.ts";

const http = createServer();
const io = new Server(http, { transports: ["websocket"], perMessageDeflate: false, serveClient: false });

io.on("connection", (socket) => {
  const room = socket.handshake.query.room;
  if (typeof room !== "string" || room === "") {
    socket.disconnect(true);
    return;
  }
  socket.join(room);
  socket.on(SEND_EVENT, (frame: unknown) => {
    io.to(room).emit(SEND_EVENT, frame);
  });
});

http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  if (address === null || typeof address === "string") throw new Error(`not listening on a port: ${address}`);
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});

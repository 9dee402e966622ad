/** The edgechat Worker: its routes, the Room Durable Object class it binds as ROOM, and the Relay it binds as RELAY. */
import { router } from "./routes.ts";

export { Relay } from "./relay.ts";
export { Room } from "./room.ts";

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;

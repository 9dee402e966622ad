/** The edgechat Worker: its routes, and the Room Durable Object class it binds as ROOM. */
import { router } from "./routes.ts";

export { Room } from "./room.ts";

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;

/**
 * The benchmark's Worker: the app's own fetch handler and Room, re-exported
 * unchanged, plus the routes and classes of the two reference rooms, so that
 * app and references run side by side in one isolate of one runtime.
 */
import app from "../worker/index.ts";
import { BareRoom } from "./reference/bare-room.mts";
import { BareSqliteRoom } from "./reference/bare-sqlite-room.mts";
import { parseReferenceSocketPath } from "./reference/reference-path.ts";

export { Room } from "../worker/index.ts";
export { BareRoom, BareSqliteRoom };

interface BenchEnv extends Env {
  BARE: DurableObjectNamespace<BareRoom>;
  BARE_SQLITE: DurableObjectNamespace<BareSqliteRoom>;
}

export default {
  fetch(request, env, ctx) {
    const reference = parseReferenceSocketPath(new URL(request.url).pathname);
    if (reference === null) return app.fetch(request, env, ctx);
    const namespace = reference.kind === "bare" ? env.BARE : env.BARE_SQLITE;
    return namespace.getByName(reference.room).fetch(request);
  },
} satisfies ExportedHandler<BenchEnv>;

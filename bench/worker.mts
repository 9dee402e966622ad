/**
 * The benchmark's Worker: the app's own fetch handler, its Room with a
 * count of the SQLite rows it writes (the figure Cloudflare bills), its
 * Relay unchanged, a route that opens a listener on a given relay of a room
 * whatever the room's size, and the routes and classes of the two reference
 * rooms and of the partyserver peer, so that app, references and peer run
 * side by side in one isolate of one runtime.
 */
import app, { Room as AppRoom } from "../worker/index.ts";
import { openOnRelay } from "../worker/relay-routing.ts";
import { BareRoom } from "./reference/bare-room.mts";
import { BareSqliteRoom } from "./reference/bare-sqlite-room.mts";
import { PartyRoom } from "./reference/party-room.mts";
import {
  parseReferenceSocketPath,
  parseRelayedSocketPath,
  parseRowsWrittenPath,
  parseStoragePath,
} from "./reference/reference-path.ts";
import { countRowsWritten, type RowsWritten } from "./reference/rows-written.mts";

/** The app's Room, unchanged but for counting the rows its statements write. */
export class Room extends AppRoom {
  readonly #rows: RowsWritten;

  constructor(ctx: DurableObjectState, env: Env) {
    // Counted from the first statement on: the schema check in the Room's constructor included.
    const rows = countRowsWritten(ctx.storage.sql);
    super(ctx, env);
    this.#rows = rows;
  }

  /** RPC from the benchmark's Worker: rows written since the room started. */
  rowsWritten(): number {
    return this.#rows.total();
  }

  /**
   * RPC from the benchmark's Worker: the bytes of the messages' text, of the
   * search index's segments (FTS5's `_data` table; its `_idx` table is
   * a few rows) and of the whole database.
   */
  storageSizes(): { textBytes: number; indexBytes: number; databaseBytes: number } {
    const { sql } = this.ctx.storage;
    const sum = (query: string) => sql.exec<{ bytes: number | null }>(query).one().bytes ?? 0;
    return {
      textBytes: sum("SELECT SUM(LENGTH(CAST(text AS BLOB))) AS bytes FROM messages"),
      indexBytes: sum("SELECT SUM(LENGTH(block)) AS bytes FROM message_search_data"),
      databaseBytes: sql.databaseSize,
    };
  }
}

export { Relay } from "../worker/index.ts";
export { BareRoom, BareSqliteRoom, PartyRoom };

interface BenchEnv extends Omit<Env, "ROOM"> {
  ROOM: DurableObjectNamespace<Room>;
  BARE: DurableObjectNamespace<BareRoom>;
  BARE_SQLITE: DurableObjectNamespace<BareSqliteRoom>;
  PARTYSERVER: DurableObjectNamespace<PartyRoom>;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const path = url.pathname;
    const rowsOf = parseRowsWrittenPath(path);
    if (rowsOf !== null) return Response.json({ rowsWritten: await env.ROOM.getByName(rowsOf).rowsWritten() });
    const storageOf = parseStoragePath(path);
    if (storageOf !== null) return Response.json(await env.ROOM.getByName(storageOf).storageSizes());
    const relayed = parseRelayedSocketPath(path);
    if (relayed !== null) {
      // As the app's Worker opens a newcomer of a room above RELAY_THRESHOLD, on a relay named as it names them.
      const name = `${relayed.room}/any/${relayed.shard}`;
      return openOnRelay(request, env, { name, locationHint: undefined }, url.search);
    }
    const reference = parseReferenceSocketPath(path);
    if (reference === null) return app.fetch(request, env, ctx);
    switch (reference.kind) {
      case "bare":
        return env.BARE.getByName(reference.room).fetch(request);
      case "bare-sqlite":
        return env.BARE_SQLITE.getByName(reference.room).fetch(request);
      case "partyserver":
        // What routePartykitRequest does for a room, without its scan of every binding: the room by name, then its fetch.
        return env.PARTYSERVER.getByName(reference.room).fetch(request);
    }
  },
} satisfies ExportedHandler<BenchEnv>;

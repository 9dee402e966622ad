/** Faults injected into a live room inside workerd, for tests of its error path. */
import { runInDurableObject } from "cloudflare:test";
import { roomStub } from "./client.ts";

/**
 * Makes the room's next SQL statement that starts with `prefix` throw, as a
 * failing disk would; every other statement, and any later one, runs as usual.
 */
export async function failNextStatement(room: string, prefix: string): Promise<void> {
  await runInDurableObject(roomStub(room), (_instance, state) => {
    const sql = state.storage.sql;
    const exec = sql.exec.bind(sql);
    let failed = false;
    Object.defineProperty(sql, "exec", {
      configurable: true,
      value: (query: string, ...bindings: SqlStorageValue[]) => {
        if (!failed && query.trimStart().startsWith(prefix)) {
          failed = true;
          throw new Error("storage failed: SQLITE_IOERR");
        }
        return exec(query, ...bindings);
      },
    });
  });
}

/**
 * Counts the rows a Durable Object's SQLite statements write, indexes
 * included (`cursor.rowsWritten`), which is what Cloudflare bills for
 * SQLite storage. Only the benchmark wraps a room's `sql.exec` this way.
 */
export interface RowsWritten {
  /** Rows written by every statement run so far. */
  total(): number;
}

export function countRowsWritten(sql: SqlStorage): RowsWritten {
  const exec = sql.exec.bind(sql);
  let settled = 0;
  let open: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  Object.defineProperty(sql, "exec", {
    configurable: true,
    value: (query: string, ...bindings: SqlStorageValue[]) => {
      const cursor = exec(query, ...bindings);
      open.push(cursor);
      return cursor;
    },
  });
  return {
    total() {
      // A statement has written all its rows once it is run; the cursors are summed when asked, then let go.
      settled += open.reduce((sum, cursor) => sum + cursor.rowsWritten, 0);
      open = [];
      return settled;
    },
  };
}

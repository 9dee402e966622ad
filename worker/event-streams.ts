/**
 * The room's Server-Sent Events listeners: read-only followers of the
 * room's broadcasts, for clients behind proxies that break WebSockets. An
 * open stream keeps the room in memory (it is a request in flight), unlike a
 * hibernating WebSocket; the comment heartbeat keeps proxies from closing it.
 */
export const SSE_HEARTBEAT_MS = 20_000;
/** A listener this far behind is dropped; it reconnects with Last-Event-ID and misses nothing. */
const MAX_BACKLOG_BYTES = 1 << 20;

const encoder = new TextEncoder();

/** One SSE event: `event:`, an optional `id:`, and a single line of data. */
export function sseEvent(type: string, data: string, id?: number): string {
  return `event: ${type}\n${id === undefined ? "" : `id: ${id}\n`}data: ${data}\n\n`;
}

export class EventStreams {
  readonly #listeners = new Set<ReadableStreamDefaultController<Uint8Array>>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  get count(): number {
    return this.#listeners.size;
  }

  /** A stream that starts with `opening`, then carries every event sent to the room. */
  open(opening: string): ReadableStream<Uint8Array> {
    let listener: ReadableStreamDefaultController<Uint8Array> | undefined;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          listener = controller;
          controller.enqueue(encoder.encode(opening));
          this.#listeners.add(controller);
          this.#heartbeat ??= setInterval(() => this.send(": heartbeat\n\n"), SSE_HEARTBEAT_MS);
        },
        cancel: () => {
          if (listener !== undefined) this.#remove(listener);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: MAX_BACKLOG_BYTES }),
    );
  }

  /** Sends one event (encoded once) to every listener, dropping those that fell too far behind. */
  send(event: string): void {
    if (this.#listeners.size === 0) return;
    const bytes = encoder.encode(event);
    for (const listener of this.#listeners) {
      if ((listener.desiredSize ?? 0) < 0) {
        this.#remove(listener);
        closeQuietly(listener);
        continue;
      }
      try {
        listener.enqueue(bytes);
      } catch {
        // The stream was closed or errored by its reader going away.
        this.#remove(listener);
      }
    }
  }

  #remove(listener: ReadableStreamDefaultController<Uint8Array>): void {
    this.#listeners.delete(listener);
    if (this.#listeners.size === 0 && this.#heartbeat !== undefined) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }
}

function closeQuietly(listener: ReadableStreamDefaultController<Uint8Array>): void {
  try {
    listener.close();
  } catch {
    // Already closed by its reader.
  }
}

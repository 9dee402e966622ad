type Handlers<Events> = { [K in keyof Events]?: Set<(payload: Events[K]) => void> };

/** A typed event emitter in the spirit of developit/mitt: one map from event name to payload type. */
export class Emitter<Events> {
  readonly #handlers: Handlers<Events> = {};

  /** Calls `handler` on every `type` event; returns the function that unsubscribes it. */
  on<K extends keyof Events>(type: K, handler: (payload: Events[K]) => void): () => void {
    const handlers = this.#handlers[type] ?? new Set<(payload: Events[K]) => void>();
    this.#handlers[type] = handlers;
    handlers.add(handler);
    return () => this.off(type, handler);
  }

  off<K extends keyof Events>(type: K, handler: (payload: Events[K]) => void): void {
    this.#handlers[type]?.delete(handler);
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const handler of [...(this.#handlers[type] ?? [])]) {
      try {
        handler(payload);
      } catch (error) {
        // A throwing handler is the caller's bug: rethrown on its own, so that it is seen
        // but cannot leave the connection half-way through a frame.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

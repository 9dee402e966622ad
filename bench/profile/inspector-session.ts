/**
 * A Chrome DevTools Protocol session with the Worker isolate, through the
 * inspector that `wrangler dev` serves on its `--inspector-port`. The proxy
 * admits one client at a time, so a run opens one session and shares it. Every call
 * has a timeout: workerd implements only part of the protocol, and a method
 * it does not know may never be answered.
 */

const CALL_TIMEOUT_MS = 10_000;
/** The inspector proxy admits only DevTools-like clients, which send a local Origin. */
const LOCAL_ORIGIN = "http://127.0.0.1";

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class InspectorSession {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener("message", (event) => this.#receive(String(event.data)));
    ws.addEventListener("close", () => this.#failAll(new Error("inspector connection closed")));
  }

  /** Connects to the inspector listening on `port` of 127.0.0.1. */
  static async connect(port: number): Promise<InspectorSession> {
    const targets: unknown = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const url = Array.isArray(targets) ? Reflect.get(Object(targets[0]), "webSocketDebuggerUrl") : undefined;
    if (typeof url !== "string") throw new Error(`no inspector target on port ${port}`);
    // Node's WebSocket (undici) takes headers in a second argument that the DOM typing does not describe.
    const ws: WebSocket = Reflect.construct(WebSocket, [url, { headers: { Origin: LOCAL_ORIGIN } }]);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new Error(`cannot open the inspector at ${url}`)), { once: true });
    });
    return new InspectorSession(ws);
  }

  /** Calls a protocol method and resolves with its result. */
  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`inspector did not answer ${method} within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The isolate's JavaScript heap in use, in MiB. */
  async heapUsedMiB(): Promise<number> {
    const usage = await this.call("Runtime.getHeapUsage");
    const used: unknown = typeof usage === "object" && usage !== null ? Reflect.get(usage, "usedSize") : undefined;
    if (typeof used !== "number") throw new Error("Runtime.getHeapUsage gave no usedSize");
    return used / 2 ** 20;
  }

  close(): void {
    this.#ws.close();
  }

  #receive(text: string): void {
    const message: unknown = JSON.parse(text);
    if (typeof message !== "object" || message === null) return;
    const id: unknown = Reflect.get(message, "id");
    const pending = typeof id === "number" ? this.#pending.get(id) : undefined;
    if (pending === undefined || typeof id !== "number") return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    const error: unknown = Reflect.get(message, "error");
    if (error !== undefined) pending.reject(new Error(`inspector error: ${JSON.stringify(error)}`));
    else pending.resolve(Reflect.get(message, "result"));
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}

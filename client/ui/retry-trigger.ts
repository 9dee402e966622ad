/**
 * The event target the SDK watches for `online` (its `onlineEvents`
 * option), where an `online` event ends a backoff wait and reconnects at
 * once. It passes on the browser's own `online` event, and adds two moments
 * when waiting makes no sense: the tab comes back into view (a phone
 * waking up), and the person presses "Reconnect now".
 */
export class RetryTrigger extends EventTarget {
  constructor() {
    super();
    window.addEventListener("online", () => this.retryNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.retryNow();
    });
  }

  retryNow(): void {
    this.dispatchEvent(new Event("online"));
  }
}

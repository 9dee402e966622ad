/**
 * What a page's script can try against a room on another origin: read its
 * history with fetch (with and without CORS), follow it with EventSource and
 * WebSocket, and post into it with a request that needs no preflight. Run in
 * the page by Playwright's `page.evaluate`, so it refers to nothing outside
 * itself.
 */

export interface Attempt {
  /** Whether the secret message reached the page's script. */
  read: boolean;
  detail: string;
}

/** Runs in the page: tries every way a script has to read a room, and to post into it. */
export async function attack(args: { victim: string; room: string; secret: string }): Promise<Record<string, Attempt>> {
  const { victim, room: target, secret } = args;
  const api = `${victim}/api/rooms/${target}`;
  const describeError = (error: unknown) => (error instanceof Error ? error.name : String(error));
  const results: Record<string, Attempt> = {};
  try {
    const response = await fetch(`${api}/messages`);
    results.fetch = { read: (await response.text()).includes(secret), detail: `status ${response.status}` };
  } catch (error) {
    results.fetch = { read: false, detail: describeError(error) };
  }
  try {
    const response = await fetch(`${api}/messages`, { mode: "no-cors" });
    results.fetchNoCors = { read: (await response.text()).includes(secret), detail: `type ${response.type}` };
  } catch (error) {
    results.fetchNoCors = { read: false, detail: describeError(error) };
  }
  results.eventSource = await new Promise<Attempt>((resolve) => {
    const source = new EventSource(`${api}/events`);
    let read = false;
    let opened = false;
    source.addEventListener("open", () => {
      opened = true;
    });
    source.addEventListener("message", (event) => {
      if (event.data.includes(secret)) read = true;
    });
    setTimeout(() => {
      source.close();
      resolve({ read, detail: opened ? "opened" : "never opened" });
    }, 3000);
  });
  results.webSocket = await new Promise<Attempt>((resolve) => {
    const socket = new WebSocket(`${api.replace(/^http/, "ws")}/ws`);
    let read = false;
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
    });
    socket.addEventListener("message", (event) => {
      if (String(event.data).includes(secret)) read = true;
    });
    setTimeout(() => {
      socket.close();
      resolve({ read, detail: opened ? "opened" : "never opened" });
    }, 3000);
  });
  try {
    // The request a page may send anywhere without asking: no CORS preflight, a "simple" content type.
    await fetch(`${api}/messages`, {
      method: "POST",
      mode: "no-cors",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ text: `posted by a stranger ${secret}` }),
    });
  } catch {
    // Whether the browser sends it or not, the room's history below says whether it landed.
  }
  return results;
}

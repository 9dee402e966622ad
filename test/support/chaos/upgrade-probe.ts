/**
 * A WebSocket upgrade request sent by hand (node:http), so that a test can
 * set any Origin header, offer any extension and see the runtime's answer as
 * it is: 101 with its headers, or a refusal with its status and body. The
 * socket of a successful upgrade is closed at once.
 */
import { request } from "node:http";

export interface UpgradeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body of a refusal; empty for a 101. */
  body: string;
}

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

export function probeUpgrade(url: string, headers: Record<string, string> = {}): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": KEY,
        ...headers,
      },
      timeout: 10_000,
    });
    req.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: "" });
    });
    req.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to the upgrade of ${url}`)));
    req.on("error", reject);
    req.end();
  });
}

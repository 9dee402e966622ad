/**
 * The client's address as Cloudflare's edge reports it. Locally, and for
 * anything that reaches the Worker without passing the edge, there is none,
 * and every such client shares one address.
 */
export const UNKNOWN_ADDRESS = "unknown";

export function clientAddressOf(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? UNKNOWN_ADDRESS;
}

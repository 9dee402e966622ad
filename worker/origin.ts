/**
 * The Origin policy for requests that act in a room: a browser may act only
 * from the app's own origin or one listed in ALLOWED_ORIGINS. A request
 * without an Origin header comes from a non-browser client and is allowed,
 * since no browser lets a page omit it on a cross-origin WebSocket.
 */
export function isAllowedOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.get("Origin");
  if (origin === null) return true;
  // Browsers send the serialised origin, so an exact comparison is the right one;
  // "null", a path, odd casing or a trailing slash never match.
  return origin === new URL(request.url).origin || allowedOrigins.includes(origin);
}

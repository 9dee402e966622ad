/**
 * Headers on every response edgechat serves, from the Worker and, through the
 * `_headers` file that client/build.ts writes from this same object, from
 * Workers Static Assets. Scripts and styles come only from the app's origin;
 * no inline script runs, so user text that slipped into markup could not run.
 */
export const SECURITY_HEADERS = {
  "Content-Security-Policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
} as const;

/**
 * A room page may use the camera, the microphone and screen capture, for
 * calls, from its own origin only; every other page, none.
 */
export const ROOM_PAGE_PERMISSIONS = "camera=(self), microphone=(self), display-capture=(self), geolocation=()";

/** `GET /healthz`: the Worker is up. It touches no room. */
export function health(): Response {
  return Response.json({ ok: true });
}

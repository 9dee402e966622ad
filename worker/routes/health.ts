import type { IRequest } from "itty-router";
import { allowMethods } from "./allow.ts";

/** `GET /healthz`: the Worker is up. It touches no room. */
export function health(request: IRequest): Response {
  allowMethods(request, "GET", "HEAD");
  return Response.json({ ok: true });
}

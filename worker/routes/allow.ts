import type { IRequest } from "itty-router";
import { HttpError } from "../http-error.ts";
import { ERROR_CODE } from "../protocol.ts";

/** Answers 405 with `Allow` unless the request's method is one of `methods`. */
export function allowMethods(request: IRequest, ...methods: string[]): void {
  if (methods.includes(request.method)) return;
  throw new HttpError(405, ERROR_CODE.methodNotAllowed, `use ${methods.join(" or ")}`, {
    headers: { Allow: methods.join(", ") },
  });
}

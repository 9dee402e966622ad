/**
 * Reading a JSON request body safely: the media type must be JSON, the body
 * at most `maxBytes` (counted while it streams in, so a huge body is never
 * buffered), valid UTF-8 and valid JSON. Every refusal is an HttpError.
 */
import { HttpError } from "./http-error.ts";
import { ERROR_CODE } from "./protocol.ts";

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!JSON_MEDIA_TYPE.test(request.headers.get("Content-Type") ?? "")) {
    throw new HttpError(415, ERROR_CODE.unsupportedMediaType, "send the body as application/json");
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readAtMost(request.body, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Not UTF-8: refused as a bad request below.
    throw new HttpError(400, ERROR_CODE.badRequest, "the body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: refused as a bad request.
    throw new HttpError(400, ERROR_CODE.badRequest, "the body is not valid JSON");
  }
}

async function readAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, ERROR_CODE.tooLarge, `the body is larger than ${maxBytes} bytes`);
}

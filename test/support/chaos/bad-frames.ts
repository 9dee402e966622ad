/**
 * Generated bad frames, many kinds of them, each carrying a marker in every
 * place user text could go, so that a run can tell whether any of it leaked
 * into an error or a log. What the room must answer is decided by the
 * contract's own reading of a raw frame (test/unit/support/client-frame-contract.ts),
 * never by this file; a generated frame the contract would accept is a bug
 * here and throws.
 */
import { type ContractOutcome, contractOutcome } from "../../unit/support/client-frame-contract.ts";

export const BAD_FRAME_KINDS = [
  "invalid JSON",
  "not an object",
  "unknown type",
  "missing type",
  "wrong field type",
  "missing field",
  "extra field",
  "deep nesting",
  "lone surrogate",
  "control characters in a name",
  "huge string",
  "__proto__ or constructor key",
  "binary",
  "empty text",
  "before and after",
] as const;
export type BadFrameKind = (typeof BAD_FRAME_KINDS)[number];

export interface BadFrame {
  kind: BadFrameKind;
  data: string | ArrayBuffer;
  /** The refusal the contract gives it. */
  expected: Extract<ContractOutcome, { ok: false }>;
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("nothing to pick from");
  return item;
};
const json = (value: unknown) => JSON.stringify(value);
const nested = (depth: number, open: string, close: string, inner: string) =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** One generator per kind; each returns raw frame data. */
const GENERATORS: Record<BadFrameKind, (random: Random, marker: string, n: number) => string | ArrayBuffer> = {
  "invalid JSON": (random, marker, n) =>
    pick(random, [
      `{"type":"send","id":"${n}","text":"${marker}"`,
      `{type:"send",id:"${n}",text:"${marker}"}`,
      `{'type':'send','id':'${n}','text':'${marker}'}`,
      `{"type":"send","id":"${n}","text":"${marker}",}`,
      `${marker}`,
      `{"type":"send","id":"${n}","text":"${marker}\u0001"}`,
      "",
      "{}}",
      `{"type":"typing"}{"type":"typing"}`,
      "NaN",
    ]),
  "not an object": (random, marker) =>
    pick(random, [json([marker]), json(marker), "42", "null", "true", json([{ type: "typing" }])]),
  "unknown type": (random, marker, n) =>
    json({
      type: pick(random, ["shout", "Send", "SEND", "admin", "ping", "", "send ", "ack"]),
      id: `${n}`,
      text: marker,
    }),
  "missing type": (_random, marker, n) => json({ id: `${n}`, text: marker }),
  "wrong field type": (random, marker, n) =>
    pick(random, [
      json({ type: "send", id: n, text: marker }),
      json({ type: "send", id: `${n}`, text: [marker] }),
      json({ type: "send", id: `${n}`, text: { marker } }),
      json({ type: "send", id: null, text: marker }),
      json({ type: "send", id: `${n}`, text: 7 }),
      json({ type: "history", limit: "10" }),
      json({ type: "history", limit: 1.5 }),
      json({ type: "history", limit: 0 }),
      json({ type: "history", limit: 101 }),
      json({ type: "history", before: -1 }),
      json({ type: "history", after: 2 ** 60 }),
      '{"type":"history","limit":1e999}',
      json({ type: "rename", name: 42 }),
      json({ type: 1, text: marker }),
    ]),
  "missing field": (random, marker, n) =>
    pick(random, [json({ type: "send", text: marker }), json({ type: "send", id: `${n}` }), json({ type: "rename" })]),
  "extra field": (random, marker, n) =>
    pick(random, [
      json({ type: "typing", [`x${n}`]: marker }),
      json({ type: "send", id: `${n}`, text: marker, admin: true }),
      json({ type: "history", limit: 5, room: marker }),
      json({ type: "rename", name: "ok", user: { id: marker } }),
    ]),
  "deep nesting": (random, marker, n) => {
    const depth = 500 + Math.floor(random() * 7000);
    return pick(random, [
      `{"type":"send","id":"${n}","text":${nested(depth, "[", "]", json(marker))}}`,
      nested(depth, "[", "]", "1"),
      `{"type":"typing","x":${nested(Math.floor(depth / 6), '{"a":', "}", "1")}}`,
    ]);
  },
  "lone surrogate": (random, marker, n) =>
    pick(random, [
      `{"type":"send","id":"${n}","text":"${marker}\\ud800"}`,
      `{"type":"send","id":"${n}","text":"\\udfff${marker}"}`,
      `{"type":"send","id":"${n}\\ud83d","text":"${marker}"}`,
      `{"type":"rename","name":"a\\udc00b"}`,
    ]),
  "control characters in a name": (random) =>
    json({
      type: "rename",
      name: `eve${pick(random, ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u202e", "\u2066", "\n"])}x`,
    }),
  "huge string": (random, marker, n) =>
    pick(random, [
      json({ type: "send", id: `${n}`, text: `${marker}${"x".repeat(17_000)}` }),
      json({ type: "send", id: `${n}`, text: `${marker}${"é".repeat(4001)}` }),
      json({ type: "send", id: "i".repeat(65), text: marker }),
      json({ type: "rename", name: "n".repeat(33) }),
      json({ type: "send", id: `${n}`, text: `${marker}${"😀".repeat(4001)}` }),
    ]),
  "__proto__ or constructor key": (random, marker, n) =>
    pick(random, [
      `{"type":"typing","__proto__":{"admin":true}}`,
      `{"__proto__":{"type":"typing"}}`,
      `{"type":"send","id":"${n}","text":"${marker}","constructor":{"prototype":{}}}`,
      `{"constructor":{"type":"send"},"id":"${n}","text":"${marker}"}`,
      `{"type":"history","prototype":1}`,
      `{"type":"__proto__"}`,
      `{"type":"constructor","id":"${n}","text":"${marker}"}`,
    ]),
  binary: (random, marker, n) => {
    const text = json({ type: "send", id: `${n}`, text: marker });
    const bytes = pick(random, [new TextEncoder().encode(text), crypto.getRandomValues(new Uint8Array(64))]);
    return bytes.slice().buffer;
  },
  "empty text": (random, _marker, n) =>
    json({ type: "send", id: `${n}`, text: pick(random, ["", " ", "\n\t ", "\u3000", "\ufeff"]) }),
  "before and after": (_random, _marker, n) => json({ type: "history", before: n + 10, after: n, limit: 5 }),
};

/** `count` bad frames, the kinds taking turns. */
export function generateBadFrames(count: number, random: Random, marker: string, maxFrameBytes: number): BadFrame[] {
  return Array.from({ length: count }, (_, n) => {
    const kind = BAD_FRAME_KINDS[n % BAD_FRAME_KINDS.length] ?? "invalid JSON";
    const raw = GENERATORS[kind](random, marker, n);
    // A text frame travels as UTF-8, where a lone surrogate becomes U+FFFD: judge what the room will receive.
    const data = typeof raw === "string" ? raw.toWellFormed() : raw;
    const expected = contractOutcome(data, maxFrameBytes);
    if (expected.ok) throw new Error(`generated a frame the contract accepts (${kind}): ${String(data).slice(0, 200)}`);
    return { kind, data, expected };
  });
}

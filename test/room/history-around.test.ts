/**
 * History centred on a message (`around`), as a link to a message opens it:
 * half the page older than the message, the message and what follows it,
 * `hasMore` for older ones left and `hasNewer` for newer ones, on the
 * socket and over HTTP alike.
 */
import { describe, expect, it } from "vitest";
import { connect, freshRoom, sendAndAck, type TestClient } from "./support/client.ts";
import { api, statusAndCode } from "./support/http.ts";

/** A room with messages 1 to `count`, from enough users to stay under the send rate. */
async function roomWith(count: number): Promise<{ room: string; reader: TestClient }> {
  const room = freshRoom();
  for (let sent = 0; sent < count; ) {
    const writer = await connect(room);
    for (let i = 0; i < 10 && sent < count; i++, sent++) await sendAndAck(writer, `m${sent + 1}`, `text ${sent + 1}`);
    writer.close();
  }
  return { room, reader: await connect(room) };
}

async function around(reader: TestClient, seq: number, limit: number) {
  reader.send({ type: "history", ref: `around-${seq}`, around: seq, limit });
  return reader.waitFor("history");
}

const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((message) => message.seq);

describe("history around a message", () => {
  it("is centred on it: half older, then it and the newer ones", async () => {
    const { reader } = await roomWith(30);
    const page = await around(reader, 15, 6);
    expect(page).toMatchObject({ ref: "around-15", hasMore: true, hasNewer: true });
    expect(seqs(page)).toEqual([12, 13, 14, 15, 16, 17]);
  });

  it("fills in from the older side near the newest message", async () => {
    const { reader } = await roomWith(30);
    const page = await around(reader, 29, 6);
    expect(seqs(page)).toEqual([25, 26, 27, 28, 29, 30]);
    expect(page).toMatchObject({ hasMore: true, hasNewer: false });
  });

  it("fills in from the newer side near the first message", async () => {
    const { reader } = await roomWith(30);
    const page = await around(reader, 1, 6);
    expect(seqs(page)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(page).toMatchObject({ hasMore: false, hasNewer: true });
  });

  it("holds the whole room when it is smaller than the page", async () => {
    const { reader } = await roomWith(4);
    const page = await around(reader, 2, 10);
    expect(seqs(page)).toEqual([1, 2, 3, 4]);
    expect(page).toMatchObject({ hasMore: false, hasNewer: false });
  });

  it("centres on where the message would be when it is gone", async () => {
    const { reader } = await roomWith(10);
    const page = await around(reader, 50, 4);
    expect(seqs(page)).toEqual([7, 8, 9, 10]);
    expect(page).toMatchObject({ hasMore: true, hasNewer: false });
  });

  it("refuses `around` with `before`, echoing the ref", async () => {
    const reader = await connect(freshRoom());
    reader.send({ type: "history", ref: "both", around: 3, before: 5 });
    expect(await reader.waitFor("error")).toMatchObject({ code: "bad_request", ref: "both" });
  });

  it("answers over HTTP as on the socket", async () => {
    const { room, reader } = await roomWith(30);
    const response = await api(`/api/rooms/${room}/messages?around=15&limit=6`);
    expect(response.status).toBe(200);
    const body: { messages: { seq: number }[]; hasMore: boolean; hasNewer: boolean } = await response.json();
    const page = await around(reader, 15, 6);
    expect(seqs(body)).toEqual(seqs(page));
    expect([body.hasMore, body.hasNewer]).toEqual([page.hasMore, page.hasNewer]);
  });

  it("refuses `around` with `after` over HTTP with 400 bad_request", async () => {
    const response = await api(`/api/rooms/${freshRoom()}/messages?around=3&after=1`);
    expect(await statusAndCode(response)).toBe("400 bad_request");
  });
});

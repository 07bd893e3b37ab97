/** Bad input gets HTTP 200, its result code and a clear message, and nothing stored changes. */
import { ResultCode } from '@elitewebchat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

const MAX_IMAGE = 16 * 1024;
type RawBody = string | Buffer | Blob;

function png(width: number, height: number, extra = 0): Buffer {
  const header = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const size = Buffer.alloc(8);
  size.writeUInt32BE(width, 0);
  size.writeUInt32BE(height, 4);
  return Buffer.concat([header, size, Buffer.from('0806000000', 'hex'), Buffer.alloc(extra)]);
}
/** A GIF's header (signature, logical screen of this size) and its trailer: all a reader needs for the size. */
function gif(width: number, height: number): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  return Buffer.concat([Buffer.from('GIF89a', 'ascii'), screen, Buffer.from([0x3b])]);
}
const dataUri = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;

describe('bad input on the TPI', () => {
  let w: World;
  let p: TestPlatform;
  let sessionId: number;
  let token: string;

  // Each case on its own platform, with one open session holding one message.
  beforeEach(async () => {
    w = await startWorld({ config: { maxImageBytes: MAX_IMAGE }, queues: [{ id: 1, name: 'q' }], agents: [agent('A')] });
    p = w.p;
    token = await w.online('a');
    sessionId = await w.openChat('c1');
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'c1', text: 'first, kept' })).result).toBe(1);
  });

  afterEach(async () => {
    await w.close();
  });

  const raw = async (body: RawBody, headers: Record<string, string> = {}) => {
    const res = await fetch(`${p.url}/EliteWebChat/tpi`, { method: 'POST', body, headers });
    return { status: res.status, answer: (await res.json()) as { result: number; message: string } };
  };

  const transcript = async () =>
    (await p.api<{ messages: unknown[] }>('GET', `/api/v1/agent/sessions/${sessionId}/messages`, token)).body.messages;

  it('reads JSON sent as text/plain or with no content type, as old clients do', async () => {
    const body = JSON.stringify({ type: 1001, requestId: 1 });
    expect((await raw(body, { 'content-type': 'text/plain' })).answer.result).toBe(1);
    expect((await raw(new Blob([body]))).answer.result).toBe(1);
    expect((await raw(body, { 'content-type': 'application/x-www-form-urlencoded' })).answer.result).toBe(1);
  });

  it('answers every unusable body with 200 and a message, and keeps what was stored', async () => {
    const before = await transcript();
    const cases: [RawBody, number, RegExp][] = [
      ['', ResultCode.REQUEST_ERROR, /empty body/],
      [Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), ResultCode.REQUEST_ERROR, /not valid UTF-8/],
      ['null', ResultCode.REQUEST_ERROR, /must be a JSON object/],
      ['"text"', ResultCode.REQUEST_ERROR, /must be a JSON object/],
      [JSON.stringify({ type: 2001, sessionId, clientId: 'c1', text: 'x'.repeat(20_001) }), ResultCode.REQUEST_ERROR, /"text" must be a string of 1 to 20000/],
      [JSON.stringify({ type: 2001, sessionId: 1.5, clientId: 'c1', text: 'x' }), ResultCode.INVALID_CHAT_SESSION_ID, /sessionId/],
      [JSON.stringify({ type: 2001, sessionId: '1', clientId: 'c1', text: 'x' }), ResultCode.INVALID_CHAT_SESSION_ID, /sessionId/],
      [JSON.stringify({ type: 2001, sessionId: 0, clientId: 'c1', text: 'x' }), ResultCode.INVALID_CHAT_SESSION_ID, /from 1/],
      [JSON.stringify({ type: 2001, sessionId: 1e300, clientId: 'c1', text: 'x' }), ResultCode.INVALID_CHAT_SESSION_ID, /sessionId/],
      [JSON.stringify({ type: 2001, sessionId, clientId: 'c1', text: 'x', time: 'now' }), ResultCode.REQUEST_ERROR, /"time" must be an integer/],
      [JSON.stringify({ type: 2001, sessionId, clientId: 'c1', text: null }), ResultCode.REQUEST_ERROR, /"text".*got null/],
      [JSON.stringify({ type: 5001, sessionId, ratingId: 'five' }), ResultCode.REQUEST_ERROR, /"ratingId" must be an integer/],
      [JSON.stringify({ type: 2001, sessionId, clientId: 'c1', text: 'x', __proto__: { polluted: 1 } }).replace('"text"', '"__proto__":{"a":1},"text"'), ResultCode.SUCCESS, /ignored unknown field\(s\): __proto__/],
    ];
    for (const [body, code, message] of cases) {
      const { status, answer } = await raw(body, { 'content-type': 'application/json' });
      expect(status).toBe(200);
      expect(answer.result, `${String(body).slice(0, 60)} → ${answer.message}`).toBe(code);
      expect(answer.message).toMatch(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const after = await transcript();
    // Only the one well-formed message (with an ignored field) was added.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBe(before.length + 1);
  });

  it('refuses a body over the limit with 200 and REQUEST_ERROR', async () => {
    const huge = JSON.stringify({ type: 2001, sessionId, clientId: 'c1', text: 'x'.repeat(200_000) });
    const { status, answer } = await raw(huge, { 'content-type': 'application/json' });
    expect(status).toBe(200);
    expect(answer.result).toBe(ResultCode.REQUEST_ERROR);
    expect(answer.message).toMatch(/larger than the \d+ byte limit/);
  });

  it('checks 2002 images by their bytes, size and dimensions', async () => {
    const before = await transcript();
    const send = (imgData: string) => p.tpi({ type: 2002, sessionId, clientId: 'c1', imgName: 'x', imgData });
    const refused: [string, RegExp][] = [
      ['not a data uri', /not a data URI/],
      ['data:image/png,rawbytes', /must be base64/],
      [dataUri('image/png', Buffer.from('hello, not an image')), /not a PNG, JPEG, GIF or WebP/],
      [dataUri('image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')), /not a PNG, JPEG, GIF or WebP/],
      [dataUri('image/png', png(10, 10, MAX_IMAGE)), /larger than the 16384 byte limit/],
      [dataUri('image/png', png(14_000, 14_000)), /14000×14000, over the .* pixel limit/],
      ['data:image/png;base64,@@@@', /not valid base64/],
    ];
    for (const [imgData, message] of refused) {
      const answer = await send(imgData);
      expect(answer.result, answer.message).toBe(ResultCode.REQUEST_ERROR);
      expect(answer.message).toMatch(message);
    }
    expect(await transcript()).toEqual(before);

    // The declared type is not trusted: PNG bytes declared as JPEG are stored and served as PNG.
    expect((await send(dataUri('image/jpeg', png(5, 5, 16)))).result).toBe(1);
    const messages = (await transcript()) as { kind: string; image?: { url: string } }[];
    const image = messages.at(-1)!;
    expect(image.kind).toBe('image');
    const res = await fetch(p.url + image.image!.url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it('refuses an image whose header says it is 0 pixels wide or high, and stores nothing', async () => {
    const before = await transcript();
    const images = async () => Number((await p.platform.store.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const send = (imgName: string, imgData: string) => p.tpi({ type: 2002, sessionId, clientId: 'c1', imgName, imgData });
    const empty: [string, string][] = [
      ['PNG 0×5', dataUri('image/png', png(0, 5, 16))],
      ['PNG 5×0', dataUri('image/png', png(5, 0, 16))],
      ['PNG 0×0', dataUri('image/png', png(0, 0, 16))],
      ['GIF 0×5', dataUri('image/gif', gif(0, 5))],
      ['GIF 5×0', dataUri('image/gif', gif(5, 0))],
    ];
    const answers: { what: string; result: number; message: string }[] = [];
    for (const [what, imgData] of empty) answers.push({ what, ...(await send(what, imgData)) });
    expect(answers.map(({ what, result }) => `${what}: ${result}`)).toEqual(empty.map(([what]) => `${what}: ${ResultCode.REQUEST_ERROR}`));
    for (const { what, message } of answers) expect(message, what).toMatch(/\bsize\b/);
    expect(await transcript()).toEqual(before);
    expect(await images()).toBe(0);
    // The same images with a size are taken: it was the size that was refused.
    for (const [what, imgData] of [['PNG 5×5', dataUri('image/png', png(5, 5, 16))], ['GIF 5×5', dataUri('image/gif', gif(5, 5))]] as const) {
      const answer = await send(what, imgData);
      expect(answer.result, `${what}: ${answer.message}`).toBe(1);
    }
    expect(await images()).toBe(2);
  });
});

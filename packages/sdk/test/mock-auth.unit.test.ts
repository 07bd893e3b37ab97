/**
 * webchat-mock as the platform checks who calls: signed calls (a channel's signingSecret) and
 * uploads (tpiu) named in later calls. The SDK's own TpiClient signs and uploads.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TpiClient } from '../src/client.js';
import type { TpiError } from '../src/errors.js';
import { detectType } from '../src/mock/file-kinds.js';
import { startMock, type MockConfig, type RunningMock } from '../src/mock/index.js';
import { until } from './sdk-world.js';

const KEY = 'a-channel-key-of-the-mock-0123456789';
const SIGNING = 'a-signing-secret-of-at-least-32-characters';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function mock(config: MockConfig): Promise<RunningMock> {
  const running = await startMock(config);
  cleanups.push(() => running.close());
  return running;
}

/** A file of that format: its first bytes, then some filler. */
const file = (head: number[] | string, size = 64) => {
  const start = typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head);
  return new Uint8Array(Buffer.concat([start, Buffer.alloc(Math.max(0, size - start.length), 0x20)]));
};
const PNG = file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PDF = file('%PDF-1.4\n');
const AMR = file('#!AMR\n');
const MP4 = file('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00');
const GIF = file('GIF89a');

const sign = (secret: string, timestamp: number, body: string | Buffer) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;

/** One call with the exact headers given: what a client of its own would send. */
async function post(url: string, body: string, headers: Record<string, string>): Promise<{ result: number; message: string }> {
  const response = await fetch(`${url}/EliteWebChat/tpi`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webchat-key': KEY, ...headers }, body });
  expect(response.status).toBe(200);
  return (await response.json()) as { result: number; message: string };
}

describe('signed calls', () => {
  it('a channel with a signingSecret takes signed calls only, each once, within 300 s', async () => {
    const platform = await mock({ channels: [{ id: 'tp', key: KEY, callbackBase: 'http://127.0.0.1:9', signingSecret: SIGNING }], queues: [{ id: 1 }] });

    // The SDK's client signs every call: the mock takes them.
    const signed = new TpiClient({ url: platform.url, key: KEY, signingSecret: SIGNING });
    const requestId = (await signed.requestChat({ clientId: 'c', queueId: 1 })).requestId!;
    expect(await signed.pollRequest({ requestId })).toMatchObject({ result: 1, requestStatus: 0 });

    // Unsigned, or signed with another secret: -8, saying why; nothing reaches a queue.
    expect(await new TpiClient({ url: platform.url, key: KEY }).raw({ type: 1000, clientId: 'u', queueId: 1 })).toEqual({
      result: -8,
      message: 'this channel signs its calls: send X-Webchat-Timestamp and X-Webchat-Signature',
    });
    expect(await new TpiClient({ url: platform.url, key: KEY, signingSecret: 'another-signing-secret-of-32-characters-' }).raw({ type: 1000, clientId: 'w', queueId: 1 })).toEqual({
      result: -8,
      message: 'X-Webchat-Signature does not match the body',
    });
    expect(platform.state().requests.map((r) => r.clientId)).toEqual(['c']);

    // The same signed bytes twice: the second is a replay (other bytes than the client's 1001 above,
    // which may have been signed in this same second).
    const body = JSON.stringify({ type: 1001, requestId }, null, 1);
    const now = Math.floor(Date.now() / 1000);
    const headers = { 'x-webchat-timestamp': String(now), 'x-webchat-signature': sign(SIGNING, now, body) };
    expect(await post(platform.url, body, headers)).toMatchObject({ result: 1 });
    expect(await post(platform.url, body, headers)).toEqual({ result: -8, message: 'this signed call was already received (replay); sign each call anew' });

    // Signed right, but more than 300 s off (either way): stale.
    for (const ts of [now - 301, now + 400]) {
      const answer = await post(platform.url, body, { 'x-webchat-timestamp': String(ts), 'x-webchat-signature': sign(SIGNING, ts, body) });
      expect(answer).toMatchObject({ result: -8, message: expect.stringMatching(/^X-Webchat-Timestamp is -?\d+ s off the server's clock \(at most 300 s\)$/) as string });
    }
    // Within 300 s is taken; a timestamp that is no number of seconds is not.
    const late = now - 200;
    expect(await post(platform.url, body, { 'x-webchat-timestamp': String(late), 'x-webchat-signature': sign(SIGNING, late, body) })).toMatchObject({ result: 1 });
    expect(await post(platform.url, body, { 'x-webchat-timestamp': 'yesterday', 'x-webchat-signature': sign(SIGNING, now, body) })).toEqual({ result: -8, message: 'X-Webchat-Timestamp must be Unix seconds' });
    // The signature covers the body: the same headers on other bytes do not pass.
    const other = JSON.stringify({ type: 1001, requestId: requestId + 1 });
    expect(await post(platform.url, other, { 'x-webchat-timestamp': String(now + 1), 'x-webchat-signature': sign(SIGNING, now + 1, body) })).toMatchObject({ result: -8, message: 'X-Webchat-Signature does not match the body' });
  });

  it('a channel without a signingSecret ignores signature headers; the secret is 32 to 256 characters', async () => {
    const platform = await mock({ channels: [{ id: 'tp', key: KEY, callbackBase: 'http://127.0.0.1:9' }], queues: [{ id: 1 }] });
    expect(await new TpiClient({ url: platform.url, key: KEY, signingSecret: SIGNING }).raw({ type: 1000, clientId: 'c', queueId: 1 })).toMatchObject({ result: 1 });
    await expect(startMock({ channels: [{ id: 'tp', signingSecret: 'short' }] })).rejects.toThrow(/\/channels\/0\/signingSecret/);
  });
});


/** Resolves with the TpiError a call rejected with. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as TpiError | undefined;
  if (!error) throw new Error('the call was taken');
  return { code: error.code, message: error.answer.message };
}

describe('uploads (tpiu)', () => {
  it('a signed upload answers a url that the same customer names in 2002, 2003, 2005 and 2006', async () => {
    const platform = await mock({
      channels: [{ id: 'tp', key: KEY, callbackBase: 'http://127.0.0.1:9', signingSecret: SIGNING, uploads: { types: ['png', 'pdf', 'amr', 'mp4'], maxBytes: 1000 } }],
      queues: [{ id: 1, acceptAfterSeconds: 0 }],
    });
    const tpi = new TpiClient({ url: platform.url, key: KEY, signingSecret: SIGNING });
    const alice = (await tpi.logonOrRegister({ loginName: 'alice', name: 'Alice' })).token!;
    const bob = (await tpi.logonOrRegister({ loginName: 'bob', name: 'Bob' })).token!;
    await tpi.requestChat({ token: alice, queueId: 1 });
    await tpi.requestChat({ token: bob, queueId: 1 });
    const sessionOf = (clientId: string) => until(() => platform.state().sessions.find((s) => s.clientId === clientId)?.sessionId, `${clientId}'s session`, 5000);
    const aliceSession = await sessionOf('alice');
    const bobSession = await sessionOf('bob');

    const pdf = await tpi.upload(alice, { name: 'terms.pdf', bytes: PDF, type: 'application/pdf' });
    expect(pdf).toEqual({ result: 1, message: 'success', fileName: 'terms.pdf', url: expect.stringMatching(/^\/EliteWebChat\/tpiu\/files\/[A-Za-z0-9_-]{24}$/) as string, type: 'pdf', size: 64 });
    // The type is what the bytes are, whatever the name and the declared type say.
    const png = await new TpiClient({ url: platform.url, path: '/webchat/tpi', key: KEY, signingSecret: SIGNING }).upload(alice, { name: 'photo.jpg', bytes: PNG, type: 'image/jpeg' });
    expect(png).toMatchObject({ result: 1, fileName: 'photo.jpg', url: expect.stringMatching(/^\/webchat\/tpiu\/files\//) as string, type: 'png' });
    const amr = await tpi.upload(alice, { name: 'voice.amr', bytes: AMR });
    const mp4 = await tpi.upload(alice, { name: 'clip.mp4', bytes: MP4 });
    expect([amr.type, mp4.type]).toEqual(['amr', 'mp4']);
    expect(platform.state().uploads.map((u) => [u.clientId, u.fileName, u.type, u.size])).toEqual([
      ['alice', 'terms.pdf', 'pdf', 64],
      ['alice', 'photo.jpg', 'png', 64],
      ['alice', 'voice.amr', 'amr', 64],
      ['alice', 'clip.mp4', 'mp4', 64],
    ]);

    // The same customer names them in later calls; an http(s) address is still taken.
    await tpi.sendFile({ token: alice, sessionId: aliceSession, name: 'terms.pdf', fileUrl: pdf.url! });
    await tpi.sendImage({ token: alice, sessionId: aliceSession, imageUri: png.url! });
    await tpi.sendVoice({ token: alice, sessionId: aliceSession, voiceLength: 3, voiceUri: amr.url! });
    await tpi.sendVideo({ token: alice, sessionId: aliceSession, sightUri: mp4.url!, sightLength: 9, thumbUri: `http://127.0.0.1:9${png.url!}` });
    await tpi.sendFile({ token: alice, sessionId: aliceSession, name: 'elsewhere.pdf', fileUrl: 'https://example.com/elsewhere.pdf' });
    expect(platform.state().messages.filter((m) => m.sessionId === aliceSession && m.from === 'customer').map((m) => m.text)).toEqual([
      '[file] terms.pdf',
      '[image] photo.jpg',
      '[voice 3 s]',
      '[video 9 s] clip.mp4',
      '[file] elsewhere.pdf',
    ]);

    // Another customer's upload, or none, is unknown: -13 (-22 for an image, -23 for a voice message, as on the platform).
    expect(await refusal(tpi.sendFile({ token: bob, sessionId: bobSession, name: 'terms.pdf', fileUrl: pdf.url! }))).toEqual({ code: -13, message: `no upload of this customer's at ${pdf.url!}` });
    expect(await refusal(tpi.sendImage({ token: bob, sessionId: bobSession, imageUri: png.url! }))).toMatchObject({ code: -22 });
    expect(await refusal(tpi.sendVoice({ token: bob, sessionId: bobSession, voiceLength: 3, voiceUri: amr.url! }))).toMatchObject({ code: -23 });
    expect(await refusal(tpi.sendVideo({ token: bob, sessionId: bobSession, sightUri: mp4.url! }))).toMatchObject({ code: -13 });
    expect(await refusal(tpi.sendFile({ token: alice, sessionId: aliceSession, name: 'x.pdf', fileUrl: '/webchat/tpiu/files/AAAAAAAAAAAAAAAAAAAAAAAA' }))).toMatchObject({ code: -13, message: expect.stringContaining('no upload') as string });
    expect(await refusal(tpi.sendFile({ token: alice, sessionId: aliceSession, name: 'x.pdf', fileUrl: 'ftp://example.com/x.pdf' }))).toMatchObject({ code: -13 });
    // An upload of the wrong kind for the call: -16.
    expect(await refusal(tpi.sendVoice({ token: alice, sessionId: aliceSession, voiceLength: 3, voiceUri: pdf.url! }))).toEqual({ code: -16, message: 'a voice message must be amr, mp3, m4a, wav, ogg; the upload is pdf' });
    expect(await refusal(tpi.sendImage({ token: alice, sessionId: aliceSession, imageUri: mp4.url! }))).toMatchObject({ code: -16 });
  });

  it('refuses what the platform refuses: -13 no form, no file or empty; -15 token; -16 format; -21 size; -8 unsigned', async () => {
    const platform = await mock({
      channels: [
        { id: 'tp', key: KEY, callbackBase: 'http://127.0.0.1:9', signingSecret: SIGNING, uploads: { types: ['png', 'pdf'], maxBytes: 1000 } },
        { id: 'plain', callbackBase: 'http://127.0.0.1:9' },
      ],
    });
    const tpi = new TpiClient({ url: platform.url, key: KEY, signingSecret: SIGNING });
    const token = (await tpi.visitorLogon({ visitorId: '0F8FAD5B-D9CB-469F-A165-70867728950E' })).token!;
    const upload = (bytes: Uint8Array, t = token, client = tpi) => refusal(client.upload(t, { name: 'f', bytes }));

    expect(await upload(GIF)).toEqual({ code: -16, message: 'the file is gif (by its bytes), which this channel does not take; it takes png, pdf' });
    expect(await upload(file('plain text, no format at all'))).toMatchObject({ code: -16, message: expect.stringContaining('none of the formats') as string });
    expect(await upload(file('%PDF-1.4\n', 1001))).toEqual({ code: -21, message: "the file is 1001 bytes, over this channel's limit of 1000" });
    expect(await tpi.upload(token, { name: 'f.pdf', bytes: file('%PDF-1.4\n', 1000) })).toMatchObject({ result: 1, size: 1000 });
    expect(await upload(new Uint8Array())).toEqual({ code: -13, message: 'the file is empty' });
    expect(await upload(PNG, 'no-such-token')).toMatchObject({ code: -15 });
    expect(await upload(PNG, '')).toMatchObject({ code: -15, message: expect.stringContaining('missing field "token"') as string });
    // Unsigned: refused before the form is read.
    expect(await upload(PNG, token, new TpiClient({ url: platform.url, key: KEY }))).toEqual({ code: -8, message: 'this channel signs its calls: send X-Webchat-Timestamp and X-Webchat-Signature' });
    // A channel without uploads takes images only (up to 5 MiB); another channel's token is -15.
    const plain = new TpiClient({ url: platform.url });
    const plainToken = (await plain.visitorLogon({ visitorId: '9B2E0C4A-1D3F-4E5A-8B6C-7D8E9F0A1B2C' })).token!;
    expect(await plain.upload(plainToken, { name: 'p.png', bytes: PNG })).toMatchObject({ result: 1, type: 'png' });
    expect(await upload(PDF, plainToken, plain)).toMatchObject({ code: -16, message: expect.stringContaining('it takes png, jpg, gif, webp') as string });
    expect(await upload(file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 5 * 1024 * 1024 + 1), plainToken, plain)).toMatchObject({ code: -21 });
    expect(await upload(PNG, token, plain)).toMatchObject({ code: -15, message: "another channel's token" });

    // Not such a form, no file field: -13 (HTTP 200 always); other methods: 404.
    const raw = async (body: string | FormData, contentType?: string) => {
      const response = await fetch(`${platform.url}/webchat/tpiu`, { method: 'POST', body, ...(contentType ? { headers: { 'content-type': contentType } } : {}) });
      expect(response.status).toBe(200);
      return (await response.json()) as { result: number; message: string };
    };
    expect(await raw(JSON.stringify({ token: plainToken }), 'application/json')).toEqual({ result: -13, message: 'send multipart/form-data with the fields fileToUpload (the file) and token' });
    expect(await raw('--x\r\nbroken', 'multipart/form-data; boundary=x')).toMatchObject({ result: -13, message: expect.stringContaining('unreadable multipart body') as string });
    const form = new FormData();
    form.set('token', plainToken);
    form.set('note', 'no file');
    expect(await raw(form)).toEqual({ result: -13, message: 'missing file field "fileToUpload"' });
    form.set('fileToUpload', 'text, not a file');
    expect(await raw(form)).toEqual({ result: -13, message: 'missing file field "fileToUpload"' });
    expect((await fetch(`${platform.url}/webchat/tpiu`)).status).toBe(404);
  });

  it('tells the formats apart by their first bytes', () => {
    const cases: [Uint8Array, string | undefined][] = [
      [PNG, 'png'],
      [file([0xff, 0xd8, 0xff, 0xe0]), 'jpg'],
      [GIF, 'gif'],
      [file('RIFF\x24\x00\x00\x00WEBPVP8 '), 'webp'],
      [file('RIFF\x24\x00\x00\x00WAVEfmt '), 'wav'],
      [PDF, 'pdf'],
      [file('ID3\x04\x00'), 'mp3'],
      [file([0xff, 0xfb, 0x90, 0x64]), 'mp3'],
      [AMR, 'amr'],
      [file('OggS\x00\x02'), 'ogg'],
      [MP4, 'mp4'],
      [file('\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00'), 'm4a'],
      [file('\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00'), 'mov'],
      [file('\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm'), 'webm'],
      [file('PK\x03\x04\x14\x00[Content_Types].xml word/document.xml'), 'docx'],
      [file('PK\x03\x04\x14\x00readme.txt'), 'zip'],
      [file('Rar!\x1a\x07\x00'), 'rar'],
      [file([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), '7z'],
      [file('<svg xmlns="http://www.w3.org/2000/svg"/>'), undefined],
      [file('MZ\x90\x00'), undefined],
      [new Uint8Array(), undefined],
    ];
    expect(cases.map(([bytes]) => detectType(bytes))).toEqual(cases.map(([, type]) => type));
  });
});

/**
 * The later wire's media over real HTTP: tpiu uploads, 2002 by address, 2003 voice, 2004
 * location, 2005 files, 2006 video, and what the agent gets of each (the view, the bytes, the
 * headers that keep a file from running in the console's origin). Bad input answers the later
 * code that fits and keeps nothing; a seed client on the same channel sees none of it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LaterResultCode } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { AMR, DOCX, GIF_POLYGLOT, MP3, MP4, multipart, PDF, PNG, SPOOFS } from '../../test-support/media-fixtures.js';
import { startWorld, type World } from '../../test-support/world.js';

const CAP = 64 * 1024;
type MessageView = { id: number; kind: string; text?: string; extra?: string; seconds?: number; file?: Record<string, unknown>; location?: Record<string, unknown>; thumb?: { url: string }; image?: { url: string } };

describe('later wire: voice, location, files and video', () => {
  let w: World | undefined;
  let files: http.Server | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
    await new Promise((resolve) => (files ? files.close(resolve) : resolve(undefined)));
    files = undefined;
  });

  it('takes each kind by upload, base64 or address, shows it to the agent, and refuses what is not what it says', async () => {
    // A third party's own file server, on loopback (trusted: it is the channel's callbackBase host).
    files = http.createServer((req, res) => {
      if (req.url === '/clip.mp4') res.writeHead(200, { 'content-type': 'video/mp4' }).end(MP4);
      else if (req.url === '/big.pdf') res.writeHead(200).end(Buffer.concat([PDF, Buffer.alloc(CAP)]));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files!.listen(0, '127.0.0.1', resolve));
    const fileServer = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    w = await startWorld({
      channels: (tp) => [
        { id: 'ch', callbackBase: tp, allowServerAddr: [tp], uploads: { maxBytes: CAP, types: ['pdf', 'docx', 'mp3', 'amr', 'mp4', 'png', 'gif'] } },
        { id: 'plain', key: 'plain-channel-key-0123456', callbackBase: tp, allowServerAddr: [tp] },
      ],
    });
    const { p, tp } = w;
    const upload = async (path: string, fields: Record<string, string>, file?: { name: string; bytes: Buffer; field?: string }, headers: Record<string, string> = {}) => {
      const form = multipart(fields, file);
      const res = await fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': form.contentType, ...headers }, body: form.body });
      expect(res.status).toBe(200);
      return (await res.json()) as { result: number; message: string; url?: string; type?: string; size?: number; fileName?: string };
    };

    const token = (await p.tpi({ type: 3, loginName: 'app-1', name: 'App One' })).token as string;
    const otherToken = (await p.tpi({ type: 3, loginName: 'app-2', name: 'App Two' })).token as string;
    const tracks = JSON.stringify([{ title: 'Shoes', url: 'https://shop.example/shoes', time: 1_765_000_000_000 }, { title: 'bad', url: 'javascript:alert(1)' }]);
    expect(await p.tpi({ type: 1000, token, queueId: 1, brand: 'Shop App', tracks, ip: '203.0.113.9' })).toMatchObject({ result: 1 });
    const a = await w.online('a');
    const sessionId = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'app-1'))).body.sessionId as number;

    // Uploads, under both prefixes: the answer names the format the bytes are.
    const pdf = await upload('/webchat/tpiu', { token }, { name: 'contract.pdf', bytes: PDF });
    expect(pdf).toMatchObject({ result: 1, message: 'success', fileName: 'contract.pdf', type: 'pdf', size: PDF.length, url: expect.stringMatching(/^\/webchat\/tpiu\/files\/[A-Za-z0-9_-]{24}$/) });
    const docx = await upload('/EliteWebChat/tpiu', { token }, { name: '合同.docx', bytes: DOCX });
    expect(docx).toMatchObject({ result: 1, type: 'docx', url: expect.stringMatching(/^\/EliteWebChat\/tpiu\/files\//) });
    const mp3 = await upload('/webchat/tpiu', { token }, { name: 'note.mp3', bytes: MP3 });
    const png = await upload('/webchat/tpiu', { token }, { name: 'map.png', bytes: PNG });
    const gif = await upload('/webchat/tpiu', { token }, { name: 'funny.gif', bytes: GIF_POLYGLOT });
    const othersPdf = await upload('/webchat/tpiu', { token: otherToken }, { name: 'theirs.pdf', bytes: PDF });
    expect([mp3.type, png.type, gif.type, othersPdf.result]).toEqual(['mp3', 'png', 'gif', 1]);

    // Each kind, once; a retried messageId is stored once.
    expect(await p.tpi({ type: 2005, token, sessionId, name: 'contract.pdf', fileUrl: pdf.url, messageId: 'f-1', extra: '{"orderId":42}' })).toMatchObject({ result: 1, message: 'success' });
    expect(await p.tpi({ type: 2005, token, sessionId, name: 'contract.pdf', fileUrl: pdf.url, messageId: 'f-1' })).toMatchObject({ result: 1, message: 'success; duplicate messageId, already stored' });
    expect(await p.tpi({ type: 2005, token, sessionId, name: '合同.docx', fileUrl: docx.url })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2003, token, sessionId, voiceLength: 3, voiceData: AMR.toString('base64'), messageId: 7 })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2003, token, sessionId, voiceLength: 3, voiceData: AMR.toString('base64'), messageId: 7 })).toMatchObject({ result: 1, message: 'success; duplicate messageId, already stored' });
    // 2003 is new either way: without a token the session names its customer (whose upload it must be).
    expect(await p.tpi({ type: 2003, sessionId, voiceLength: 5, voiceUri: mp3.url, voiceType: 'mp3' })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2004, token, sessionId, latitude: 39.915, longitude: 116.404, poi: '天安门', map: 'baidu', thumbData: PNG.toString('base64') })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2006, token, sessionId, sightUri: `${fileServer}/clip.mp4`, sightLength: 9, sightName: 'unboxing.mp4', thumbUri: png.url })).toMatchObject({ result: 1 });
    expect(await p.tpi({ type: 2002, token, sessionId, imageUri: gif.url, imgName: 'funny.gif' })).toMatchObject({ result: 1 });

    // What the agent sees.
    const view = (await p.api<{ messages: MessageView[]; context?: Record<string, unknown> }>('GET', `/api/v1/agent/sessions/${sessionId}`, a)).body;
    const kinds = view.messages.map((m) => m.kind);
    expect(kinds).toEqual(['file', 'file', 'voice', 'voice', 'location', 'video', 'image']);
    const [pdfMsg, docxMsg, amrMsg, mp3Msg, place, video] = view.messages as [MessageView, MessageView, MessageView, MessageView, MessageView, MessageView];
    expect(pdfMsg).toMatchObject({ extra: '{"orderId":42}', file: { name: 'contract.pdf', type: 'pdf', mime: 'application/pdf', size: PDF.length, playable: false } });
    expect(docxMsg.file).toMatchObject({ name: '合同.docx', type: 'docx', playable: false });
    expect(amrMsg).toMatchObject({ seconds: 3, file: { type: 'amr', mime: 'audio/amr', playable: false } });
    expect(mp3Msg).toMatchObject({ seconds: 5, file: { type: 'mp3', playable: true } });
    expect(place).toMatchObject({ text: '天安门', location: { latitude: 39.915, longitude: 116.404, poi: '天安门', map: 'baidu', mapUrl: expect.stringMatching(/^https:\/\/api\.map\.baidu\.com\/marker\?location=39\.915,116\.404&/) }, thumb: { width: 1, height: 1 } });
    expect(video).toMatchObject({ seconds: 9, file: { name: 'unboxing.mp4', type: 'mp4', playable: true }, thumb: { width: 1, height: 1 } });
    expect(view.context).toEqual({ brand: 'Shop App', ip: '203.0.113.9', tracks: [{ title: 'Shoes', url: 'https://shop.example/shoes', time: 1_765_000_000_000 }, { title: 'bad', url: '' }] });

    // The bytes, with a fixed type: a download, except what a browser plays; never sniffed.
    const get = (url: string, token_ = a) => fetch(`${p.url}${url}`, { headers: { authorization: `Bearer ${token_}` } });
    const pdfRes = await get(pdfMsg.file!.url as string);
    expect(Buffer.from(await pdfRes.arrayBuffer())).toEqual(PDF);
    expect([pdfRes.headers.get('content-type'), pdfRes.headers.get('x-content-type-options'), pdfRes.headers.get('content-disposition')]).toEqual(['application/pdf', 'nosniff', `attachment; filename="contract.pdf"; filename*=UTF-8''contract.pdf`]);
    expect((await get(docxMsg.file!.url as string)).headers.get('content-disposition')).toBe(`attachment; filename="__.docx"; filename*=UTF-8''${encodeURIComponent('合同.docx')}`);
    const mp3Res = await get(mp3Msg.file!.url as string);
    expect([mp3Res.headers.get('content-type'), mp3Res.headers.get('content-disposition')?.split(';')[0]]).toEqual(['audio/mpeg', 'inline']);
    expect((await get(amrMsg.file!.url as string)).headers.get('content-disposition')?.split(';')[0]).toBe('attachment');
    const gifRes = await get(view.messages[6]!.image!.url);
    expect([gifRes.headers.get('content-type'), gifRes.headers.get('x-content-type-options'), gifRes.headers.get('content-security-policy')]).toEqual(['image/gif', 'nosniff', "default-src 'none'; sandbox"]);
    // Another agent has no such file.
    const b = await w.login('b');
    expect((await get(pdfMsg.file!.url as string, b)).status).toBe(404);

    // Bad input: the later code that fits, a message that says why, and nothing kept.
    for (const [what, spoof] of Object.entries(SPOOFS)) {
      const answer = await upload('/webchat/tpiu', { token }, spoof);
      expect([what, answer.result]).toEqual([what, what === 'empty' ? LaterResultCode.UPLOAD_FILE_FAILED : LaterResultCode.INVALID_FILE_EXTENSION]);
      expect(answer.url).toBeUndefined();
    }
    // A PDF called .docx is kept as the PDF it is, and named so.
    expect(await upload('/webchat/tpiu', { token }, { name: 'report.docx', bytes: PDF })).toMatchObject({ result: 1, type: 'pdf' });
    const tooBig = await upload('/webchat/tpiu', { token }, { name: 'big.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(CAP)]) });
    expect(tooBig).toMatchObject({ result: LaterResultCode.INVALID_FILE_SIZE, message: `the file is ${PDF.length + CAP} bytes, over this channel's limit of ${CAP}` });
    expect(await upload('/webchat/tpiu', {}, { name: 'a.pdf', bytes: PDF })).toMatchObject({ result: LaterResultCode.INVALID_TOKEN });
    expect(await upload('/webchat/tpiu', { token }, { name: 'a.pdf', bytes: PDF, field: 'other' })).toMatchObject({ result: LaterResultCode.UPLOAD_FILE_FAILED, message: 'missing file field "fileToUpload"' });
    const notMultipart = await (await fetch(`${p.url}/webchat/tpiu`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    expect(notMultipart).toMatchObject({ result: LaterResultCode.UPLOAD_FILE_FAILED });
    // Another channel's token, and a channel without uploads (images only).
    const plainKey = { 'x-webchat-key': 'plain-channel-key-0123456' };
    expect(await upload('/webchat/tpiu', { token }, { name: 'a.pdf', bytes: PDF }, plainKey)).toMatchObject({ result: LaterResultCode.INVALID_TOKEN });
    const plainToken = (await p.tpi({ type: 3, loginName: 'p-1', name: 'P' }, plainKey)).token as string;
    expect(await upload('/webchat/tpiu', { token: plainToken }, { name: 'a.pdf', bytes: PDF }, plainKey)).toMatchObject({ result: LaterResultCode.INVALID_FILE_EXTENSION, message: 'the file is pdf (by its bytes), which this channel does not take; it takes png, jpg, gif, webp' });
    expect(await upload('/webchat/tpiu', { token: plainToken }, { name: 'a.png', bytes: PNG }, plainKey)).toMatchObject({ result: 1, type: 'png' });

    const bad: [Record<string, unknown>, number, string?][] = [
      [{ type: 2003, token, sessionId, voiceLength: 1, voiceData: Buffer.concat([AMR, Buffer.alloc(CAP)]).toString('base64') }, LaterResultCode.INVALID_FILE_SIZE, "voiceData is over this channel's limit of 65536 bytes"],
      [{ type: 2003, token, sessionId, voiceLength: 1, voiceData: 'data:audio/amr;base64,IyFBTVIK' }, LaterResultCode.UPLOAD_VOICE_FAILED, 'voiceData is not plain base64 (no data: prefix)'],
      [{ type: 2003, token, sessionId, voiceLength: 1, voiceUri: pdf.url }, LaterResultCode.INVALID_FILE_EXTENSION, 'a voice message must be amr, mp3, m4a, wav, ogg; the upload is pdf'],
      [{ type: 2003, token, sessionId, voiceLength: 1 }, LaterResultCode.EMPTY_MESSAGE],
      [{ type: 2005, token, sessionId, name: 'x.pdf', fileUrl: othersPdf.url }, LaterResultCode.UPLOAD_FILE_FAILED, `no upload of this customer's at ${othersPdf.url}`],
      [{ type: 2005, token, sessionId, name: 'x', fileUrl: 'http://169.254.169.254/latest/meta-data' }, LaterResultCode.UPLOAD_FILE_FAILED],
      [{ type: 2005, token, sessionId, name: 'x', fileUrl: 'file:///etc/passwd' }, LaterResultCode.UPLOAD_FILE_FAILED, 'only http(s) addresses are fetched, not file:'],
      [{ type: 2005, token, sessionId, name: 'x', fileUrl: `${fileServer}/missing.pdf` }, LaterResultCode.UPLOAD_FILE_FAILED],
      [{ type: 2005, token, sessionId, name: 'x', fileUrl: `${fileServer}/big.pdf` }, LaterResultCode.INVALID_FILE_SIZE],
      [{ type: 2002, token, sessionId, imageUri: pdf.url }, LaterResultCode.INVALID_FILE_EXTENSION, 'an image must be png, jpg, gif, webp; the upload is pdf'],
      [{ type: 2002, token, sessionId }, LaterResultCode.EMPTY_MESSAGE],
      [{ type: 2004, token, sessionId, latitude: 91, longitude: 0 }, -8],
      [{ type: 2006, token: otherToken, sessionId, sightUri: mp3.url }, -11],
      [{ type: 2005, token, sessionId: 999_999, name: 'x', fileUrl: pdf.url }, -11],
    ];
    for (const [body, result, message] of bad) {
      const answer = await p.tpi(body);
      expect([body.type, answer.result]).toEqual([body.type, result]);
      if (message) expect(answer.message).toBe(message);
    }
    const refused = await p.tpi({ type: 2005, token, sessionId, name: 'x', fileUrl: 'http://169.254.169.254/latest/meta-data' });
    expect(refused.message).toContain('the platform does not fetch from 169.254.169.254');
    const after = (await p.api<{ messages: MessageView[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a)).body;
    expect(after.messages.map((m) => m.id)).toEqual(view.messages.map((m) => m.id));

    // History names each kind; a rating keeps its extra answers.
    const history = await p.tpi({ type: 5003, token, maxCount: 10 });
    expect((history.hisMessages as { text: string }[]).map((m) => m.text)).toEqual(['[image] funny.gif', '[video 9 s] unboxing.mp4', '[location] 天安门 (39.915, 116.404)', '[voice 5 s]', '[voice 3 s]', '[file] 合同.docx', '[file] contract.pdf']);
    expect(await p.tpi({ type: 5001, token, sessionId, ratingId: 5, ratingExtends: { speed: 4, solved: true, note: '好' } })).toMatchObject({ result: 1 });
    const rated = (await p.api<{ rating: Record<string, unknown>; messages: { event?: Record<string, unknown> }[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a)).body;
    expect(rated.rating).toMatchObject({ ratingId: 5, extends: { speed: 4, solved: true, note: '好' } });
    // The event says it too, so a console applies it without fetching the session again.
    expect(rated.messages.at(-1)?.event).toEqual({ event: 'rated', ratingId: 5, comments: '', extends: { speed: 4, solved: true, note: '好' } });
    // A right-to-left override cannot dress a name up as another format in the console.
    const rlo = await upload('/webchat/tpiu', { token }, { name: 'invoice\u202Excod.pdf', bytes: PDF });
    expect(await p.tpi({ type: 2005, token, sessionId, name: 'invoice\u202Excod.pdf', fileUrl: rlo.url })).toMatchObject({ result: 1 });
    const lastFile = (await p.api<{ messages: MessageView[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a)).body.messages.at(-1)!;
    expect(lastFile.file).toMatchObject({ name: 'invoicexcod.pdf', type: 'pdf' });
  });

  it('stores a voice message once when its messageId is retried while the first call is still running (a client that timed out)', async () => {
    w = await startWorld({ channels: (tp) => [{ id: 'ch', callbackBase: tp, allowServerAddr: [tp], uploads: { maxBytes: CAP, types: ['amr', 'pdf'] } }] });
    const { p, tp } = w;
    const token = (await p.tpi({ type: 4, visitorId: '0F8FAD5B-D9CB-469F-A165-70867728950E' })).token as string;
    await p.tpi({ type: 1000, token, queueId: 1 });
    const a = await w.online('a');
    const sessionId = (await tp.waitFor(() => tp.ofName('create')[0])).body.sessionId as number;
    const answers = await Promise.all(Array.from({ length: 6 }, () => p.tpi({ type: 2003, token, sessionId, voiceLength: 2, voiceData: AMR.toString('base64'), messageId: 'v-1' })));
    expect(answers.map((x) => x.result)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(answers.filter((x) => x.message === 'success')).toHaveLength(1);
    const view = (await p.api<{ messages: MessageView[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a)).body;
    expect(view.messages.map((m) => m.kind)).toEqual(['voice']);
    // The retries that lost kept no copy of the recording either.
    const kept = await p.platform.store.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(1);
  });

  it('keeps the seed wire as it was: 2005 without a token is a pre-message, and 2002 takes only a data URI', async () => {
    w = await startWorld({ channels: (tp) => [{ id: 'ch', callbackBase: tp, allowServerAddr: [tp], uploads: { maxBytes: CAP, types: ['pdf', 'png'] } }] });
    const { p, tp } = w;
    const asked = await p.tpi({ type: 1000, clientId: 'seed', queueId: 1 });
    expect(await p.tpi({ type: 2005, requestId: asked.requestId, text: 'while waiting' })).toMatchObject({ result: 1, message: 'success' });
    const a = await w.online('a');
    const sessionId = (await tp.waitFor(() => tp.ofName('create')[0])).body.sessionId as number;
    const seedImage = await p.tpi({ type: 2002, sessionId, clientId: 'seed', imageUri: '/webchat/tpiu/files/abcdefghijklmnopqrstuvwx' });
    expect(seedImage).toMatchObject({ result: -8, message: 'missing field "imgData": a string of 1 to ∞ characters' });
    expect(await p.tpi({ type: 2002, sessionId, clientId: 'seed', imgData: `data:image/png;base64,${PNG.toString('base64')}` })).toMatchObject({ result: 1, message: 'success' });
    const view = (await p.api<{ messages: MessageView[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, a)).body;
    expect(view.messages.map((m) => m.kind)).toEqual(['pre', 'image']);
  });
});

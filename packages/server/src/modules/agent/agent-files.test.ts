/**
 * An agent sends images and files: the third party gets `<img>`/`<a>` when its channel asked
 * for rich content and the name with the link otherwise; the link serves the file (and only an
 * agent's file) with a fixed type that never runs; what is not a taken format is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { multipart, PDF, PNG, SPOOFS } from '../../test-support/media-fixtures.js';
import { eventually } from '../../test-support/platform.js';
import { startWorld, type World } from '../../test-support/world.js';

const CAP = 64 * 1024;

describe('agent images and files', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('sends them to the customer as rich content or as a link, serves the link, and refuses what is no taken format', async () => {
    w = await startWorld({
      config: { maxUploadBytes: CAP },
      channels: (tp) => [
        { id: 'ch', callbackBase: tp, allowServerAddr: [tp] },
        { id: 'rich', key: 'rich-channel-key-01234567', callbackBase: tp, allowServerAddr: [tp], laterCallbacks: ['richContent'], uploads: { maxBytes: CAP, types: ['pdf'] } },
      ],
    });
    const { p, tp } = w;
    const rich = { 'x-webchat-key': 'rich-channel-key-01234567' };
    const a = await w.online('a');
    await p.tpi({ type: 1000, clientId: 'seed-1', queueId: 1 });
    const customerToken = (await p.tpi({ type: 3, loginName: 'app-1', name: 'App' }, rich)).token as string;
    await p.tpi({ type: 1000, token: customerToken, queueId: 1 }, rich);
    const seedSession = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'seed-1'))).body.sessionId as number;
    const richSession = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'app-1'))).body.sessionId as number;

    const send = async (sessionId: number, file: { name: string; bytes: Buffer; field?: string }, token = a) => {
      const form = multipart({}, { field: 'file', ...file });
      const res = await fetch(`${p.url}/api/v1/agent/sessions/${sessionId}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': form.contentType }, body: form.body });
      return { status: res.status, body: (await res.json()) as { kind?: string; image?: { url: string }; file?: Record<string, unknown>; error?: { code: string; message: string } } };
    };

    // An image to a channel that takes rich content: <img> with the link, escaped.
    const image = await send(richSession, { name: 'a&b<c>.png', bytes: PNG });
    expect(image).toMatchObject({ status: 201, body: { kind: 'image', image: { url: expect.stringMatching(/^\/api\/v1\/agent\/files\/\d+$/) } } });
    const imageMsg = await tp.waitFor(() => tp.ofName('msg').find((c) => c.body.sessionId === richSession));
    const imgLink = /^<img src="(http:\/\/127\.0\.0\.1:\d+\/webchat\/files\/[A-Za-z0-9_-]{24})" alt="a&#38;b&#60;c&#62;\.png">$/.exec(imageMsg.body.content as string);
    expect(imgLink, imageMsg.body.content as string).not.toBeNull();
    const served = await fetch(imgLink![1]!);
    expect([served.status, served.headers.get('content-type'), served.headers.get('x-content-type-options'), served.headers.get('content-disposition')?.split(';')[0]]).toEqual([200, 'image/png', 'nosniff', 'inline']);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);

    // A file to a seed channel: the name and the link as text; a download.
    const pdf = await send(seedSession, { name: '<i>报价.pdf', bytes: PDF });
    expect(pdf).toMatchObject({ status: 201, body: { kind: 'file', file: { name: '<i>报价.pdf', type: 'pdf', size: PDF.length, playable: false } } });
    const pdfMsg = await tp.waitFor(() => tp.ofName('msg').find((c) => c.body.sessionId === seedSession));
    const [name, link] = (pdfMsg.body.content as string).split(' ');
    expect(name).toBe('<i>报价.pdf');
    const download = await fetch(link!);
    expect([download.headers.get('content-type'), download.headers.get('content-disposition')?.split(';')[0], download.headers.get('content-security-policy')]).toEqual(['application/pdf', 'attachment', "default-src 'none'; sandbox"]);
    // The rich channel gets an escaped <a>.
    await send(richSession, { name: '<i>报价.pdf', bytes: PDF });
    const aMsg = await tp.waitFor(() => tp.ofName('msg').filter((c) => c.body.sessionId === richSession)[1]);
    expect(aMsg.body.content).toMatch(/^<a href="http:\/\/127\.0\.0\.1:\d+\/webchat\/files\/[A-Za-z0-9_-]{24}" download="&#60;i&#62;报价\.pdf">&#60;i&#62;报价\.pdf<\/a>$/);
    // Their delivery marks, as a text's: the third party took them.
    const marked = await eventually(async () => {
      const view = (await p.api<{ messages: { kind: string; delivery?: { state: string } }[] }>('GET', `/api/v1/agent/sessions/${richSession}`, a)).body;
      const states = view.messages.map((m) => m.delivery?.state);
      return states.every((x) => x === 'delivered') ? states : undefined;
    });
    expect(marked).toEqual(['delivered', 'delivered']);
    // The agent sees their own image and file in the chat.
    const own = await fetch(`${p.url}${image.body.image!.url}`, { headers: { authorization: `Bearer ${a}` } });
    expect(own.headers.get('content-type')).toBe('image/png');

    // Refused: no taken format (415), too large (413), not a form or no file (400), not their chat (404).
    for (const spoof of [SPOOFS['html as png'], SPOOFS['svg with script'], SPOOFS['javascript as mp3']]) expect((await send(seedSession, spoof)).status).toBe(415);
    expect((await send(seedSession, SPOOFS.empty)).status).toBe(400);
    // Too large, whether found so after reading it or refused before: the limit is said either way.
    expect((await send(seedSession, { name: 'big.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(CAP)]) })).body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: `the file is ${PDF.length + CAP} bytes, over the limit of ${CAP}` });
    expect((await send(seedSession, { name: 'huge.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(4 * CAP)]) })).body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: `the file is over the limit of ${CAP} bytes` });
    expect((await send(seedSession, { name: 'x.pdf', bytes: PDF, field: 'other' })).body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'missing file field "file"' });
    const b = await w.login('b');
    expect((await send(seedSession, { name: 'x.pdf', bytes: PDF }, b)).status).toBe(404);
    expect(tp.ofName('msg')).toHaveLength(3);

    // A customer's upload is never served at the public path, whatever its id.
    const form = multipart({ token: customerToken }, { name: 'mine.pdf', bytes: PDF });
    const uploaded = (await (await fetch(`${p.url}/webchat/tpiu`, { method: 'POST', headers: { 'content-type': form.contentType, ...rich }, body: form.body })).json()) as { url: string };
    const publicId = uploaded.url.split('/').pop()!;
    expect((await fetch(`${p.url}/webchat/files/${publicId}`)).status).toBe(404);
    expect((await fetch(`${p.url}${uploaded.url}`)).status).toBe(404);
  });
});

/**
 * The SDK's TPI client against the real platform over real HTTP (on the run's store): the whole
 * seed conversation with its callbacks through the SDK's receiver, a later-wire customer, errors
 * that carry the code, signed calls, and retries: a message whose answer was lost is sent again
 * and stored once, a 1000 whose answer was lost is not sent again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../../server/src/test-support/chat.js';
import { PDF } from '../../server/src/test-support/media-fixtures.js';
import { RequestStatus, ResultCode } from '../src/index.js';
import { TpiError, TpiTransportError } from '../src/errors.js';
import { closeServer, listenOnLoopback, startSdkWorld, until, type SdkWorld } from './sdk-world.js';

interface Message {
  sender: string;
  text?: string | null;
  kind: string;
}

async function messagesOf(w: SdkWorld, sessionId: number): Promise<Message[]> {
  const res = await w.p.api<{ messages: Message[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, w.agent);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.messages;
}

/**
 * A proxy in front of the platform that forwards every call and records its body; for a call
 * `drop` picks, it lets the platform carry it out and then cuts the connection instead of
 * passing the answer on, as a network failure after the fact would.
 */
class LossyProxy {
  readonly calls: Record<string, unknown>[] = [];
  drop: (body: Record<string, unknown>) => boolean = () => false;
  /** Answers this call (once) -100 without passing it on, as the platform does when it could not carry it out. */
  refuse: (body: Record<string, unknown>) => boolean = () => false;
  private readonly server: http.Server;

  constructor(private readonly target: string) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = JSON.parse(raw.toString()) as Record<string, unknown>;
        this.calls.push(body);
        if (this.refuse(body)) {
          this.refuse = () => false;
          res.end(JSON.stringify({ result: -100, message: 'internal error; the call was not carried out, try again' }));
          return;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-webchat') || k === 'content-type')) as Record<string, string>;
        void fetch(`${this.target}${req.url}`, { method: 'POST', headers, body: raw }).then(async (answer) => {
          const text = await answer.text();
          if (this.drop(body)) {
            this.drop = () => false;
            req.socket.destroy();
          } else res.end(text);
        });
      });
    });
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

describe('TpiClient against the platform', () => {
  let w: SdkWorld | undefined;
  let proxy: LossyProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
    await w?.close();
    w = undefined;
  });

  it('carries a whole seed conversation; the receiver hands each callback over in order, once', async () => {
    w = await startSdkWorld();
    const tpi = w.client();
    const asked = await tpi.requestChat({ clientId: 'wx-001', queueId: 1, nickname: 'Lin', from: 'WECHAT' });
    expect(asked.requestId).toBeGreaterThan(0);
    const create = await until(() => w!.rx.of('create')[0], 'create');
    const sessionId = create.body.sessionId as number;
    expect(create.body).toMatchObject({ clientId: 'wx-001', agentId: 'A', agentName: 'Agent A' });
    expect((await tpi.pollRequest({ requestId: asked.requestId! })).requestStatus).toBe(RequestStatus.ACCEPTED);

    await tpi.sendText({ sessionId, clientId: 'wx-001', text: 'hello' });
    await tpi.sendImage({ sessionId, clientId: 'wx-001', imgData: TINY_PNG, imgName: 'p.png' });
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, w.agent, { text: 'how can I help?' })).status).toBe(201);
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/rating-request`, w.agent)).status).toBeLessThan(300);
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/close`, w.agent)).status).toBeLessThan(300);
    await until(() => w!.rx.of('close')[0], 'close');
    await tpi.rate({ sessionId, ratingId: 5, ratingComments: 'quick' });

    expect(w.rx.events.map((e) => e.name)).toEqual(['create', 'msg', 'pushRating', 'close']);
    expect(w.rx.of('msg')[0]!.body.content).toBe('how can I help?');
    expect(new Set(w.rx.events.map((e) => e.meta.id)).size).toBe(4);
    expect(w.rx.problems).toEqual([]);
    const stored = await messagesOf(w, sessionId);
    expect(stored.filter((m) => m.sender === 'customer' && m.kind !== 'event').map((m) => m.kind)).toEqual(['text', 'image']);
  });

  it('rejects with the code and the message when the platform refuses a call', async () => {
    w = await startSdkWorld();
    const tpi = w.client();
    const error = await tpi.sendText({ sessionId: 999_999, clientId: 'nobody', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TpiError);
    expect(error).toMatchObject({ code: ResultCode.INVALID_CHAT_SESSION_ID, codeName: 'INVALID_CHAT_SESSION_ID', type: 2001 });
    expect((error as TpiError).message).toMatch(/session/);
    // The channel signs: a client without the secret is refused, with a message that says why.
    const unsigned = await w.client({ signingSecret: undefined }).requestChat({ clientId: 'c', queueId: 1 }).catch((e: unknown) => e);
    expect(unsigned).toMatchObject({ code: ResultCode.REQUEST_ERROR });
    expect((unsigned as TpiError).answer.message).toMatch(/sign/i);
    const wrongKey = await w.client({ key: 'not-the-key-of-any-channel' }).pollRequest({ requestId: 1 }).catch((e: unknown) => e);
    expect(wrongKey).toMatchObject({ code: ResultCode.REQUEST_ERROR });
  });

  it('sends a message again when its answer was lost, and the platform stores it once', async () => {
    w = await startSdkWorld();
    proxy = new LossyProxy(w.p.url);
    const tpi = w.client({ url: await proxy.start() });
    await tpi.requestChat({ clientId: 'wx-2', queueId: 1 });
    const sessionId = (await until(() => w!.rx.of('create')[0], 'create')).body.sessionId as number;

    proxy.drop = (body) => body.type === 2001;
    const answer = await tpi.sendText({ sessionId, clientId: 'wx-2', text: 'only once' });
    expect(answer.message).toMatch(/duplicate msgId/);
    const sent = proxy.calls.filter((c) => c.type === 2001);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.msgId).toBeTruthy();
    expect(sent[1]!.msgId).toBe(sent[0]!.msgId);
    expect((await messagesOf(w, sessionId)).filter((m) => m.text === 'only once')).toHaveLength(1);
  });

  it('with a token, sends a message again by its messageId when the answer was lost, and the platform stores it once', async () => {
    w = await startSdkWorld();
    proxy = new LossyProxy(w.p.url);
    const tpi = w.client({ url: await proxy.start() });
    const token = (await tpi.visitorLogon({ visitorId: '6BA7B810-9DAD-11D1-80B4-00C04FD430C8' })).token!;
    await tpi.requestChat({ token, queueId: 1 });
    const sessionId = (await until(() => w!.rx.of('create')[0], 'create')).body.sessionId as number;

    proxy.drop = (body) => body.type === 2001;
    await tpi.sendText({ token, sessionId, text: 'later, once' });
    const sent = proxy.calls.filter((c) => c.type === 2001);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.messageId).toBeTruthy();
    expect(sent[0]!.msgId).toBeUndefined();
    expect(sent[1]!.messageId).toBe(sent[0]!.messageId);
    expect((await messagesOf(w, sessionId)).filter((m) => m.text === 'later, once')).toHaveLength(1);
  });

  it('does not send a 1000 again when its answer was lost, and says the outcome is unknown', async () => {
    w = await startSdkWorld();
    proxy = new LossyProxy(w.p.url);
    const tpi = w.client({ url: await proxy.start() });
    proxy.drop = (body) => body.type === 1000;
    const error = await tpi.requestChat({ clientId: 'wx-3', queueId: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TpiTransportError);
    expect((error as TpiTransportError).carriedOut).toBeUndefined();
    expect(proxy.calls.filter((c) => c.type === 1000)).toHaveLength(1);
    // The platform did carry it out: the customer's chat exists.
    await until(() => w!.rx.of('create').find((e) => e.body.clientId === 'wx-3'), 'create of wx-3');
  });

  it('sends a 1000 again when the platform answered -100 (not carried out): one request, one create', async () => {
    w = await startSdkWorld();
    proxy = new LossyProxy(w.p.url);
    const tpi = w.client({ url: await proxy.start() });
    proxy.refuse = (body) => body.type === 1000;
    expect(await tpi.requestChat({ clientId: 'wx-6', queueId: 1 })).toMatchObject({ result: 1 });
    expect(proxy.calls.filter((c) => c.type === 1000)).toHaveLength(2);
    await until(() => w!.rx.of('create').find((e) => e.body.clientId === 'wx-6'), 'create of wx-6');
    expect(w.rx.of('create').filter((e) => e.body.clientId === 'wx-6')).toHaveLength(1);
  });

  it('does not send a 2023 again when its answer was lost: a second would take the chat from the agent who took it since', async () => {
    w = await startSdkWorld();
    proxy = new LossyProxy(w.p.url);
    const tpi = w.client({ url: await proxy.start() });
    await tpi.requestChat({ clientId: 'wx-5', queueId: 1 });
    const { body } = await until(() => w!.rx.of('create').find((e) => e.body.clientId === 'wx-5'), 'create of wx-5');
    proxy.drop = (call) => call.type === 2023;
    const error = await tpi.transferToHuman({ sessionId: body.sessionId as number }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TpiTransportError);
    expect(proxy.calls.filter((c) => c.type === 2023)).toHaveLength(1);
  });

  it('sends again a call that never reached the platform, whatever its type', async () => {
    w = await startSdkWorld();
    // Nothing listens here at first; the platform's port is taken over by a proxy after a while.
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const tpi = w.client({ url: `http://127.0.0.1:${port}`, retries: 1 });
    const error = await tpi.requestChat({ clientId: 'wx-4', queueId: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TpiTransportError);
    expect(error).toMatchObject({ carriedOut: false, attempts: 2 });
  });

  it('speaks the later wire: a visitor logs in, asks, writes with message ids, uploads a file, reads history', async () => {
    w = await startSdkWorld({ channel: { uploads: { types: ['pdf', 'png'], maxBytes: 1_000_000 } } });
    const tpi = w.client();
    const logon = await tpi.visitorLogon({ visitorId: '0F8FAD5B-D9CB-469F-A165-70867728950E' });
    const token = logon.token!;
    expect(logon.clientId).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    await tpi.requestChat({ token, queueId: 1 });
    const sessionId = (await until(() => w!.rx.of('create')[0], 'create')).body.sessionId as number;
    await tpi.sendText({ token, sessionId, text: 'later hello' });
    const upload = await tpi.upload(token, { name: 'terms.pdf', bytes: PDF, type: 'application/pdf' });
    expect(upload).toMatchObject({ result: 1, type: 'pdf' });
    await tpi.sendFile({ token, sessionId, name: 'terms.pdf', fileUrl: upload.url! });
    await tpi.typing({ token, sessionId });
    const history = await tpi.history({ token, fromSessionId: sessionId });
    expect(history.hisMessages!.map((m) => m.text)).toEqual(['[file] terms.pdf', 'later hello']);
    const kinds = (await messagesOf(w, sessionId)).filter((m) => m.sender === 'customer' && m.kind !== 'event').map((m) => m.kind);
    expect(kinds).toEqual(['text', 'file']);
    // Another customer's token cannot touch this session.
    const other = (await tpi.visitorLogon({ visitorId: '7C9E6679-7425-40DE-944B-E07FC1F90AE7' })).token!;
    await expect(tpi.sendText({ token: other, sessionId, text: 'intruder' })).rejects.toMatchObject({ code: ResultCode.INVALID_CHAT_SESSION_ID });
    // Type 5 is always refused here: agents work in the console.
    await expect(tpi.agentLogon({ loginName: 'a', password: 'pw-a' })).rejects.toMatchObject({ code: -19 });
  });
});

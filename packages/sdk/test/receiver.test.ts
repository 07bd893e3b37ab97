/**
 * The SDK's callback receiver with the real platform calling it over real HTTP (on the run's
 * store): a secret rotated on the channel, a handler that throws and is called again with the
 * same webhook-id, the later wire's callbacks typed, a repeat dropped; and what a forger could send it: a tampered body, an old
 * timestamp, a body that is not the protocol's. Fastify's adapter with a real Fastify.
 */
import Fastify from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackReceiver } from '../src/receiver.js';
import { newWebhookSecret, startSdkWorld, until, type SdkWorld } from './sdk-world.js';

/** Posts a callback signed with `secret` (at `at`, in seconds) to the receiver, as a forger or the platform would. */
async function post(url: string, name: string, body: string, sign: { secret: string; id: string; at?: number; tamper?: (b: string) => string }) {
  const at = sign.at ?? Math.floor(Date.now() / 1000);
  const signature = new Webhook(sign.secret).sign(sign.id, new Date(at * 1000), body);
  const res = await fetch(`${url}/ThirdPartService/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': sign.id, 'webhook-timestamp': String(at), 'webhook-signature': signature },
    body: sign.tamper ? sign.tamper(body) : body,
  });
  return { status: res.status, body: (await res.json()) as { result: number; message: string } };
}

const CREATE = JSON.stringify({
  result: 1,
  message: 'success',
  agentId: 'A',
  agentName: 'Agent A',
  agent: { id: 'A', name: 'Agent A', alias: 'a', icon: '', commonts: '' },
  clientId: 'c1',
  sessionId: 42,
  time: 1_700_000_000_000,
});

describe('CallbackReceiver', () => {
  let w: SdkWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('verifies during a rotation with either secret, the old or the new', async () => {
    const [fresh, old] = [newWebhookSecret(), newWebhookSecret()];
    for (const held of [old, fresh]) {
      w = await startSdkWorld({ webhookSecrets: [fresh, old], receiverSecrets: [held] });
      await w.client().requestChat({ clientId: 'rot', queueId: 1 });
      await until(() => w!.rx.of('create')[0], 'create');
      expect(w.rx.problems).toEqual([]);
      await w.close();
      w = undefined;
    }
    // A receiver holding neither refuses the platform's callbacks, which the platform retries.
    w = await startSdkWorld({ webhookSecrets: [fresh], receiverSecrets: [old] });
    await w.client().requestChat({ clientId: 'rot', queueId: 1 });
    await until(() => w!.rx.problems.length >= 2 && w!.rx.problems, 'two refused attempts');
    expect(w.rx.problems[0]).toMatchObject({ name: 'create', status: 401 });
    expect(w.rx.events).toEqual([]);
  });

  it('answers a failure when the handler throws: the platform sends it again, same webhook-id, and the session goes on in order', async () => {
    w = await startSdkWorld();
    let failures = 0;
    w.rx.before = (e) => {
      if (e.name === 'msg' && failures < 2) {
        failures++;
        throw new Error('database down');
      }
    };
    const tpi = w.client();
    await tpi.requestChat({ clientId: 'thr', queueId: 1 });
    const sessionId = (await until(() => w!.rx.of('create')[0], 'create')).body.sessionId as number;
    for (const text of ['one', 'two']) expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, w.agent, { text })).status).toBe(201);
    await until(() => w!.rx.of('msg').length === 2, 'both messages');
    expect(w.rx.of('msg').map((e) => e.body.content)).toEqual(['one', 'two']);
    expect(w.rx.problems.map((p) => [p.name, p.status, p.message])).toEqual([
      ['msg', 500, 'the handler of msg failed: database down'],
      ['msg', 500, 'the handler of msg failed: database down'],
    ]);
    // Both failed attempts and the one handled were the same callback: one webhook-id.
    expect(w.rx.problems.map((p) => p.id)).toEqual([w.rx.of('msg')[0]!.meta.id, w.rx.of('msg')[0]!.meta.id]);
  });

  it('hands over the later callbacks typed: updateRequestStatus, the agent typing as a notice, and agentsUpdate', async () => {
    w = await startSdkWorld({
      channel: { laterCallbacks: ['updateRequestStatus', 'typing', 'agentsUpdate'] },
    });
    const tpi = w.client();
    const token = (await tpi.visitorLogon({ visitorId: '1B4E28BA-2FA1-11D2-883F-0016D3CCA427' })).token!;
    const asked = await tpi.requestChat({ token, queueId: 1 });
    const sessionId = (await until(() => w!.rx.of('create')[0], 'create')).body.sessionId as number;
    const accepted = await until(() => w!.rx.of('updateRequestStatus').find((e) => e.body.requestStatus === 1), 'updateRequestStatus accepted');
    expect(accepted.body).toMatchObject({ requestId: asked.requestId, sessionId, queueLength: 0 });
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/typing`, w.agent)).status).toBe(204);
    const notice = await until(() => w!.rx.of('notice')[0], 'typing notice');
    expect(notice.body).toMatchObject({ sessionId, type: 'notice', noticeType: 5 });
    // Transferred to another agent: who has the chat now, instead of a second create.
    const b = await w.p.login('b', 'pw-b');
    expect((await w.p.api('PUT', '/api/v1/agent/status', b, { status: 'online' })).status).toBe(200);
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, w.agent, { toAgentId: 'B' })).status).toBe(200);
    const update = await until(() => w!.rx.of('agentsUpdate')[0], 'agentsUpdate');
    expect(update.body).toMatchObject({ sessionId, agents: [{ id: 'B', name: 'Agent B' }] });
    expect(w.rx.of('create')).toHaveLength(1);
    expect(w.rx.of('msg')).toEqual([]);
    expect(w.rx.problems).toEqual([]);
  });

  it('drops a repeat of a callback it handled, and refuses tampered, stale and malformed ones', async () => {
    const secret = newWebhookSecret();
    const got: unknown[] = [];
    const rx = new CallbackReceiver({ secrets: [secret], handlers: { create: (e) => void got.push(e) } });
    const app = Fastify();
    await app.register(rx.fastify, { prefix: '/ThirdPartService' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(await post(url, 'create', CREATE, { secret, id: 'cb_1' })).toEqual({ status: 200, body: { result: 1, message: 'success' } });
      expect(await post(url, 'create', CREATE, { secret, id: 'cb_1' })).toEqual({ status: 200, body: { result: 1, message: 'success; already handled' } });
      expect(got).toHaveLength(1);

      const tampered = await post(url, 'create', CREATE, { secret, id: 'cb_2', tamper: (b) => b.replace('"sessionId":42', '"sessionId":43') });
      expect(tampered.status).toBe(401);
      expect(tampered.body.result).not.toBe(1);
      const stale = await post(url, 'create', CREATE, { secret, id: 'cb_3', at: Math.floor(Date.now() / 1000) - 600 });
      expect(stale.status).toBe(401);
      const otherSecret = await post(url, 'create', CREATE, { secret: newWebhookSecret(), id: 'cb_4' });
      expect(otherSecret.status).toBe(401);
      const malformed = await post(url, 'create', JSON.stringify({ sessionId: 'x' }), { secret, id: 'cb_5' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/does not match the create callback/);
      const unknown = await post(url, 'transfer', '{}', { secret, id: 'cb_6' });
      expect(unknown.status).toBe(404);
      expect(got).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('refuses to be built without secrets unless told the channel has none', () => {
    expect(() => new CallbackReceiver({ handlers: {} })).toThrow(/webhookSecrets/);
    expect(() => new CallbackReceiver({ handlers: {}, unsigned: true })).not.toThrow();
  });
});

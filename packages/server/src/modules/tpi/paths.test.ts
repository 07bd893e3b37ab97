/**
 * The TPI under both prefixes the original's deployments served: /EliteWebChat/tpi and
 * /webchat/tpi are the same endpoint, with the same authentication and answers.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../test-support/world.js';

describe('TPI paths', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('carries a conversation at /webchat/tpi exactly as at /EliteWebChat/tpi', async () => {
    w = await startWorld({ channels: (tp) => [{ id: 'ch', key: 'a-channel-key-0123456789', callbackBase: tp, allowServerAddr: [tp] }] });
    const { p, tp } = w;
    const call = async (path: string, body: unknown, key = 'a-channel-key-0123456789') => {
      const res = await fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webchat-key': key }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> & { result: number; message: string } };
    };
    await w.online('a');
    const asked = await call('/webchat/tpi', { type: 1000, clientId: 'c1', queueId: 1 });
    expect(asked).toMatchObject({ status: 200, body: { result: 1, requestId: expect.any(Number) } });
    const create = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'c1'));
    const sessionId = create.body.sessionId as number;
    // Either path sees the same request and session.
    expect((await call('/EliteWebChat/tpi', { type: 1001, requestId: asked.body.requestId })).body.requestStatus).toBe(RequestStatus.ACCEPTED);
    expect((await call('/webchat/tpi', { type: 2001, sessionId, clientId: 'c1', text: 'hi' })).body.result).toBe(1);
    expect((await call('/webchat/tpi', { type: 4001, sessionId })).body.result).toBe(1);
    // Its refusals are the TPI's: HTTP 200 with a result code and a message.
    expect(await call('/webchat/tpi', { type: 2001, sessionId, clientId: 'c1', text: 'late' })).toMatchObject({ status: 200, body: { result: -11 } });
    expect(await call('/webchat/tpi', { type: 1000, clientId: 'c2', queueId: 1 }, 'not-the-key-of-anyone')).toMatchObject({ status: 200, body: { result: -8, message: 'unknown X-Webchat-Key' } });
    expect(await call('/webchat/tpi', { type: 9999 })).toMatchObject({ status: 200, body: { result: -8 } });
  });
});

/**
 * The test third party checks every callback against the protocol: proven here by posting it
 * good and malformed callbacks by hand, as a platform with a broken callback body would.
 */
import type { CallbackBodies } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ThirdParty } from './third-party.js';

const create: CallbackBodies['create'] = {
  result: 1,
  message: 'success',
  agentId: 'A',
  agentName: 'Ann',
  agent: { id: 'A', name: 'Ann', alias: 'Ann L.', icon: '', commonts: '' },
  clientId: 'c1',
  sessionId: 7,
  time: 1_700_000_000_000,
};
const msg: CallbackBodies['msg'] = { sessionId: 7, agentId: 'A', agentName: 'Ann', agentHeadimg: '', agentComment: '', time: 1_700_000_000_000, content: 'hi /::)', clientId: 'c1', type: 'text' };
const pushRating: CallbackBodies['pushRating'] = { sessionId: 7, agentId: 'A', clientId: 'c1' };
const close: CallbackBodies['close'] = { sessionId: 7, agentId: 'A', time: 1_700_000_000_000 };

describe('the test third party', () => {
  let tp: ThirdParty | undefined;

  afterEach(async () => {
    // A case that expected stop() to throw has stopped it already.
    await tp?.stop().catch(() => undefined);
    tp = undefined;
  });

  async function post(path: string, body: unknown): Promise<{ status: number; answer: unknown }> {
    const res = await fetch(tp!.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, answer: await res.json() };
  }

  it('takes every callback of the protocol, and stops cleanly', async () => {
    tp = new ThirdParty();
    await tp.start();
    for (const [name, body] of Object.entries({ create, msg, pushRating, close })) {
      expect(await post(`/ThirdPartService/${name}`, body)).toEqual({ status: 200, answer: { result: 1, message: 'success' } });
    }
    // Optional fields may be left out, and fields the schema does not name are not its business.
    expect((await post('/ThirdPartService/msg', { ...msg, clientId: undefined, type: undefined, extra: true })).status).toBe(200);
    expect(tp.violations).toEqual([]);
    expect(tp.delivered.map((c) => c.name)).toEqual(['create', 'msg', 'pushRating', 'close', 'msg']);
    const stopping = tp;
    tp = undefined;
    await expect(stopping.stop()).resolves.toBeUndefined();
  });

  it('records each malformed callback as a violation, still answers it, and fails stop() naming each', async () => {
    tp = new ThirdParty();
    await tp.start();
    const { agent: _agent, ...createWithoutAgent } = create;
    const malformed: [string, unknown][] = [
      ['/ThirdPartService/create', createWithoutAgent],
      ['/ThirdPartService/msg', { ...msg, sessionId: '7' }],
      ['/ThirdPartService/close', { ...close, time: 1.5 }],
      ['/ThirdPartService/pushRating', { ...pushRating, sessionId: 0 }],
      ['/ThirdPartService/create', { ...create, result: 0 }],
      ['/ThirdPartService/transfer', { sessionId: 7 }],
      ['/somewhere/else', msg],
      ['/ThirdPartService/msg', '{"sessionId": 7,'],
      ['/ThirdPartService/close', '[]'],
    ];
    for (const [path, body] of malformed) expect((await post(path, body)).status).toBe(200);
    expect(tp.received).toHaveLength(malformed.length);
    expect(tp.violations).toHaveLength(malformed.length);

    const stopping = tp;
    tp = undefined;
    const error = await stopping.stop().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    const lines = error!.message.split('\n');
    expect(lines[0]).toBe(`the test third party received ${malformed.length} malformed callback(s):`);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^- create: body does not match the protocol \(.*agent/),
      expect.stringMatching(/^- msg: body does not match the protocol \(\/sessionId .*\): .*"sessionId":"7"/),
      expect.stringMatching(/^- close: body does not match the protocol \(\/time /),
      expect.stringMatching(/^- pushRating: body does not match the protocol \(\/sessionId /),
      expect.stringMatching(/^- create: body does not match the protocol \(\/result /),
      expect.stringMatching(/^- POST \/ThirdPartService\/transfer: not a callback of the protocol/),
      expect.stringMatching(/^- POST \/somewhere\/else: not a callback of the protocol/),
      expect.stringMatching(/^- msg: body is not JSON: \{"sessionId": 7,$/),
      expect.stringMatching(/^- close: body does not match the protocol .*: \[\]$/),
    ]);
  });

  it('fails stop() for a single malformed callback among good ones', async () => {
    tp = new ThirdParty();
    await tp.start();
    await post('/ThirdPartService/create', create);
    await post('/ThirdPartService/msg', { ...msg, content: 42 });
    await post('/ThirdPartService/close', close);
    const stopping = tp;
    tp = undefined;
    await expect(stopping.stop()).rejects.toThrow(/received 1 malformed callback\(s\):\n- msg: body does not match the protocol \(\/content /);
  });
});

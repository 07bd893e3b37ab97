/** Every request state a third party can see in 1001, each reached the way it happens in life. */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { eventually, manualClock, testConfig, type TestPlatform } from '../../test-support/platform.js';
import type { ThirdParty } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

// Monday 2026-11-23 17:58 in Shanghai: two minutes before queue 2 closes.
const MONDAY_1758 = Date.parse('2026-11-23T09:58:00Z');

describe('request states', () => {
  let w: World | undefined;
  let tp: ThirdParty;
  let p: TestPlatform;
  const clock = manualClock(MONDAY_1758);

  async function start() {
    clock.set(MONDAY_1758);
    w = await startWorld({
      clock: clock.now,
      queues: [
        { id: 1, name: 'short wait', maxWaitSeconds: 30, whenNoAgentOnline: 'wait' },
        { id: 2, name: 'closes at 18:00', hours: { mon: ['09:00-18:00'] }, maxWaitSeconds: 3600, whenNoAgentOnline: 'wait' },
        { id: 3, name: 'refuses', maxWaitSeconds: 3600, whenNoAgentOnline: 'refuse' },
      ],
      agents: [agent('A', { queues: [1, 2], maxChats: 1 }), agent('B', { queues: [3], maxChats: 1 }), agent('C', { queues: [3], maxChats: 1 })],
    });
    ({ p, tp } = w);
  }

  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  const status = async (requestId: unknown) => (await p.tpi({ type: 1001, requestId })).requestStatus;

  it('WAITING → TIMEOUT once the queue\'s maximum wait has passed', async () => {
    await start();
    const { requestId, queueLength } = await p.tpi({ type: 1000, clientId: 'slow', queueId: 1 });
    expect(queueLength).toBe(1);
    expect(await status(requestId)).toBe(RequestStatus.WAITING);
    clock.advance(29_000);
    await p.platform.sweeper.sweep();
    expect(await status(requestId)).toBe(RequestStatus.WAITING);
    clock.advance(1_000);
    await eventually(async () => (await status(requestId)) === RequestStatus.TIMEOUT, 5_000, 'TIMEOUT');
    // Final: an agent coming online now does not resurrect it.
    await w!.online('a');
    await p.platform.router.wake();
    expect(await status(requestId)).toBe(RequestStatus.TIMEOUT);
    expect(tp.received).toEqual([]);
  });

  it('WAITING → OFF_HOUR when the queue\'s hours end while it waits', async () => {
    await start();
    const { requestId } = await p.tpi({ type: 1000, clientId: 'late', queueId: 2 });
    expect(await status(requestId)).toBe(RequestStatus.WAITING);
    clock.advance(2 * 60_000); // 18:00
    await eventually(async () => (await status(requestId)) === RequestStatus.OFF_HOUR, 5_000, 'OFF_HOUR');
  });

  it('WAITING → NO_AGENT_ONLINE when every agent of a refusing queue leaves', async () => {
    await start();
    const b = await w!.online('b');
    const c = await w!.online('c');
    // Fill both agents so that a third request waits.
    const first = await p.tpi({ type: 1000, clientId: 'x1', queueId: 3 });
    const second = await p.tpi({ type: 1000, clientId: 'x2', queueId: 3 });
    await tp.waitFor(() => tp.ofName('create').length === 2);
    const third = await p.tpi({ type: 1000, clientId: 'x3', queueId: 3 });
    expect(third).toMatchObject({ result: 1, queueLength: 1 });
    expect(await status(first.requestId)).toBe(RequestStatus.ACCEPTED);
    expect(await status(second.requestId)).toBe(RequestStatus.ACCEPTED);
    await p.api('PUT', '/api/v1/agent/status', b, { status: 'offline' });
    await p.platform.sweeper.sweep();
    expect(await status(third.requestId)).toBe(RequestStatus.WAITING);
    await p.api('PUT', '/api/v1/agent/status', c, { status: 'away' });
    await eventually(async () => (await status(third.requestId)) === RequestStatus.NO_AGENT_ONLINE, 5_000, 'NO_AGENT_ONLINE');
  });

  it('WAITING → CANCELED_BY_CLIENT (1002), and ACCEPTED when an agent takes it', async () => {
    await start();
    const gone = await p.tpi({ type: 1000, clientId: 'gone', queueId: 1 });
    const stays = await p.tpi({ type: 1000, clientId: 'stays', queueId: 1 });
    expect(stays.queueLength).toBe(2);
    expect((await p.tpi({ type: 1002, requestId: gone.requestId })).result).toBe(1);
    expect(await status(gone.requestId)).toBe(RequestStatus.CANCELED_BY_CLIENT);
    // The queue moved up.
    expect((await p.tpi({ type: 1001, requestId: stays.requestId })).queueLength).toBe(1);
    await w!.online('a');
    await eventually(async () => (await status(stays.requestId)) === RequestStatus.ACCEPTED, 5_000, 'ACCEPTED');
    // The create callback follows the acceptance; it goes to the one accepted customer only.
    await tp.waitFor(() => tp.received.length > 0);
    expect(tp.received.map((c) => c.body.clientId)).toEqual(['stays']);
    // Cancelling an accepted request is refused with a pointer to 4001.
    const late = await p.tpi({ type: 1002, requestId: stays.requestId });
    expect(late.result).toBe(-10);
    expect(late.message).toMatch(/already accepted .* 4001/);
  });

  it('keeps waiting requests waiting across a restart of the platform on the same store', async () => {
    await start();
    const { requestId } = await p.tpi({ type: 1000, clientId: 'patient', queueId: 1 });
    await p.tpi({ type: 2005, requestId, text: '还在吗' });
    // The store outlives the platform: build a second one on it.
    await p.platform.close();
    const again = await buildApp(testConfig(p.store), { clock: clock.now });
    await again.start();
    const row = await again.store.db.selectFrom('chat_requests').select('status').where('id', '=', requestId as number).executeTakeFirstOrThrow();
    expect(row.status).toBe(RequestStatus.WAITING);
    const pre = await again.store.db.selectFrom('messages').select('text').where('request_id', '=', requestId as number).execute();
    expect(pre.map((m) => m.text)).toEqual(['还在吗']);
    await again.close();
    // Closing the world would close the first platform twice; drop the store only.
    const { store } = p;
    w!.p = { ...p, close: () => store.drop() };
  });
});

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
        { id: 4, name: 'drops the silent', maxWaitSeconds: 3600, whenNoAgentOnline: 'wait', dropAfterSilentSeconds: 60 },
      ],
      agents: [agent('A', { queues: [1, 2, 4], maxChats: 1 }), agent('B', { queues: [3], maxChats: 1 }), agent('C', { queues: [3], maxChats: 1 })],
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

  it('WAITING → DROPPED when the third party goes silent, never while it polls or writes', async () => {
    await start();
    const silent = await p.tpi({ type: 1000, clientId: 'silent', queueId: 4 });
    const polling = await p.tpi({ type: 1000, clientId: 'polling', queueId: 4 });
    const writing = await p.tpi({ type: 1000, clientId: 'writing', queueId: 4 });
    clock.advance(40_000);
    const asked = await p.tpi({ type: 1001, requestId: polling.requestId });
    expect(asked, JSON.stringify(asked)).toMatchObject({ requestStatus: RequestStatus.WAITING });
    expect((await p.tpi({ type: 2005, requestId: writing.requestId, text: 'still here' })).result).toBe(1);
    clock.advance(20_000); // 60 s after the 1000s: the silent one goes
    await p.platform.sweeper.sweep();
    const dropped = await p.tpi({ type: 1001, requestId: silent.requestId });
    expect(dropped).toMatchObject({ requestStatus: RequestStatus.DROPPED, queueLength: 0 });
    expect(dropped.message).toContain('dropAfterSilentSeconds');
    // The others were heard from 40 s ago (and the poll just now), so they wait on, and keep their places.
    expect(await p.tpi({ type: 1001, requestId: polling.requestId })).toMatchObject({ requestStatus: RequestStatus.WAITING, queueLength: 1 });
    expect(await p.tpi({ type: 1001, requestId: writing.requestId })).toMatchObject({ requestStatus: RequestStatus.WAITING, queueLength: 2 });
    clock.advance(61_000);
    await p.platform.sweeper.sweep();
    expect(await status(polling.requestId)).toBe(RequestStatus.DROPPED);
    // Counted, and no longer occupying the queue.
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metrics).toMatch(/webchat_requests_ended_total\{[^}]*state="DROPPED"[^}]*\} 3/);
    expect((await p.tpi({ type: 1000, clientId: 'next', queueId: 4 })).queueLength).toBe(1);
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

/**
 * The estimated wait a third party is told (1000 and 1001) and the board shows, from a history
 * scripted with a test clock through the real TPI: agent A goes online at chosen instants, so
 * that every waiting request is accepted at that instant (docs/tpi.md, "Estimated wait").
 */
import { RequestStatus, type Board } from '@elitewebchat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, manualClock, type TestPlatform } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';
import type { Db } from '../../db/database.js';
import { WaitEstimator } from './wait-estimate.js';

// Monday 2026-11-23 10:00 in Shanghai.
const T0 = Date.parse('2026-11-23T02:00:00Z');
/** The instant `s` seconds after T0. */
const at = (s: number) => T0 + s * 1000;

describe('estimated wait', () => {
  let w: World;
  let p: TestPlatform;
  let a: string;
  let sup: string;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    w = await startWorld({
      clock: clock.now,
      // The history spans hours of the test clock: tokens must outlive it.
      config: { tokenTtlMs: 24 * 3600_000 },
      queues: [
        { id: 1, name: 'q', whenNoAgentOnline: 'wait', maxWaitSeconds: 86_400 },
        { id: 2, name: 'other', whenNoAgentOnline: 'wait', maxWaitSeconds: 86_400 },
      ],
      agents: [
        agent('A', { maxChats: 100 }),
        // Keeps queue 2 open to requests; never online.
        agent('B', { queues: [2] }),
        agent('SUP', { role: 'supervisor', queues: [] }),
      ],
    });
    ({ p } = w);
    a = await w.login('a');
    sup = await w.login('sup');
  });

  afterEach(async () => {
    await w.close();
  });

  const ask = async (clientId: string, queueId = 1) => {
    const answer = await p.tpi({ type: 1000, clientId, queueId });
    expect(answer.result, JSON.stringify(answer)).toBe(1);
    return answer;
  };
  const poll = (requestId: unknown) => p.tpi({ type: 1001, requestId });
  const waitingIn = async (queueId: number) =>
    Number((await p.platform.store.db.selectFrom('chat_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('queue_id', '=', queueId).where('status', '=', RequestStatus.WAITING).executeTakeFirstOrThrow()).n);
  /** At `s`, A comes online, takes every request waiting in queue 1, and goes offline again. */
  const acceptAllAt = async (s: number) => {
    clock.set(at(s));
    await w.status(a, 'online');
    await eventually(async () => (await waitingIn(1)) === 0, 10_000, `queue 1 emptied at ${s} s`);
    await w.status(a, 'offline');
  };
  const boardQueue = async (id: number) => {
    const res = await p.api<Board>('GET', '/api/v1/supervisor/board', sup);
    expect(res.status).toBe(200);
    return res.body.queues.find((q) => q.id === id)!;
  };

  it('tells third parties and the board the wait the queue\'s recent acceptances predict', async () => {
    // No history: the place, and no estimate.
    const c1 = await ask('c1');
    expect(c1).toEqual({ result: 1, message: 'success', requestId: c1.requestId, queueLength: 1 });
    expect(await poll(c1.requestId)).toEqual({ result: 1, message: 'success', requestStatus: RequestStatus.WAITING, queueLength: 1 });
    expect(await boardQueue(1)).toMatchObject({ waiting: 1, estimatedWaitSeconds: null });

    // One acceptance: c1 waited 90 s, so a place is worth 90 s.
    await acceptAllAt(90);
    expect(await poll(c1.requestId)).toEqual({ result: 1, message: 'success', requestStatus: RequestStatus.ACCEPTED, queueLength: 0 });
    clock.set(at(100));
    const c2 = await ask('c2');
    expect(c2).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 90 });
    const c3 = await ask('c3');
    expect(c3).toMatchObject({ queueLength: 2, estimatedWaitSeconds: 180 });
    expect(await poll(c3.requestId)).toEqual({ result: 1, message: 'success', requestStatus: RequestStatus.WAITING, queueLength: 2, estimatedWaitSeconds: 180 });
    // The board: what a third request would be told.
    expect(await boardQueue(1)).toMatchObject({ waiting: 2, estimatedWaitSeconds: 270 });
    // Only the queue's own acceptances count: queue 2 has none.
    const other = await ask('o1', 2);
    expect(other).toEqual({ result: 1, message: 'success', requestId: other.requestId, queueLength: 1 });
    expect(await boardQueue(2)).toMatchObject({ waiting: 1, estimatedWaitSeconds: null });

    // Acceptances at 90, 400 and 400 s: 310 s over 2 gaps, 155 s a place.
    await acceptAllAt(400);
    clock.set(at(420));
    const c4 = await ask('c4');
    expect(c4).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 155 });
    // A continued session waits for nothing.
    const again = await ask('c2');
    expect(again).toEqual({ result: 1, message: 'success', requestId: again.requestId, queueLength: 0, continueLastSession: true });

    // Read at 460, then c4 accepted at 460 (waited 40 s): 90, 400, 400, 460 make 370 s over 3 gaps.
    clock.set(at(460));
    expect(await poll(c4.requestId)).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 155 });
    await acceptAllAt(460);
    const c4Accepted = await poll(c4.requestId);
    expect(c4Accepted).toEqual({ result: 1, message: 'success', requestStatus: RequestStatus.ACCEPTED, queueLength: 0 });
    // Within 2 s of the clock the queue's last reading stands …
    const c5 = await ask('c5');
    expect(c5).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 155 });
    expect(await boardQueue(1)).toMatchObject({ waiting: 1, estimatedWaitSeconds: 310 });
    // … then the new acceptance counts: 123.3 s a place, rounded up once.
    clock.set(at(462));
    expect(await poll(c5.requestId)).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 124 });
    expect(await boardQueue(1)).toMatchObject({ waiting: 1, estimatedWaitSeconds: 247 });

    // The last 60 minutes: c1's acceptance (at 90 s) counts while it is at most an hour old …
    clock.set(at(90 + 3600));
    expect(await poll(c5.requestId)).toMatchObject({ estimatedWaitSeconds: 124 });
    // … then 400, 400 and 460 s remain: 60 s over 2 gaps.
    clock.set(at(90 + 3600 + 2));
    expect(await poll(c5.requestId)).toMatchObject({ estimatedWaitSeconds: 30 });
    // One left (c4, accepted at 460 s after 40 s of waiting): a place is worth its wait.
    clock.set(at(400 + 3600 + 2));
    expect(await poll(c5.requestId)).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 40 });
    expect(await boardQueue(1)).toMatchObject({ waiting: 1, estimatedWaitSeconds: 80 });
    // None left: unknown again.
    clock.set(at(460 + 3600 + 2));
    expect(await poll(c5.requestId)).toEqual({ result: 1, message: 'success', requestStatus: RequestStatus.WAITING, queueLength: 1 });
    expect(await boardQueue(1)).toMatchObject({ waiting: 1, estimatedWaitSeconds: null });
  });

  it('counts at most the 20 most recent acceptances', async () => {
    // 22 acceptances: 0 s, 100 s, 200 s, then 19 every 10 s from 210 s to 390 s.
    const instants = [0, 100, 200, ...Array.from({ length: 19 }, (_, i) => 210 + 10 * i)];
    for (const [i, s] of instants.entries()) {
      clock.set(at(s));
      await ask(`h${i}`);
      await acceptAllAt(s);
    }
    clock.set(at(400));
    // The 20 most recent span 200 … 390 s: 190 s over 19 gaps, 10 s a place (all 22: 18.6 s; 21: 14.5 s).
    const next = await ask('next');
    expect(next).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 10 });
    const after = await ask('after');
    expect(after).toMatchObject({ queueLength: 2, estimatedWaitSeconds: 20 });
    expect(await boardQueue(1)).toMatchObject({ waiting: 2, estimatedWaitSeconds: 30 });
    // Not waiting any more: no estimate.
    await p.tpi({ type: 1002, requestId: next.requestId });
    expect(await poll(next.requestId)).toEqual({ result: 1, message: 'success; ended: cancelled by the client (1002)', requestStatus: RequestStatus.CANCELED_BY_CLIENT, queueLength: 0 });
    expect(await poll(after.requestId)).toMatchObject({ queueLength: 1, estimatedWaitSeconds: 10 });
  });

  it('reads a queue\'s history once for a burst of estimates, and again 2 s of the clock later', async () => {
    clock.set(at(0));
    await ask('b1');
    await acceptAllAt(30);
    // The store, counting the histories read.
    const db = p.platform.store.db;
    let reads = 0;
    const counting = new Proxy(db, {
      get: (target, key, receiver) =>
        key === 'selectFrom'
          ? (...args: Parameters<Db['selectFrom']>) => {
              reads += 1;
              return target.selectFrom(...args);
            }
          : (Reflect.get(target, key, receiver) as unknown),
    });
    const estimator = new WaitEstimator(counting, clock.now);
    // 50 at once, alternating queue 1 (b1 waited 30 s: 30 s a place) and queue 2 (no history).
    const asked = Array.from({ length: 50 }, (_, i) => ({ queueId: i % 2 === 0 ? 1 : 2, place: 1 + (i % 5) }));
    const burst = await Promise.all(asked.map(({ queueId, place }) => estimator.estimate(queueId, place)));
    expect(reads, 'one read per queue').toBe(2);
    expect(burst).toEqual(asked.map(({ queueId, place }) => (queueId === 1 ? 30 * place : null)));
    // Place 0 asks nothing.
    expect(await estimator.estimate(1, 0)).toBe(0);
    clock.advance(1_999);
    expect(await estimator.estimate(1, 1)).toBe(30);
    expect(reads).toBe(2);
    clock.advance(1);
    expect(await estimator.estimate(1, 1)).toBe(30);
    expect(reads).toBe(3);
  });
});

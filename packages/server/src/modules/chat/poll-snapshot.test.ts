/**
 * A 1001 answer never contradicts itself: WAITING always comes with a place (≥ 1), any other
 * state with 0, even while the router accepts requests between the polls.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

describe('1001 while requests are routed', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('answers a state and a place read together', { timeout: 120_000 }, async () => {
    w = await startWorld({
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', maxLength: 1000 }],
      agents: ['A', 'B', 'C'].map((id) => agent(id, { maxChats: 100 })),
    });
    const world = w;
    const platform = w.p;
    const requests: number[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await platform.tpi({ type: 1000, clientId: `c${i}`, queueId: 1 });
      expect(answer.result).toBe(1);
      requests.push(answer.requestId as number);
    }

    const answers: { requestStatus: number; queueLength: number }[] = [];
    let routing = true;
    // Each poller watches the edge of the queue: the oldest requests it has not yet seen
    // accepted, which is where the router is about to act.
    const poller = async (lane: number) => {
      let edge = 0;
      for (let n = 0; routing || n < 30; n++) {
        const i = Math.min(edge + (n % 3) + lane, requests.length - 1);
        const answer = await platform.tpi({ type: 1001, requestId: requests[i] });
        answers.push({ requestStatus: answer.requestStatus as number, queueLength: answer.queueLength as number });
        if (answer.requestStatus === RequestStatus.ACCEPTED && i === edge + lane) edge = Math.min(edge + 1, requests.length - 1);
      }
    };
    const polling = Promise.all([0, 0, 1, 2].map(poller));
    // The agents come online one by one, each waking the router while the polls go on.
    for (const id of ['a', 'b', 'c']) await world.online(id);
    await eventually(async () => {
      const res = await platform.tpi({ type: 1001, requestId: requests.at(-1) });
      return res.requestStatus === RequestStatus.ACCEPTED;
    }, 60_000, 'every request routed');
    routing = false;
    await polling;

    const waiting = answers.filter((a) => a.requestStatus === RequestStatus.WAITING);
    const accepted = answers.filter((a) => a.requestStatus === RequestStatus.ACCEPTED);
    // The polls saw both sides of the routing, so the check below means something.
    expect(waiting.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(answers.filter((a) => (a.requestStatus === RequestStatus.WAITING) !== a.queueLength > 0)).toEqual([]);
  });
});

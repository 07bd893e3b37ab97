/** Routing as the third party and agents see it: who gets which chat, and when. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, type TestPlatform } from '../../test-support/platform.js';
import type { ThirdParty } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

describe('routing', () => {
  let w: World;
  let tp: ThirdParty;
  let p: TestPlatform;
  const tokens: Record<string, string> = {};

  beforeEach(async () => {
    w = await startWorld({
      queues: [
        { id: 1, name: 'sales', whenNoAgentOnline: 'wait' },
        { id: 2, name: 'support', whenNoAgentOnline: 'wait' },
      ],
      agents: [agent('A', { maxChats: 2 }), agent('B', { queues: [1, 2], maxChats: 2 })],
    });
    ({ p, tp } = w);
    for (const u of ['a', 'b']) tokens[u] = await w.login(u);
  });

  afterEach(async () => {
    await w.close();
  });

  const online = (u: string) => p.api('PUT', '/api/v1/agent/status', tokens[u], { status: 'online' });
  const assignedTo = (clientId: string) => tp.ofName('create').find((c) => c.body.clientId === clientId)?.body.agentId;

  it('serves the oldest request first when capacity appears, and never past maxChats', async () => {
    const ids = [];
    for (const c of ['c1', 'c2', 'c3']) ids.push((await p.tpi({ type: 1000, clientId: c, queueId: 1 })).requestId);
    expect((await p.tpi({ type: 1001, requestId: ids[2] })).queueLength).toBe(3);
    await online('a');
    await tp.waitFor(() => tp.ofName('create').length === 2);
    expect(tp.ofName('create').map((c) => [c.body.clientId, c.body.agentId])).toEqual([
      ['c1', 'A'],
      ['c2', 'A'],
    ]);
    // A is full: c3 waits, now first in line.
    await p.platform.router.wake();
    expect(await p.tpi({ type: 1001, requestId: ids[2] })).toMatchObject({ requestStatus: 0, queueLength: 1 });
    // A chat ends: capacity appears, c3 is served.
    const sessionId = tp.ofName('create')[0]!.body.sessionId as number;
    await p.api('POST', `/api/v1/agent/sessions/${sessionId}/close`, tokens.a);
    await eventually(() => assignedTo('c3'), 5_000, 'c3 routed');
    expect(assignedTo('c3')).toBe('A');
  });

  it('gives a new request to the online agent of its queue with the fewest open chats', async () => {
    await online('a');
    await p.tpi({ type: 1000, clientId: 'c1', queueId: 1 });
    await eventually(() => assignedTo('c1'));
    await online('b');
    // A has 1 open, B has 0: B takes the next one, then they are level and A has been idle longer.
    await p.tpi({ type: 1000, clientId: 'c2', queueId: 1 });
    await eventually(() => assignedTo('c2'));
    expect(assignedTo('c2')).toBe('B');
    await p.tpi({ type: 1000, clientId: 'c3', queueId: 1 });
    await eventually(() => assignedTo('c3'));
    expect(assignedTo('c3')).toBe('A');
    // Queue 2 is B's alone.
    await p.tpi({ type: 1000, clientId: 'c4', queueId: 2 });
    await eventually(() => assignedTo('c4'));
    expect(assignedTo('c4')).toBe('B');
  });

  it('does not route to agents who are away or offline', async () => {
    await p.api('PUT', '/api/v1/agent/status', tokens.a, { status: 'away' });
    const { requestId } = await p.tpi({ type: 1000, clientId: 'c1', queueId: 1 });
    await p.platform.router.wake();
    expect((await p.tpi({ type: 1001, requestId })).requestStatus).toBe(0);
    await online('a');
    await eventually(() => assignedTo('c1'), 5_000, 'routed once online');
  });
});

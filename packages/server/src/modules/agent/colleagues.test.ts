/** Whom an agent can transfer a chat to: the other agents of their queues, with status and load. */
import { afterEach, describe, expect, it } from 'vitest';
import { agent, startWorld, type World } from '../../test-support/world.js';

describe('GET /api/v1/agent/colleagues', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('lists the other enabled agents sharing a queue with me, with the queues we share, status, chats and offers', async () => {
    w = await startWorld({
      queues: [
        { id: 1, name: 'auto', whenNoAgentOnline: 'wait' },
        { id: 2, name: 'offered', assignment: 'offer', offerTimeoutSeconds: 600, whenNoAgentOnline: 'wait' },
        { id: 3, name: 'elsewhere', whenNoAgentOnline: 'wait' },
      ],
      agents: [
        agent('A', { queues: [1, 2], alias: 'Alice', maxChats: 3 }),
        agent('B', { queues: [1], maxChats: 4 }),
        agent('C', { queues: [2], maxChats: 2 }),
        // Shares nothing with A; and one who left.
        agent('D', { queues: [3] }),
        agent('E', { queues: [1, 2], enabled: false }),
      ],
    });
    const { p } = w;
    const a = await w.login('a');
    const b = await w.online('b');
    await w.online('c');
    // B gets a chat of queue 1, C is offered one of queue 2.
    await w.openChat('for-b', 1);
    await p.tpi({ type: 1000, clientId: 'for-c', queueId: 2 });
    await expect.poll(async () => (await p.api<{ offers: unknown[] }>('GET', '/api/v1/agent/offers', await w!.login('c'))).body.offers.length).toBe(1);

    const mine = await p.api<{ colleagues: unknown[] }>('GET', '/api/v1/agent/colleagues', a);
    expect(mine.status).toBe(200);
    expect(mine.body.colleagues).toEqual([
      { id: 'B', name: 'B', alias: expect.any(String), status: 'online', openChats: 1, openOffers: 0, maxChats: 4, queueIds: [1] },
      { id: 'C', name: 'C', alias: expect.any(String), status: 'online', openChats: 0, openOffers: 1, maxChats: 2, queueIds: [2] },
    ]);
    // From B's side: A (offline), by the one queue they share.
    const theirs = await p.api<{ colleagues: { id: string; status: string; queueIds: number[]; alias: string }[] }>('GET', '/api/v1/agent/colleagues', b);
    expect(theirs.body.colleagues).toEqual([expect.objectContaining({ id: 'A', alias: 'Alice', status: 'offline', queueIds: [1] })]);
    // Agents only.
    expect((await p.api('GET', '/api/v1/agent/colleagues')).status).toBe(401);
  });
});

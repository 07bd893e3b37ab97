/** Supervisors see the live board and may watch any chat, read-only. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, type TestPlatform } from '../../test-support/platform.js';
import type { ThirdParty } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';
import { startOfDay } from './board.js';

interface Board {
  queues: { id: number; waiting: number; longestWaitMs: number; agentsOnline: number; load: { open: number; capacity: number } }[];
  agents: { id: string; status: string; openChats: number }[];
  today: { requestsByState: Record<string, number>; averageWaitMs: number | null; ratings: { count: number; byRatingId: Record<string, number> } };
}

describe('supervisor', () => {
  let w: World;
  let tp: ThirdParty;
  let p: TestPlatform;

  beforeEach(async () => {
    w = await startWorld({
      queues: [
        { id: 1, name: 'q1', whenNoAgentOnline: 'wait' },
        { id: 2, name: 'q2', whenNoAgentOnline: 'wait' },
      ],
      agents: [{ id: 'SUP', username: 'sup', password: 'pw', name: 'Sup', role: 'supervisor' }, agent('A', { maxChats: 2 }), agent('B', { queues: [2] })],
    });
    ({ p, tp } = w);
  });

  afterEach(async () => {
    await w.close();
  });

  it('shows queues, agents and today on the board', async () => {
    const sup = await w.login('sup');
    const a = await w.login('a');
    expect((await p.api('GET', '/api/v1/supervisor/board', a)).status).toBe(403);
    expect((await p.tpi({ type: 1000, clientId: 'w1', queueId: 2 })).result).toBe(1);
    const cancelled = await p.tpi({ type: 1000, clientId: 'w2', queueId: 2 });
    await p.tpi({ type: 1002, requestId: cancelled.requestId });
    await p.api('PUT', '/api/v1/agent/status', a, { status: 'online' });
    await p.tpi({ type: 1000, clientId: 'c1', queueId: 1 });
    const sessionId = (await tp.waitFor(() => tp.ofName('create')[0])).body.sessionId as number;
    await p.tpi({ type: 5001, sessionId, ratingId: 3, ratingComments: 'ok' });

    const board = (await p.api<Board>('GET', '/api/v1/supervisor/board', sup)).body;
    expect(board.queues).toMatchObject([
      { id: 1, waiting: 0, agentsOnline: 1, load: { open: 1, capacity: 2 } },
      { id: 2, waiting: 1, agentsOnline: 0, load: { open: 0, capacity: 0 } },
    ]);
    expect(board.queues[1]!.longestWaitMs).toBeGreaterThanOrEqual(0);
    expect(board.agents.find((x) => x.id === 'A')).toMatchObject({ status: 'online', openChats: 1 });
    expect(board.today.requestsByState).toEqual({ WAITING: 1, CANCELED_BY_CLIENT: 1, ACCEPTED: 1 });
    expect(board.today.averageWaitMs).not.toBeNull();
    expect(board.today.ratings).toEqual({ count: 1, byRatingId: { '3': 1 } });
  });

  it('watches any open chat read-only, live', async () => {
    const sup = await w.login('sup');
    const a = await w.login('a');
    await p.api('PUT', '/api/v1/agent/status', a, { status: 'online' });
    await p.tpi({ type: 1000, clientId: 'c1', queueId: 1 });
    const sessionId = (await tp.waitFor(() => tp.ofName('create')[0])).body.sessionId as number;

    const open = await p.api<{ sessions: { id: number }[] }>('GET', '/api/v1/supervisor/sessions', sup);
    expect(open.body.sessions.map((s) => s.id)).toEqual([sessionId]);
    const feed = await w.feed(sup);
    expect(await feed.socket.emitWithAck('session.watch', { sessionId })).toEqual({ ok: true });
    expect(await feed.socket.emitWithAck('session.watch', { sessionId: 999 })).toEqual({ ok: false, error: 'no session 999' });
    await p.tpi({ type: 2001, sessionId, clientId: 'c1', text: '被看见' });
    expect(await feed.waitFor((e) => e.name === 'chat.message')).toMatchObject({ sessionId, text: '被看见' });
    // A change of the board while the supervisor is connected (a customer starts waiting) is told.
    await p.tpi({ type: 1000, clientId: 'c2', queueId: 1 });
    await eventually(() => feed.of('board.changed').length > 0, 5_000, 'board.changed');
    // Read-only: a supervisor cannot write into another agent's session.
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, sup, { text: 'hi' })).status).toBe(404);
    // An agent may not watch.
    const agentFeed = await w.feed(a);
    expect(await agentFeed.socket.emitWithAck('session.watch', { sessionId })).toMatchObject({ ok: false });
  });

  it('starts "today" at midnight in the report time zone', () => {
    const now = Date.parse('2026-11-23T20:30:15.250Z'); // 04:30 on the 24th in Shanghai
    expect(new Date(startOfDay(now, 'Asia/Shanghai')).toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(new Date(startOfDay(now, 'UTC')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});

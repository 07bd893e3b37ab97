/**
 * A manual queue: nothing is routed; its agents see what waits and take it by hand, and when
 * many take the same request at once exactly one gets it.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { agent, startWorld, type World } from '../../test-support/world.js';

const AGENTS = Array.from({ length: 20 }, (_, i) => `M${String(i + 1).padStart(2, '0')}`);

describe('manual queues', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('routes nothing, lists what waits to its agents, and gives each request to exactly one of twenty who take it at once', async () => {
    w = await startWorld({
      queues: [
        { id: 1, name: 'auto', whenNoAgentOnline: 'wait' },
        { id: 5, name: 'by hand', assignment: 'manual', whenNoAgentOnline: 'wait' },
      ],
      agents: [...AGENTS.map((id) => agent(id, { queues: [5], maxChats: 100 })), agent('X', { queues: [1] })],
    });
    const { p, tp } = w;
    const tokens = await Promise.all(AGENTS.map((id) => w!.online(id.toLowerCase())));

    // Online agents with room, and still nothing is routed.
    const first = await p.tpi({ type: 1000, clientId: 'c-first', nickname: 'First', queueId: 5 });
    await p.tpi({ type: 2005, requestId: first.requestId, text: 'hello?' });
    await p.platform.router.wake();
    expect((await p.tpi({ type: 1001, requestId: first.requestId })).requestStatus).toBe(RequestStatus.WAITING);
    const listed = await p.api<{ requests: { requestId: number; place: number; preMessages: number; nickname: string }[] }>('GET', '/api/v1/agent/queue', tokens[0]);
    expect(listed.body.requests).toEqual([expect.objectContaining({ requestId: first.requestId, place: 1, preMessages: 1, nickname: 'First' })]);
    // Not in the queue: not listed, and not taken.
    const outsider = await w.online('x');
    expect((await p.api<{ requests: unknown[] }>('GET', '/api/v1/agent/queue', outsider)).body.requests).toEqual([]);
    expect((await p.api('POST', `/api/v1/agent/queue/${first.requestId}/take`, outsider)).status).toBe(404);

    const ROUNDS = 100;
    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { requestId } = round === 0 ? first : await p.tpi({ type: 1000, clientId: `c-${round}`, queueId: 5 });
      const answers = await Promise.all(tokens.map((token) => p.api<{ agentId?: string; requestId?: number; error?: { code: string; message: string } }>('POST', `/api/v1/agent/queue/${requestId}/take`, token)));
      const won = answers.filter((a) => a.status === 200);
      expect(won, `round ${round}: ${JSON.stringify(answers.map((a) => a.status))}`).toHaveLength(1);
      expect(won[0]!.body.requestId).toBe(requestId);
      for (const lost of answers.filter((a) => a.status !== 200)) {
        expect(lost.status).toBe(409);
        expect(lost.body.error!.message).toBe(`request ${requestId} was taken by ${won[0]!.body.agentId} first`);
      }
      winners.push(won[0]!.body.agentId!);
    }
    // One session and one create callback per request: nothing given twice.
    const db = p.platform.store.db;
    const sessions = await db.selectFrom('sessions').select(['id', 'request_id', 'agent_id']).where('queue_id', '=', 5).execute();
    expect(sessions).toHaveLength(ROUNDS);
    expect(new Set(sessions.map((s) => s.request_id)).size).toBe(ROUNDS);
    await tp.waitFor(() => tp.ofName('create').length >= ROUNDS || undefined);
    expect(new Set(tp.ofName('create').map((c) => c.body.sessionId)).size).toBe(ROUNDS);
    expect(tp.ofName('create')).toHaveLength(ROUNDS);
    // The pre-message went with the first one, to whoever took it.
    const firstSession = sessions.find((s) => s.request_id === first.requestId)!;
    expect(firstSession.agent_id).toBe(winners[0]);
    const view = await p.api<{ messages: { kind: string; text?: string }[] }>('GET', `/api/v1/agent/sessions/${firstSession.id}`, tokens[AGENTS.indexOf(winners[0]!)]);
    expect(view.body.messages[0]).toMatchObject({ kind: 'pre', text: 'hello?' });
  });

  it('answers 409 for an auto queue and an agent who is not online', async () => {
    w = await startWorld({
      queues: [
        { id: 1, name: 'auto', whenNoAgentOnline: 'wait' },
        { id: 5, name: 'by hand', assignment: 'manual', whenNoAgentOnline: 'wait' },
      ],
      agents: [agent('A', { queues: [1, 5] })],
    });
    const { p } = w;
    const token = await w.login('a');
    const auto = await p.tpi({ type: 1000, clientId: 'c1', queueId: 1 });
    const manual = await p.tpi({ type: 1000, clientId: 'c2', queueId: 5 });
    const autoTake = await p.api<{ error: { message: string } }>('POST', `/api/v1/agent/queue/${auto.requestId}/take`, token);
    expect(autoTake.status).toBe(409);
    expect(autoTake.body.error.message).toContain('assignment: auto');
    const offline = await p.api<{ error: { message: string } }>('POST', `/api/v1/agent/queue/${manual.requestId}/take`, token);
    expect(offline.status).toBe(409);
    expect(offline.body.error.message).toBe('go online to take chats');
  });
});

/** The agent's workspace: live queue counts, canned replies and search. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../../test-support/platform.js';
import type { ThirdParty } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

describe('agent workspace', () => {
  let w: World;
  let tp: ThirdParty;
  let p: TestPlatform;
  let a: string;
  let b: string;

  beforeEach(async () => {
    w = await startWorld({
      queues: [
        { id: 1, name: '售前', whenNoAgentOnline: 'wait' },
        { id: 2, name: '售后', whenNoAgentOnline: 'wait' },
      ],
      agents: [agent('A'), agent('B', { queues: [1, 2] }), { id: 'ADM', username: 'adm', password: 'pw', name: 'Adm', role: 'admin' }],
    });
    ({ p, tp } = w);
    a = await w.login('a');
    b = await w.login('b');
  });

  afterEach(async () => {
    await w.close();
  });

  it('shows the queues I serve with live waiting counts', async () => {
    const feed = await w.feed(a);
    await p.tpi({ type: 1000, clientId: 'c1', queueId: 1 });
    await p.tpi({ type: 1000, clientId: 'c2', queueId: 2 });
    expect((await p.api('GET', '/api/v1/agent/queues', a)).body).toEqual({ queues: [{ id: 1, name: '售前', waiting: 1 }] });
    expect((await p.api('GET', '/api/v1/agent/queues', b)).body).toEqual({
      queues: [
        { id: 1, name: '售前', waiting: 1 },
        { id: 2, name: '售后', waiting: 1 },
      ],
    });
    const pushed = await feed.waitFor((e) => e.name === 'queues.changed', 'queues.changed');
    expect(pushed).toEqual({ queues: [{ id: 1, name: '售前', waiting: 1 }] });
    feed.close();
  });

  it('keeps my canned replies mine, and shows shared ones to everybody', async () => {
    const adm = await w.login('adm');
    const shared = await p.api<{ id: number }>('POST', '/api/v1/admin/canned-replies', adm, { shortcut: 'hi', text: '您好，请问有什么可以帮您？' });
    expect(shared.status).toBe(201);
    const mine = await p.api<{ id: number }>('POST', '/api/v1/agent/canned-replies', a, { shortcut: 'bye', text: '再见 /::)' });
    expect(mine.status).toBe(201);
    expect((await p.api('POST', '/api/v1/agent/canned-replies', a, { shortcut: 'has space', text: 'x' })).status).toBe(400);
    expect((await p.api('GET', '/api/v1/agent/canned-replies', a)).body).toEqual({
      replies: [
        { id: mine.body.id, shortcut: 'bye', text: '再见 /::)', shared: false },
        { id: shared.body.id, shortcut: 'hi', text: '您好，请问有什么可以帮您？', shared: true },
      ],
    });
    expect((await p.api<{ replies: unknown[] }>('GET', '/api/v1/agent/canned-replies', b)).body.replies).toHaveLength(1);
    expect((await p.api('DELETE', `/api/v1/agent/canned-replies/${mine.body.id}`, b)).status).toBe(404);
    expect((await p.api('DELETE', `/api/v1/agent/canned-replies/${shared.body.id}`, a)).status).toBe(404);
    expect((await p.api('DELETE', `/api/v1/agent/canned-replies/${mine.body.id}`, a)).status).toBe(204);
  });

  it('searches chats by customer id, nickname or text; agents only their own', async () => {
    await w.status(a, 'online');
    await p.tpi({ type: 1000, clientId: 'wx-777', nickname: '小明', queueId: 1 });
    const s1 = (await tp.waitFor(() => tp.ofName('create')[0])).body.sessionId as number;
    await p.tpi({ type: 2001, sessionId: s1, clientId: 'wx-777', text: '我的订单 100% 没到' });
    await p.tpi({ type: 4001, sessionId: s1 });
    const search = async (token: string, q: string) =>
      (await p.api<{ sessions: { id: number }[] }>('GET', `/api/v1/agent/search?q=${encodeURIComponent(q)}`, token)).body.sessions.map((s) => s.id);
    expect(await search(a, 'WX-7')).toEqual([s1]);
    expect(await search(a, '小明')).toEqual([s1]);
    expect(await search(a, '100%')).toEqual([s1]);
    expect(await search(a, '100_')).toEqual([]);
    expect(await search(a, '订单 1')).toEqual([s1]);
    expect(await search(a, 'nothing like it')).toEqual([]);
    expect(await search(b, '小明')).toEqual([]);
    expect(await search(await w.login('adm'), '小明')).toEqual([s1]);
  });
});

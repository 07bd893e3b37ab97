/**
 * Later callbacks a channel asks for (laterCallbacks), beside a seed channel on one platform:
 * `agentsUpdate` instead of a second `create` after a transfer, and the agent's typing as a
 * `msg` notice of type 5 (at most one per 3 s per session). A seed channel sees exactly what it
 * saw before.
 */
import { NoticeType } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../test-support/platform.js';
import { ThirdParty } from '../../test-support/third-party.js';
import { Visitor } from '../../test-support/visitor-client.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

const KEY = 'app-channel-key-0123456789';
const onApp = { 'x-webchat-key': KEY };

describe('later callbacks: agentsUpdate and the agent typing', () => {
  let w: World | undefined;
  let app: ThirdParty | undefined;
  let v: Visitor | undefined;
  afterEach(async () => {
    v?.close();
    await w?.close();
    await app?.stop();
    w = undefined;
    app = undefined;
    v = undefined;
  });

  it('tells a channel that asked for agentsUpdate who now has its chat after a transfer to an agent and to a queue, and no second create; a seed channel gets its second create', async () => {
    app = new ThirdParty();
    const appUrl = await app.start();
    w = await startWorld({
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }, { id: 2, name: 'by hand', assignment: 'manual', whenNoAgentOnline: 'wait' }],
      agents: [agent('A'), agent('B', { icon: 'https://example.com/b.png', comments: 'second line' }), agent('E', { queues: [2] })],
      more: { channels: [{ id: 'app', key: KEY, callbackBase: appUrl, allowServerAddr: [appUrl], laterCallbacks: ['agentsUpdate'] }] },
    });
    const { p, tp } = w;
    const a = await w.online('a');
    const seedSession = await w.openChat('seed-1');
    await p.tpi({ type: 1000, clientId: 'app-1', queueId: 1 }, onApp);
    const appSession = (await app.waitFor(() => app!.ofName('create').find((c) => c.body.clientId === 'app-1'))).body.sessionId as number;
    const creates = (third: ThirdParty, sessionId: number) => third.ofName('create').filter((c) => c.body.sessionId === sessionId);

    // To another agent: the seed channel gets a second create, the app an agentsUpdate.
    const b = await w.online('b');
    for (const sessionId of [seedSession, appSession]) {
      expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, a, { toAgentId: 'B' })).status).toBe(200);
    }
    const toB = await app.waitFor(() => app!.ofName('agentsUpdate')[0], 10_000, 'agentsUpdate after the transfer to B');
    expect(toB.body).toEqual({ clientId: 'app-1', sessionId: appSession, agents: [{ id: 'B', name: 'B', icon: 'https://example.com/b.png', comments: 'second line' }], time: expect.any(Number) });
    await tp.waitFor(() => creates(tp, seedSession).length === 2, 10_000, 'the seed channel\'s second create');
    expect(creates(tp, seedSession).map((c) => c.body.agentId)).toEqual(['A', 'B']);

    // To a queue, where E takes them by hand: the same again.
    for (const sessionId of [seedSession, appSession]) {
      expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/transfer`, b, { toQueueId: 2 })).status).toBe(200);
    }
    const e = await w.online('e');
    const waiting = await p.api<{ requests: { requestId: number; clientId: string }[] }>('GET', '/api/v1/agent/queue', e);
    expect(waiting.body.requests.map((r) => r.clientId)).toEqual(['seed-1', 'app-1']);
    for (const request of waiting.body.requests) expect((await p.api('POST', `/api/v1/agent/queue/${request.requestId}/take`, e)).status).toBe(200);
    const toE = await app.waitFor(() => app!.ofName('agentsUpdate')[1], 10_000, 'agentsUpdate after E took it');
    expect(toE.body).toMatchObject({ clientId: 'app-1', sessionId: appSession, agents: [{ id: 'E', name: 'E', icon: '', comments: '' }] });
    await tp.waitFor(() => creates(tp, seedSession).length === 3, 10_000, 'the seed channel\'s third create');
    expect(creates(tp, seedSession).map((c) => c.body.agentId)).toEqual(['A', 'B', 'E']);

    // The app's session had one create, ever (none is still to be sent), and the seed channel no agentsUpdate.
    const written = await p.platform.store.db.selectFrom('callbacks').select(['name', 'channel_id']).where('session_id', 'in', [seedSession, appSession]).orderBy('id').execute();
    expect(written.filter((c) => c.channel_id === 'app').map((c) => c.name)).toEqual(['create', 'agentsUpdate', 'agentsUpdate']);
    expect(written.filter((c) => c.channel_id === 'ch').map((c) => c.name)).toEqual(['create', 'create', 'create']);
    expect(creates(app, appSession)).toHaveLength(1);
    expect(tp.ofName('agentsUpdate')).toEqual([]);
  });

  it('sends the agent typing to a channel that asked for typing as a msg notice 5, at most one per 3 s per session, from the agent API and the socket alike; a seed channel gets nothing, the web chat shows it', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 7, 3, 0, 0));
    app = new ThirdParty();
    const appUrl = await app.start();
    w = await startWorld({
      clock: clock.now,
      more: {
        channels: [
          { id: 'app', key: KEY, callbackBase: appUrl, allowServerAddr: [appUrl], laterCallbacks: ['typing'], language: 'en' },
          { id: 'web', kind: 'web', queues: [1], allowedOrigins: ['https://shop.example.com'] },
        ],
      },
    });
    const { p, tp } = w;
    const a = await w.online('a');
    const feed = await w.feed(a);
    const seedSession = await w.openChat('seed-1');
    await p.tpi({ type: 1000, clientId: 'app-1', queueId: 1 }, onApp);
    const appSession = (await app.waitFor(() => app!.ofName('create').find((c) => c.body.clientId === 'app-1'))).body.sessionId as number;
    const typing = (sessionId: number, body?: unknown) => p.api('POST', `/api/v1/agent/sessions/${sessionId}/typing`, a, body);

    // The first: a notice. Within 3 s, from the API or the socket: dropped.
    expect(await typing(appSession)).toEqual({ status: 204, body: null });
    const notice = await app.waitFor(() => app!.ofName('msg')[0], 10_000, 'the typing notice');
    expect(notice.body).toEqual({
      sessionId: appSession,
      agentId: 'A',
      agentName: 'A',
      agentHeadimg: '',
      agentComment: '',
      time: clock.now(),
      content: 'A is typing…',
      clientId: 'app-1',
      type: 'notice',
      noticeType: NoticeType.TYPING,
    });
    clock.advance(1_000);
    expect((await typing(appSession, { typing: true })).status).toBe(204);
    clock.advance(1_500);
    expect(await feed.socket.emitWithAck('chat.typing', { sessionId: appSession, typing: true })).toEqual({ ok: true });
    // Stopping sends nothing either.
    clock.advance(1_000);
    expect((await typing(appSession, { typing: false })).status).toBe(204);
    // 3 s after the first: the socket's chat.typing sends the next one.
    expect(await feed.socket.emitWithAck('chat.typing', { sessionId: appSession, typing: true })).toEqual({ ok: true });
    await app.waitFor(() => app!.ofName('msg').length === 2, 10_000, 'the second typing notice, from the socket');
    expect(app.ofName('msg')[1]!.body).toMatchObject({ type: 'notice', noticeType: 5, sessionId: appSession, time: clock.now() });
    // The agent's reply goes after them, as a seed msg; nothing else came in between.
    await p.api('POST', `/api/v1/agent/sessions/${appSession}/messages`, a, { text: 'here' });
    await app.waitFor(() => app!.ofName('msg').length === 3, 10_000, 'the reply');
    expect(app.ofName('msg').map((m) => m.body.type)).toEqual(['notice', 'notice', 'text']);

    // A seed channel: the same calls answer the same, and no notice goes out; its reply is the seed's msg.
    expect((await typing(seedSession)).status).toBe(204);
    clock.advance(5_000);
    expect(await feed.socket.emitWithAck('chat.typing', { sessionId: seedSession, typing: true })).toEqual({ ok: true });
    await p.api('POST', `/api/v1/agent/sessions/${seedSession}/messages`, a, { text: 'hello seed' });
    const seedMsg = await tp.waitFor(() => tp.ofName('msg')[0], 10_000, 'the seed reply');
    expect(Object.keys(seedMsg.body).sort()).toEqual(['agentComment', 'agentHeadimg', 'agentId', 'agentName', 'clientId', 'content', 'sessionId', 'time', 'type']);
    expect(seedMsg.body.type).toBe('text');
    expect(tp.ofName('msg')).toHaveLength(1);

    // Not my open session: 404, as the other session routes; a malformed body: 400.
    expect((await typing(999_999)).status).toBe(404);
    expect((await p.api('POST', `/api/v1/agent/sessions/${appSession}/typing`, await w.login('b'))).status).toBe(404);
    expect((await typing(appSession, { typing: 'yes' })).status).toBe(400);

    // The web chat shows the agent typing, called through the API.
    v = new Visitor(p.url, 'web');
    await v.visit();
    await v.connect();
    await v.expect(201, 'POST', '/requests', { nickname: 'Ann' });
    const webSession = (await feed.waitFor((e) => e.name === 'chat.assigned' && e.data.channelId === 'web', 'the web chat')).id as number;
    expect((await typing(webSession)).status).toBe(204);
    await v.waitFor((e) => e.name === 'typing' && e.data.typing === true, 'the agent typing, on the web chat');
    expect((await typing(webSession, { typing: false })).status).toBe(204);
    await v.waitFor((e) => e.name === 'typing' && e.data.typing === false, 'the agent stopped typing, on the web chat');

    // Closed: 404.
    await p.api('POST', `/api/v1/agent/sessions/${appSession}/close`, a);
    expect((await typing(appSession)).status).toBe(404);
  });
});

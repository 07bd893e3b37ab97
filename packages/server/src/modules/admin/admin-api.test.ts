/** Administrators change queues, agents and channels through the API, and it takes effect at once. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, type TestPlatform } from '../../test-support/platform.js';
import type { ThirdParty } from '../../test-support/third-party.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

describe('admin API', () => {
  let w: World;
  let tp: ThirdParty;
  let p: TestPlatform;
  let admin: string;

  beforeEach(async () => {
    w = await startWorld({ agents: [{ id: 'ADM', username: 'admin', password: 'admin-pw', name: 'Admin', role: 'admin' }, agent('A')] });
    ({ p, tp } = w);
    admin = await w.login('admin');
  });

  afterEach(async () => {
    await w.close();
  });

  it('is for admins only', async () => {
    const token = await w.login('a');
    expect((await p.api('GET', '/api/v1/admin/queues', token)).status).toBe(403);
    expect((await p.api('GET', '/api/v1/admin/queues')).status).toBe(401);
    expect((await p.api('GET', '/api/v1/admin/queues', admin)).status).toBe(200);
  });

  it('creates a queue with agents that is used at once by the TPI and routing', async () => {
    const created = await p.api('POST', '/api/v1/admin/queues', admin, {
      id: 7,
      name: '新队列',
      hours: null,
      maxWaitSeconds: 60,
      maxLength: 5,
      whenNoAgentOnline: 'refuse',
      agentIds: ['A'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 7, name: '新队列', agentIds: ['A'], enabled: true, timezone: 'Asia/Shanghai' });
    expect((await p.api('POST', '/api/v1/admin/queues', admin, { id: 7, name: 'again' })).status).toBe(409);
    // Nobody online: refused as the queue says.
    expect((await p.tpi({ type: 1000, clientId: 'c1', queueId: 7 })).result).toBe(-5);
    await w.online('a');
    expect((await p.tpi({ type: 1000, clientId: 'c1', queueId: 7 })).result).toBe(1);
    await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'c1'));
    // Disabling it takes effect on the next request.
    const updated = await p.api('PUT', '/api/v1/admin/queues/7', admin, { name: '新队列', enabled: false });
    expect(updated.body).toMatchObject({ enabled: false, agentIds: ['A'] });
    expect((await p.tpi({ type: 1000, clientId: 'c2', queueId: 7 })).result).toBe(-4);
  });

  it('rejects bad hours, time zones, unknown members and non-http URLs with a message', async () => {
    const bad = async (path: string, body: unknown, message: RegExp, method = 'POST') => {
      const res = await p.api<{ error: { message: string } }>(method, path, admin, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    };
    await bad('/api/v1/admin/queues', { id: 8, name: 'x', hours: { mon: ['9-5'] } }, /hours: mon: "9-5" is not a period/);
    await bad('/api/v1/admin/queues', { id: 8, name: 'x', timezone: 'Nowhere/Land' }, /unknown time zone/);
    await bad('/api/v1/admin/queues', { id: 8, name: 'x', agentIds: ['GHOST'] }, /no agent GHOST/);
    await bad('/api/v1/admin/channels', { id: 'c2', callbackBase: 'javascript:alert(1)' }, /not an http\(s\) URL/);
    await bad('/api/v1/admin/channels', { id: 'c2', callbackBase: 'http://u:p@host' }, /credentials/);
    await bad('/api/v1/admin/agents', { id: 'N', username: 'n', password: 'short', name: 'N' }, /password/);
    await bad('/api/v1/admin/agents/A', { username: 'a', name: 'A', queueIds: [99] }, /no queue 99/, 'PUT');
  });

  it('creates agents, resets passwords (ending old sessions) and disables accounts', async () => {
    const created = await p.api('POST', '/api/v1/admin/agents', admin, { id: 'NEW', username: 'new', password: 'first-password', name: 'New', queueIds: [1], maxChats: 2, role: 'supervisor' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'NEW', role: 'supervisor', queueIds: [1], maxChats: 2, enabled: true });
    expect((await p.api('POST', '/api/v1/admin/agents', admin, { id: 'NEW2', username: 'new', password: 'first-password', name: 'x' })).status).toBe(409);
    const token = await p.login('new', 'first-password');
    expect((await p.api('POST', '/api/v1/admin/agents/NEW/password', admin, { password: 'second-password' })).status).toBe(204);
    expect((await p.api('GET', '/api/v1/agent/me', token)).status).toBe(401);
    expect((await p.api('POST', '/api/v1/agent/login', undefined, { username: 'new', password: 'first-password' })).status).toBe(401);
    const again = await p.login('new', 'second-password');
    await p.api('PUT', '/api/v1/admin/agents/NEW', admin, { username: 'new', name: 'New', enabled: false });
    expect((await p.api('GET', '/api/v1/agent/me', again)).status).toBe(401);
    expect((await p.api('POST', '/api/v1/agent/login', undefined, { username: 'new', password: 'second-password' })).status).toBe(401);
  });

  it('adds a channel with a key that the TPI accepts at once, and never shows the key', async () => {
    const key = 'brand-new-channel-key-123';
    const created = await p.api('POST', '/api/v1/admin/channels', admin, { id: 'wechat', key, callbackBase: tp.url });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'wechat',
      hasKey: true,
      callbackBase: tp.url,
      allowServerAddr: [],
      serverAddrPolicy: 'refuse',
      allowFrom: null,
      signsRequests: false,
      webhookSecrets: 0,
      laterCallbacks: [],
      callbackPath: '/ThirdPartService/{name}',
      language: 'zh-CN',
      uploads: null,
      kind: 'tpi',
      web: null,
    });
    expect(JSON.stringify((await p.api('GET', '/api/v1/admin/channels', admin)).body)).not.toContain(key);
    expect((await p.tpi({ type: 1000, clientId: 'w1', queueId: 1 }, { 'x-webchat-key': key })).result).toBe(1);
    // Rotating the key: the old one stops working.
    await p.api('PUT', '/api/v1/admin/channels/wechat', admin, { key: 'rotated-channel-key-4567' });
    const old = await p.tpi({ type: 1001, requestId: 1 }, { 'x-webchat-key': key });
    expect(old).toMatchObject({ result: -8, message: 'unknown X-Webchat-Key' });
  });

  it('sets a channel\'s callers, signing and callback secrets, never showing a secret', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const created = await p.api('POST', '/api/v1/admin/channels', admin, {
      id: 'signed',
      key: 'signed-channel-key-0123',
      callbackBase: tp.url,
      allowFrom: ['127.0.0.0/8'],
      signingSecret: 's'.repeat(40),
      webhookSecrets: [secret],
      serverAddrPolicy: 'use-channel-base',
    });
    expect(created.body).toMatchObject({ allowFrom: ['127.0.0.0/8'], signsRequests: true, webhookSecrets: 1, serverAddrPolicy: 'use-channel-base' });
    expect(JSON.stringify((await p.api('GET', '/api/v1/admin/channels', admin)).body)).not.toContain(secret);
    // Unsigned calls are now refused for it.
    expect((await p.tpi({ type: 1001, requestId: 1 }, { 'x-webchat-key': 'signed-channel-key-0123' })).message).toMatch(/signs its calls/);
    const bad = await p.api<{ error: { message: string } }>('PUT', '/api/v1/admin/channels/signed', admin, { allowFrom: ['not-a-cidr'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/not an address or CIDR/);
    expect((await p.api('PUT', '/api/v1/admin/channels/signed', admin, { webhookSecrets: ['plain'] })).status).toBe(400);
    expect((await p.api('PUT', '/api/v1/admin/channels/signed', admin, { signingSecret: null })).body).toMatchObject({ signsRequests: false });
    // null puts the default back (it was once read as [""] and refused).
    const reset = await p.api('PUT', '/api/v1/admin/channels/signed', admin, { allowFrom: null });
    expect([reset.status, reset.body.allowFrom]).toEqual([200, null]);
  });

  it('shows the callback delivery log with each attempt', async () => {
    let n = 0;
    tp.answer = () => (n++ === 0 ? { status: 500, body: 'boom' } : 'ok');
    await w.online('a');
    await p.tpi({ type: 1000, clientId: 'log', queueId: 1 });
    await tp.waitFor(() => tp.ofName('create')[0]);
    const log = await eventually(async () => {
      const res = await p.api<{ callbacks: { id: number; name: string; status: string; attempts: number }[] }>('GET', '/api/v1/admin/callbacks?status=delivered', admin);
      return res.body.callbacks[0];
    });
    expect(log).toMatchObject({ name: 'create', status: 'delivered', attempts: 2 });
    const detail = await p.api<{ attempts: { httpStatus: number | null; error: string | null; response: string | null }[] }>('GET', `/api/v1/admin/callbacks/${log.id}`, admin);
    expect(detail.body.attempts).toMatchObject([
      { httpStatus: 500, error: 'HTTP 500', response: 'boom' },
      { httpStatus: 200, error: null },
    ]);
  });
});

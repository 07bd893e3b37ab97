/**
 * The later TPI's customers in the admin API: created with a password that type 1 then checks,
 * listed and searched, a password reset that logs them out, and erasure with everything of theirs.
 */
import { LaterResultCode } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { agent, startWorld, type World } from '../../test-support/world.js';

type Customer = { id: number; clientId: string; name: string; kind: string; hasPassword: boolean };

describe('admin API: customers', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('creates, finds, resets and erases customers; only admins may', async () => {
    w = await startWorld({ agents: [{ id: 'ADM', username: 'admin', password: 'admin-pw', name: 'Admin', role: 'admin' }, agent('A')] });
    const { p, tp } = w;
    const admin = await w.login('admin');
    const plain = await w.online('a');
    expect((await p.api('GET', '/api/v1/admin/customers', plain)).status).toBe(403);

    const created = await p.api<Customer>('POST', '/api/v1/admin/customers', admin, { channelId: 'ch', loginName: 'vip-1', name: '王女士', password: 'first-password' });
    expect(created).toMatchObject({ status: 201, body: { clientId: 'vip-1', kind: 'account', hasPassword: true } });
    expect((await p.api('POST', '/api/v1/admin/customers', admin, { channelId: 'ch', loginName: 'vip-1', name: 'again', password: 'first-password' })).status).toBe(409);
    expect((await p.api('POST', '/api/v1/admin/customers', admin, { channelId: 'nope', loginName: 'x', name: 'x' })).status).toBe(400);
    expect(await p.tpi({ type: 1, loginName: 'vip-1', password: '' })).toMatchObject({ result: LaterResultCode.INVALID_LOGINNAME_OR_PASSWORD });
    const token = (await p.tpi({ type: 1, loginName: 'vip-1', password: 'first-password' })).token as string;
    await p.tpi({ type: 4, visitorId: '0F8FAD5B-D9CB-469F-A165-70867728950E' });

    const search = async (q: string) => (await p.api<{ customers: Customer[] }>('GET', `/api/v1/admin/customers?q=${encodeURIComponent(q)}`, admin)).body.customers.map((c) => c.clientId);
    expect(await search('王')).toEqual(['vip-1']);
    expect(await search('0f8fad5b')).toEqual(['0f8fad5b-d9cb-469f-a165-70867728950e']);
    expect(await search('%')).toEqual([]);

    // A reset logs them out everywhere; null leaves only an empty password.
    const reset = await p.api<Customer>('POST', `/api/v1/admin/customers/${created.body.id}/password`, admin, { password: 'second-password' });
    expect(reset.body.hasPassword).toBe(true);
    expect(await p.tpi({ type: 1001, token, requestId: 1 })).toMatchObject({ result: LaterResultCode.INVALID_TOKEN });
    expect((await p.tpi({ type: 1, loginName: 'vip-1', password: 'second-password' })).result).toBe(1);
    expect((await p.api<Customer>('POST', `/api/v1/admin/customers/${created.body.id}/password`, admin, { password: null })).body.hasPassword).toBe(false);
    const fresh = (await p.tpi({ type: 1, loginName: 'vip-1', password: '' })).token as string;

    // Erased with everything of theirs, but not while they chat.
    await p.tpi({ type: 1000, token: fresh, queueId: 1 });
    const sessionId = (await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'vip-1'))).body.sessionId as number;
    await p.tpi({ type: 2001, token: fresh, sessionId, text: 'my address is …' });
    const busy = await p.api<{ error: { message: string } }>('DELETE', `/api/v1/admin/customers/${created.body.id}`, admin);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe('customer vip-1 is waiting or chatting now: end that first');
    await p.tpi({ type: 4001, token: fresh, sessionId });
    expect(await p.api('DELETE', `/api/v1/admin/customers/${created.body.id}`, admin)).toEqual({ status: 200, body: { sessions: 1, requests: 1 } });
    const db = p.platform.store.db;
    expect(await db.selectFrom('messages').select('id').where('session_id', '=', sessionId).execute()).toEqual([]);
    expect(await db.selectFrom('callbacks').select('id').where('session_id', '=', sessionId).execute()).toEqual([]);
    expect((await p.api('GET', `/api/v1/agent/sessions/${sessionId}`, plain)).status).toBe(404);
    expect(await p.tpi({ type: 1, loginName: 'vip-1', password: '' })).toMatchObject({ result: -20 });
    expect(await search('vip')).toEqual([]);
    expect((await p.api('DELETE', `/api/v1/admin/customers/${created.body.id}`, admin)).status).toBe(404);
  });
});

/** The agent API as the console and the SDK use it: auth, history paging, realtime and catch-up. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAgent } from '../../test-support/agent-client.js';
import { eventually, manualClock, type TestPlatform } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';
import { ARGON2_OPTIONS } from '../../auth/passwords.js';

interface Session {
  id: number;
  status: string;
  messages: { id: number; kind: string; text?: string; event?: { event: string } }[];
}

describe('agent API', () => {
  let w: World;
  let p: TestPlatform;
  const clock = manualClock(Date.now());

  beforeEach(async () => {
    clock.set(Date.now());
    w = await startWorld({
      clock: clock.now,
      agents: [agent('A', { password: 'secret-a', maxChats: 10 }), agent('B', { password: 'secret-b', maxChats: 10 })],
    });
    p = w.p;
  });

  afterEach(async () => {
    await w.close();
  });

  async function openSession(token: string, clientId: string): Promise<number> {
    await w.status(token, 'online');
    return w.openChat(clientId);
  }

  it('hashes passwords with argon2id at OWASP\'s parameters', async () => {
    expect(ARGON2_OPTIONS).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const row = await p.platform.store.db.selectFrom('agents').select('password_hash').where('id', '=', 'A').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const wrong = await p.api('POST', '/api/v1/agent/login', undefined, { username: 'a', password: 'nope' });
    const unknown = await p.api('POST', '/api/v1/agent/login', undefined, { username: 'zz', password: 'nope' });
    expect(wrong).toEqual({ status: 401, body: { error: { code: 'BAD_CREDENTIALS', message: 'wrong username or password' } } });
    expect(unknown).toEqual(wrong);
    expect((await p.api('POST', '/api/v1/agent/login', undefined, { username: 'a' })).status).toBe(400);
  });

  it('slows down password guessing for a username, briefly, and a success clears it', async () => {
    const attempt = (password: string) => p.api<{ error: { code: string } }>('POST', '/api/v1/agent/login', undefined, { username: 'a', password });
    for (let i = 0; i < 5; i++) expect((await attempt('guess')).status).toBe(401);
    const limited = await attempt('secret-a');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    // Unknown usernames are limited the same way, so the answer tells nothing.
    for (let i = 0; i < 5; i++) await p.api('POST', '/api/v1/agent/login', undefined, { username: 'nobody', password: 'x' });
    expect((await p.api('POST', '/api/v1/agent/login', undefined, { username: 'nobody', password: 'x' })).status).toBe(429);
    // Another user is not affected, and the lock is short: a second later the right password works.
    expect((await p.api('POST', '/api/v1/agent/login', undefined, { username: 'b', password: 'secret-b' })).status).toBe(200);
    clock.advance(1_001);
    expect((await attempt('secret-a')).status).toBe(200);
    expect((await attempt('guess')).status).toBe(401);
  });

  it('changes a password only with the current one, and slows down guessing it as login does', async () => {
    const token = await p.login('a', 'secret-a');
    const change = (currentPassword: string, newPassword = 'a-new-password') =>
      p.api<{ error: { code: string } }>('POST', '/api/v1/agent/password', token, { currentPassword, newPassword });
    for (let i = 0; i < 5; i++) expect((await change('guess')).body.error.code).toBe('BAD_CREDENTIALS');
    const limited = await change('secret-a');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    clock.advance(1_001);
    expect((await change('secret-a')).status).toBe(204);
    expect((await p.api('POST', '/api/v1/agent/login', undefined, { username: 'a', password: 'secret-a' })).status).toBe(401);
    expect((await p.api('POST', '/api/v1/agent/login', undefined, { username: 'a', password: 'a-new-password' })).status).toBe(200);
  });

  it('needs a valid token: missing, wrong, revoked and expired tokens are refused', async () => {
    expect((await p.api('GET', '/api/v1/agent/me')).status).toBe(401);
    expect((await p.api('GET', '/api/v1/agent/me', 'made-up')).status).toBe(401);
    const token = await p.login('a', 'secret-a');
    expect((await p.api('GET', '/api/v1/agent/me', token)).body).toMatchObject({ id: 'A', status: 'offline', queueIds: [1] });
    expect((await p.api('POST', '/api/v1/agent/logout', token)).status).toBe(204);
    expect((await p.api('GET', '/api/v1/agent/me', token)).status).toBe(401);
    const second = await p.login('a', 'secret-a');
    clock.advance(3600_000 + 1);
    expect((await p.api('GET', '/api/v1/agent/me', second)).status).toBe(401);
  });

  it('shows an agent only their own sessions and images', async () => {
    const a = await p.login('a', 'secret-a');
    const b = await p.login('b', 'secret-b');
    const sessionId = await openSession(a, 'c1');
    expect((await p.api('GET', `/api/v1/agent/sessions/${sessionId}`, b)).status).toBe(404);
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, b, { text: 'hi' })).status).toBe(404);
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/close`, b)).status).toBe(404);
    expect((await p.api('GET', `/api/v1/agent/sessions/${sessionId}`, a)).status).toBe(200);
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, a, { text: '' })).status).toBe(400);
  });

  it("does not let another agent page through a session's messages", async () => {
    const a = await w.login('a');
    const b = await w.login('b');
    const sessionId = await openSession(a, 'private');
    expect((await p.tpi({ type: 2001, sessionId, clientId: 'private', text: 'my order 4711 never came' })).result).toBe(1);
    expect((await p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, a, { text: 'sorry about order 4711' })).status).toBe(201);
    const url = `/api/v1/agent/sessions/${sessionId}/messages`;
    const own = await p.api<{ messages: { id: number; text?: string }[] }>('GET', `${url}?after=0`, a);
    expect(own.status).toBe(200);
    expect(own.body.messages.map((m) => m.text)).toEqual(['my order 4711 never came', 'sorry about order 4711']);
    const past = own.body.messages.at(-1)!.id + 1;
    for (const query of ['?after=0', `?before=${past}`, `?before=${past}&limit=500`, '']) {
      const res = await p.api<{ error: { code: string; message: string } }>('GET', `${url}${query}`, b);
      expect(res, `B: GET ${url}${query}`).toMatchObject({ status: 404, body: { error: { code: 'SESSION_NOT_FOUND' } } });
      expect(res.body.error.message).toMatch(new RegExp(`no session ${sessionId}`));
      expect(JSON.stringify(res.body)).not.toContain('4711');
    }
  });

  it('pages through history by message id', async () => {
    const a = await p.login('a', 'secret-a');
    const sessionId = await openSession(a, 'c1');
    for (let i = 1; i <= 7; i++) await p.tpi({ type: 2001, sessionId, clientId: 'c1', text: `m${i}` });
    const url = `/api/v1/agent/sessions/${sessionId}/messages`;
    const first = await p.api<{ messages: { id: number; text: string }[]; hasMore: boolean }>('GET', `${url}?limit=3`, a);
    expect(first.body.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3']);
    expect(first.body.hasMore).toBe(true);
    const next = await p.api<{ messages: { id: number; text: string }[]; hasMore: boolean }>('GET', `${url}?limit=5&after=${first.body.messages[2]!.id}`, a);
    expect(next.body).toMatchObject({ hasMore: false });
    expect(next.body.messages.map((m) => m.text)).toEqual(['m4', 'm5', 'm6', 'm7']);
    const before = await p.api<{ messages: { text: string }[]; hasMore: boolean }>('GET', `${url}?limit=2&before=${next.body.messages[3]!.id}`, a);
    expect(before.body.messages.map((m) => m.text)).toEqual(['m5', 'm6']);
    expect(before.body.hasMore).toBe(true);
    expect((await p.api('GET', `${url}?limit=0`, a)).status).toBe(400);
  });

  it('lists each open session with its latest 500 messages, and says when there are earlier ones', async () => {
    const a = await p.login('a', 'secret-a');
    const long = await openSession(a, 'long');
    const short = await openSession(a, 'short');
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => p.tpi({ type: 2001, sessionId: long, clientId: 'long', text: `t${batch * 50 + i}` })));
    }
    await p.tpi({ type: 2001, sessionId: short, clientId: 'short', text: 'only one' });

    type Page = { messages: { id: number; text?: string }[]; hasMore: boolean };
    const all: number[] = [];
    for (let after = 0, more = true; more; ) {
      const page = (await p.api<Page>('GET', `/api/v1/agent/sessions/${long}/messages?limit=500&after=${after}`, a)).body;
      all.push(...page.messages.map((m) => m.id));
      more = page.hasMore;
      after = all[all.length - 1]!;
    }
    expect(all.length).toBeGreaterThanOrEqual(550);

    const listed = (await p.api<{ sessions: (Session & { hasEarlier?: boolean })[] }>('GET', '/api/v1/agent/sessions', a)).body.sessions;
    const longView = listed.find((s) => s.id === long)!;
    expect(longView.hasEarlier).toBe(true);
    expect(longView.messages.map((m) => m.id)).toEqual(all.slice(-500));
    const shortView = listed.find((s) => s.id === short)!;
    expect(shortView.hasEarlier).toBe(false);
    expect(shortView.messages.some((m) => m.text === 'only one')).toBe(true);

    // The earlier ones page in with `before`, down to the first.
    const earlier = (await p.api<Page>('GET', `/api/v1/agent/sessions/${long}/messages?limit=500&before=${longView.messages[0]!.id}`, a)).body;
    expect(earlier.messages.map((m) => m.id)).toEqual(all.slice(0, -500));
    expect(earlier.hasMore).toBe(false);
    // One session alone comes whole.
    expect((await p.api<Session>('GET', `/api/v1/agent/sessions/${long}`, a)).body.messages.map((m) => m.id)).toEqual(all);
  });

  it('ends the live feed and takes the agent offline when they log out', async () => {
    const a = await p.login('a', 'secret-a');
    const other = await p.login('a', 'secret-a');
    await p.api('PUT', '/api/v1/agent/status', a, { status: 'online' });
    const feed = await w.feed(a);
    const otherFeed = await w.feed(other);
    const gone = new Promise((resolve) => feed.socket.once('disconnect', resolve));
    expect((await p.api('POST', '/api/v1/agent/logout', a)).status).toBe(204);
    await gone;
    expect((await p.api('GET', '/api/v1/agent/me', other)).body).toMatchObject({ status: 'offline' });
    // The other tab's token is still good, and so is its feed.
    expect(otherFeed.socket.connected).toBe(true);
    otherFeed.close();
  });

  it('refuses a socket without a valid token', async () => {
    await expect(connectAgent(p.url, 'bogus')).rejects.toThrow(/unauthenticated/);
  });

  it('lets a reconnecting agent catch up on everything it missed, without doubles', async () => {
    const a = await p.login('a', 'secret-a');
    const s1 = await openSession(a, 'c1');
    const feed = await w.feed(a);
    await p.tpi({ type: 2001, sessionId: s1, clientId: 'c1', text: 'seen live' });
    await feed.waitFor((e) => e.name === 'chat.message' && e.data.text === 'seen live');
    const seen = new Map<number, unknown>();
    for (const m of feed.of('chat.message')) seen.set(m.id as number, m);
    feed.close();

    // While away: a message, a new chat with pre-messages, a rating and a closing.
    await p.tpi({ type: 2001, sessionId: s1, clientId: 'c1', text: 'while away' });
    const s2 = await w.openChat('c2');
    await p.tpi({ type: 2001, sessionId: s2, clientId: 'c2', text: 'hello from c2' });
    await p.tpi({ type: 5001, sessionId: s1, ratingId: 5, ratingComments: 'good' });
    await p.tpi({ type: 4001, sessionId: s1 });

    const again = await w.feed(a);
    const open = await p.api<{ sessions: Session[] }>('GET', '/api/v1/agent/sessions', a);
    const closed = await p.api<{ sessions: Session[] }>('GET', '/api/v1/agent/sessions?status=closed', a);
    expect(open.body.sessions.map((s) => s.id)).toEqual([s2]);
    expect(open.body.sessions[0]!.messages.map((m) => m.text)).toEqual(['hello from c2']);
    const s1View = closed.body.sessions.find((s) => s.id === s1)!;
    expect(s1View.messages.map((m) => m.event?.event ?? m.text)).toEqual(['seen live', 'while away', 'rated', 'closed']);
    const merged = new Map(seen);
    for (const s of [...open.body.sessions, ...closed.body.sessions]) for (const m of s.messages) merged.set(m.id, m);
    // "seen live" came both live and in the catch-up: merged by id it counts once.
    expect(merged.size).toBe(5);

    // And the live feed goes on.
    await p.tpi({ type: 2001, sessionId: s2, clientId: 'c2', text: 'live again' });
    await eventually(() => again.of('chat.message').some((m) => m.text === 'live again'));
    again.close();
  });

  it('serves its OpenAPI document, health, readiness and metrics', async () => {
    const doc = (await p.api<{ openapi: string; paths: Record<string, unknown> }>('GET', '/docs/json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/EliteWebChat/tpi', '/api/v1/agent/login', '/api/v1/agent/sessions/{id}/messages']));
    expect((await p.api('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await p.api('GET', '/readyz')).body).toEqual({ status: 'ready' });
    await p.tpi({ type: 1000, clientId: 'm1', queueId: 1 });
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    // Every series names its process (NODE_NAME): several may serve one platform.
    expect(metrics).toContain('webchat_queue_waiting{queue="1",node="test"} 1');
    expect(metrics).toContain('webchat_tpi_calls_total{type="1000",result="SUCCESS",node="test"} 1');
    expect(metrics).toContain('webchat_queue_agents_online{queue="1",node="test"} 0');
    expect(metrics).toMatch(/^process_cpu_user_seconds_total\{node="test"\} /m);
  });
});

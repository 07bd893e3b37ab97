/**
 * Where callbacks may go, as a third party sees it through real 1000 calls and an agent who
 * accepts: a corpus of serverAddr values, each either refused at once (-8 with a message that
 * names the problem, nothing stored) or accepted and then delivered only where the operator
 * allowed, every attempt at a private address being refused before any connection is made.
 *
 * Loopback only: the process runs under loopbackOnlyNetwork(), so host names come from a stub
 * DNS (or, for `localhost`, the real one) and a connection to anything but loopback is stopped
 * and recorded as a trip, which fails the test. Private literals appear only as refused targets.
 */
import { ResultCode } from '@elitewebchat/protocol';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../test-support/platform.js';
import { answer, HostileReceiver, loopbackOnlyNetwork, type LoopbackOnlyNetwork } from '../test-support/hostile-receiver.js';

const KEYS = {
  prefixed: 'prefixed-channel-key-0123456789',
  guarded: 'guarded-channel-key-0123456789',
  fallback: 'fallback-channel-key-0123456789',
  redirect: 'redirect-channel-key-0123456789',
};
type ChannelName = keyof typeof KEYS;

/** Names of the stub DNS: every one resolves to addresses the guard must refuse. */
const NAMES: Record<string, string[]> = {
  'loop.test': ['127.0.0.1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'ten.test': ['10.0.0.1'],
  'mixed.test': ['127.0.0.1', '10.1.1.1'],
  'ula.test': ['fd00::2'],
  'v6loop.test': ['::1'],
  'zero.test': ['0.0.0.0'],
};

interface Outcome {
  category: string;
  serverAddr: unknown;
  result: number;
  message: string;
}

describe('serverAddr and the callback address guard', () => {
  let net: LoopbackOnlyNetwork;
  let p: TestPlatform;
  /** A loopback service that no callback may reach: the port the corpus aims at. */
  let victim: HostileReceiver;
  /** Receivers the operator configured: under the prefix, the channel bases, a redirect target. */
  let prefixRx: HostileReceiver;
  let ownRx: HostileReceiver;
  let fallbackRx: HostileReceiver;
  let redirectRx: HostileReceiver;
  let movedRx: HostileReceiver;
  /** What beforeEach started, stopped by afterEach in reverse order. */
  const cleanups: (() => Promise<void> | void)[] = [];
  let vp = 0;
  let P = '';
  let admin = '';
  let agentA = '';
  let agentG = '';
  /** Every call of every case, for the report at the end. */
  const outcomes: Outcome[] = [];
  let client = 0;

  // Each case on its own network, receivers and platform: no connection, trip, request or
  // channel setting of one case is seen by another.
  beforeEach(async () => {
    const network = loopbackOnlyNetwork(NAMES);
    net = network;
    cleanups.push(() => network.restore());
    for (const rx of [(victim = new HostileReceiver()), (prefixRx = new HostileReceiver()), (ownRx = new HostileReceiver()), (fallbackRx = new HostileReceiver()), (redirectRx = new HostileReceiver()), (movedRx = new HostileReceiver())]) {
      await rx.start();
      cleanups.push(() => rx.stop());
    }
    vp = victim.port;
    P = `${prefixRx.url}/tp`;
    const platform = await startTestPlatform({
      provisioning: {
        queues: [
          { id: 1, name: 'served', whenNoAgentOnline: 'wait', maxLength: 1000 },
          { id: 2, name: 'guarded', whenNoAgentOnline: 'wait', maxLength: 1000 },
        ],
        agents: [
          { id: 'ADM', username: 'admin', password: 'admin-pw', name: 'Admin', role: 'admin' },
          { id: 'A', username: 'a', password: 'pw', name: 'A', maxChats: 100, queues: [1] },
          { id: 'G', username: 'g', password: 'pw', name: 'G', maxChats: 100, queues: [2] },
        ],
        channels: [
          { id: 'prefixed', key: KEYS.prefixed, callbackBase: ownRx.url, allowServerAddr: [P] },
          // Bare scheme prefixes, as well as one entry per target of the guard corpus (set in the test).
          { id: 'guarded', key: KEYS.guarded, allowServerAddr: ['http://', 'https://'] },
          { id: 'fallback', key: KEYS.fallback, callbackBase: fallbackRx.url, allowServerAddr: [P], serverAddrPolicy: 'use-channel-base' },
          { id: 'redirect', key: KEYS.redirect, callbackBase: redirectRx.url },
        ],
      },
    });
    cleanups.push(() => platform.close());
    p = platform;
    admin = await p.login('admin', 'admin-pw');
    agentA = await p.login('a', 'pw');
    agentG = await p.login('g', 'pw');
    expect((await p.api('PUT', '/api/v1/agent/status', agentA, { status: 'online' })).status).toBe(200);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(() => {
    const by = new Map<string, Record<string, number>>();
    for (const o of outcomes) {
      const row = by.get(o.category) ?? {};
      row[String(o.result)] = (row[String(o.result)] ?? 0) + 1;
      by.set(o.category, row);
    }
    console.info(`ssrf corpus: ${outcomes.length} serverAddr values through 1000 calls; result codes by category: ${JSON.stringify(Object.fromEntries(by))}`);
  });

  const requestCount = async (channel: ChannelName) =>
    Number((await p.platform.store.db.selectFrom('chat_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('channel_id', '=', channel).executeTakeFirstOrThrow()).n);

  async function call(channel: ChannelName, category: string, serverAddr: unknown, queueId = 1) {
    const clientId = `c${++client}`;
    const body: Record<string, unknown> = { type: 1000, clientId, queueId };
    if (serverAddr !== undefined) body.serverAddr = serverAddr;
    const res = await p.tpi(body, { 'x-webchat-key': KEYS[channel] });
    outcomes.push({ category, serverAddr, result: res.result, message: res.message });
    return { clientId, res };
  }

  /** The create callback of a client's session, with its attempts. */
  async function createOf(clientId: string) {
    const { db } = p.platform.store;
    const row = await db
      .selectFrom('callbacks')
      .innerJoin('sessions', 'sessions.id', 'callbacks.session_id')
      .selectAll('callbacks')
      .where('sessions.client_id', '=', clientId)
      .where('callbacks.name', '=', 'create')
      .executeTakeFirst();
    if (!row) return undefined;
    const attempts = await db.selectFrom('callback_attempts').selectAll().where('callback_id', '=', row.id).orderBy('id').execute();
    return { row, attempts };
  }

  it('runs under a safety net that stops any connection off loopback (self-check)', async () => {
    // Checked with 0.0.0.0, which is not loopback but, should the net fail, still reaches only this machine.
    const nodeNet = await import('node:net');
    const attempt = (connect: typeof nodeNet.connect, options: { host: string; port: number }) =>
      new Promise<string>((resolve) => {
        const socket = connect(options);
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });
    // Both the module object (what CommonJS code such as undici calls) and the ESM named export.
    expect(await attempt(nodeNet.default.connect, { host: '0.0.0.0', port: victim.port })).toBe('ECONNREFUSED');
    expect(await attempt(nodeNet.connect, { host: '0.0.0.0', port: victim.port })).toBe('ECONNREFUSED');
    expect(await attempt(nodeNet.default.connect, { host: 'zero.test', port: victim.port })).toBe('ESAFETYNET');
    expect(await attempt(nodeNet.connect, { host: '127.0.0.1', port: victim.port })).toBe('connected');
    expect(net.trips.splice(0)).toEqual([`0.0.0.0:${victim.port}`, `0.0.0.0:${victim.port}`, 'zero.test → 0.0.0.0']);
    await victim.waitFor(() => victim.connections === 1, 2_000, 'the self-check connection');
    victim.connections = 0;
  });

  it('refuses malformed serverAddr values and prefix tricks with -8 naming the problem, storing nothing', async () => {
    const port = prefixRx.port;
    const notUrl = /is not an absolute URL/;
    const scheme = /serverAddr must be an http or https URL/;
    const extras = /serverAddr must not carry credentials, a query or a fragment/;
    const prefix = /is not allowed for channel prefixed: it must start with one of the channel's allowServerAddr prefixes/;
    const schema = /field "serverAddr" must be a string/;
    const cases: [string, unknown, RegExp][] = [
      ['scheme', `ftp://127.0.0.1:${port}/tp`, scheme],
      ['scheme', 'javascript:alert(1)//', scheme],
      ['scheme', 'file:///etc/passwd', scheme],
      ['scheme', 'gopher://127.0.0.1:70/_GET%20/', scheme],
      ['scheme', 'dict://127.0.0.1:11211/stat', scheme],
      ['scheme', 'data:text/html,<script>alert(1)</script>', scheme],
      ['scheme', `ws://127.0.0.1:${port}/tp`, scheme],
      ['scheme', `jar:http://127.0.0.1:${port}/tp!/`, scheme],
      ['scheme', 'ldap://169.254.169.254/', scheme],
      ['credentials', `http://user:pass@127.0.0.1:${port}/tp`, extras],
      ['credentials', `http://user@127.0.0.1:${port}/tp`, extras],
      ['credentials', `http://127.0.0.1:${port}@169.254.169.254/tp`, extras],
      ['credentials', `http://127.0.0.1:${port}/tp@169.254.169.254`.replace('/tp@', ':x@'), extras],
      ['query', `http://127.0.0.1:${port}/tp?next=http://169.254.169.254/`, extras],
      ['query', `http://169.254.169.254/?@127.0.0.1:${port}/tp`, extras],
      ['fragment', `http://127.0.0.1:${port}/tp#x`, extras],
      ['fragment', `http://169.254.169.254#@127.0.0.1:${port}/tp`, extras],
      ['not a URL', `127.0.0.1:${port}/tp`, notUrl],
      ['not a URL', `//127.0.0.1:${port}/tp`, notUrl],
      ['not a URL', '/ThirdPartService', notUrl],
      ['not a URL', 'http://', notUrl],
      ['not a URL', 'http://127.0.0.1:99999/tp', notUrl],
      ['not a URL', 'http://[::1/tp', notUrl],
      ['not a URL', 'http://4294967296/tp', notUrl],
      ['schema', '', schema],
      ['schema', 123, schema],
      ['schema', ['http://127.0.0.1/'], schema],
      ['schema', `${P}/${'a'.repeat(2048)}`, schema],
      ['prefix mismatch', `http://127.0.0.1:${port}/tpx`, prefix],
      ['prefix mismatch', `http://127.0.0.1:${port}/tp/../x`, prefix],
      ['prefix mismatch', `http://127.0.0.1:${port}/tp/%2e%2e/x`, prefix],
      ['prefix mismatch', `http://127.0.0.1:${port}/TP`, prefix],
      ['prefix mismatch', `https://127.0.0.1:${port}/tp`, prefix],
      ['prefix mismatch', `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}/tp`, prefix],
      ['prefix mismatch', `http://127.0.0.1:${String(port).slice(0, -1)}/tp`, prefix],
      ['prefix mismatch', `http://localhost:${port}/tp`, prefix],
      ['prefix mismatch', `http://[::1]:${port}/tp`, prefix],
      ['prefix mismatch', `http://[::ffff:127.0.0.1]:${port}/tp`, prefix],
      ['prefix mismatch', `http://127.0.0.2:${port}/tp`, prefix],
      ['prefix mismatch', `http://127.0.0.1:${port}\\@169.254.169.254/tp`, prefix],
      ['prefix mismatch', `http://169.254.169.254\\@127.0.0.1:${port}/tp`, prefix],
      ['prefix mismatch', `http://169.254.169.254/tp`, prefix],
      ['prefix mismatch', `http://127.0.0.1.evil.example:${port}/tp`, prefix],
    ];
    const before = await requestCount('prefixed');
    const wrong: string[] = [];
    for (const [category, serverAddr, message] of cases) {
      const { res } = await call('prefixed', category, serverAddr);
      if (res.result !== ResultCode.REQUEST_ERROR || !message.test(res.message)) wrong.push(`${JSON.stringify(serverAddr)} → ${res.result} ${res.message}`);
    }
    expect(wrong).toEqual([]);
    expect(await requestCount('prefixed')).toBe(before);
    // And a bare "http://" or "https://" prefix admits nothing: prefixes are compared as URLs.
    for (const serverAddr of ['http://10.0.0.1/', 'https://cb.example/']) {
      const { res } = await call('guarded', 'bare scheme prefix', serverAddr, 2);
      expect(res.result, res.message).toBe(ResultCode.REQUEST_ERROR);
      expect(res.message).toMatch(/is not allowed for channel guarded/);
    }
    expect(await requestCount('guarded')).toBe(0);
  });

  it('delivers to the channel base and under an allowed prefix, however its host is spelt', async () => {
    const port = prefixRx.port;
    const accepted: [string | undefined, HostileReceiver, string][] = [
      [undefined, ownRx, '/ThirdPartService/create'],
      [P, prefixRx, '/tp/ThirdPartService/create'],
      [`${P}/`, prefixRx, '/tp/ThirdPartService/create'],
      [`${P}/sub/`, prefixRx, '/tp/sub/ThirdPartService/create'],
      [`HTTP://127.0.0.1:${port}/tp`, prefixRx, '/tp/ThirdPartService/create'],
      [`http://2130706433:${port}/tp`, prefixRx, '/tp/ThirdPartService/create'],
      [`http://0x7f.1:${port}/tp/./a`, prefixRx, '/tp/a/ThirdPartService/create'],
      // Extra slashes after a special scheme are ignored by URL parsers: the same origin.
      [`http:///127.0.0.1:${port}/tp`, prefixRx, '/tp/ThirdPartService/create'],
    ];
    const clients: [string, HostileReceiver, string][] = [];
    for (const [serverAddr, rx, path] of accepted) {
      const { clientId, res } = await call('prefixed', serverAddr === undefined ? 'own base' : 'under prefix', serverAddr);
      expect(res.result, `${String(serverAddr)}: ${res.message}`).toBe(1);
      clients.push([clientId, rx, path]);
    }
    for (const [clientId, rx, path] of clients) {
      const hit = await rx.waitFor(() => rx.hits.find((h) => h.body.clientId === clientId), 10_000, `create of ${clientId}`);
      expect(hit.path).toBe(path);
      await eventually(async () => (await createOf(clientId))!.row.status === 'delivered', 5_000, `${clientId} recorded as delivered`);
    }
    expect(victim.connections).toBe(0);
  });

  it('uses the channel base for a disallowed serverAddr when the channel says so (use-channel-base)', async () => {
    const cases: [string, unknown, 'fallback' | 'prefix' | 'refused'][] = [
      ['use-channel-base', 'http://169.254.169.254/latest/meta-data/', 'fallback'],
      ['use-channel-base', `http://localhost:${vp}/`, 'fallback'],
      ['use-channel-base', 'http://10.0.0.1/', 'fallback'],
      ['use-channel-base', `http://127.0.0.1:${vp}/tp`, 'fallback'],
      ['use-channel-base', `http://[::1]:${vp}/`, 'fallback'],
      ['use-channel-base', P, 'prefix'],
      ['use-channel-base (still refused)', 'ftp://169.254.169.254/', 'refused'],
      ['use-channel-base (still refused)', `http://u:p@127.0.0.1:${vp}/`, 'refused'],
      ['use-channel-base (still refused)', 'not a url', 'refused'],
    ];
    const before = await requestCount('fallback');
    const delivered: [string, HostileReceiver][] = [];
    for (const [category, serverAddr, expected] of cases) {
      const { clientId, res } = await call('fallback', category, serverAddr);
      if (expected === 'refused') {
        expect(res.result, res.message).toBe(ResultCode.REQUEST_ERROR);
        expect(res.message).toMatch(/serverAddr/);
      } else {
        expect(res.result, res.message).toBe(1);
        delivered.push([clientId, expected === 'fallback' ? fallbackRx : prefixRx]);
      }
    }
    expect(await requestCount('fallback')).toBe(before + delivered.length);
    for (const [clientId, rx] of delivered) {
      await rx.waitFor(() => rx.hits.find((h) => h.body.clientId === clientId), 10_000, `create of ${clientId}`);
      expect((await createOf(clientId))!.row.url.startsWith(rx.url)).toBe(true);
    }
    expect(fallbackRx.hits.map((h) => h.path).every((path) => path === '/ThirdPartService/create')).toBe(true);
    expect(victim.connections).toBe(0);
  });

  it('does not follow redirects, to a private address or another loopback path', async () => {
    const locations: Record<string, string> = {};
    redirectRx.behaviour = (hit, res) => {
      const clientId = String(hit.body.clientId);
      const n = redirectRx.hits.filter((h) => h.body.clientId === clientId).length;
      if (n <= 2 && locations[clientId]) answer(res, n === 1 ? 302 : 307, { result: 1, message: 'moved' }, { location: locations[clientId]! });
      else answer(res, 200, { result: 1, message: 'success' });
    };
    locations[`c${client + 1}`] = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
    locations[`c${client + 2}`] = `${movedRx.url}/ThirdPartService/create`;
    const a = await call('redirect', 'redirect', undefined);
    const b = await call('redirect', 'redirect', undefined);
    expect(Object.keys(locations)).toEqual([a.clientId, b.clientId]);
    expect(a.res.result).toBe(1);
    expect(b.res.result).toBe(1);
    for (const { clientId } of [a, b]) {
      const cb = await eventually(async () => {
        const found = await createOf(clientId);
        return found?.row.status === 'delivered' && found;
      }, 10_000, `create of ${clientId} delivered after the redirects`);
      expect(cb.attempts.map((t) => [t.http_status, t.error])).toEqual([
        [302, 'HTTP 302'],
        [307, 'HTTP 307'],
        [200, null],
      ]);
    }
    expect(movedRx.connections).toBe(0);
    expect(net.trips).toEqual([]);
  });

  it('refuses every attempt at a private address without connecting, once the operator no longer vouches for it', async () => {
    const vpPort = vp;
    // serverAddr → how its refusal reads: literal addresses are refused before connecting,
    // names when their lookup answers a private address.
    const literal = /^refused: .*(is a private or reserved address|carries the private or reserved address)/;
    const lookup = /^EBLOCKEDADDRESS: callback host .* resolves to a refused address: /;
    const corpus: [string, string, RegExp][] = [
      ['loopback literal', `http://127.0.0.1:${vpPort}/`, literal],
      ['loopback literal', `http://127.0.0.1:${vpPort}/tp`, literal],
      ['loopback decimal', `http://2130706433:${vpPort}/`, literal],
      ['loopback hex', `http://0x7f000001:${vpPort}/`, literal],
      ['loopback hex', `http://0x7f.0.0.1:${vpPort}/`, literal],
      ['loopback octal', `http://0177.0.0.1:${vpPort}/`, literal],
      ['loopback octal', `http://017700000001:${vpPort}/`, literal],
      ['loopback short', `http://127.1:${vpPort}/`, literal],
      ['loopback trailing dot', `http://127.0.0.1.:${vpPort}/`, literal],
      ['loopback full-width', `http://１２７.０.０.１:${vpPort}/`, literal],
      ['loopback https', `https://127.0.0.1:${vpPort}/`, literal],
      ['loopback v4-mapped v6', `http://[::ffff:127.0.0.1]:${vpPort}/`, literal],
      ['loopback v4-mapped v6', `http://[::ffff:7f00:1]:${vpPort}/`, literal],
      ['loopback v6', `http://[::1]:${vpPort}/`, literal],
      ['loopback v6', `http://[0:0:0:0:0:0:0:1]:${vpPort}/`, literal],
      ['unspecified', `http://0:${vpPort}/`, literal],
      ['unspecified', `http://0.0.0.0:${vpPort}/`, literal],
      ['unspecified v6', `http://[::]:${vpPort}/`, literal],
      ['private literal', 'http://10.0.0.1/', literal],
      ['private literal', 'http://10.1:8080/', literal],
      ['private literal', 'http://172.16.0.1/', literal],
      ['private literal', 'http://172.31.255.255/', literal],
      ['private literal', 'http://192.168.1.1/', literal],
      ['private decimal', 'http://3232235777/', literal],
      ['metadata', 'http://169.254.169.254/latest/meta-data/', literal],
      ['metadata hex', 'http://0xa9fea9fe/latest/meta-data/', literal],
      ['metadata octal', 'http://0251.0376.0251.0376/', literal],
      ['CGNAT', 'http://100.64.0.1/', literal],
      ['multicast', 'http://224.0.0.1/', literal],
      ['broadcast', 'http://255.255.255.255/', literal],
      ['link-local v6', 'http://[fe80::1]/', literal],
      ['unique local v6', 'http://[fc00::1]/', literal],
      ['unique local v6', 'https://[fd00::2]:8443/', literal],
      ['multicast v6', 'http://[ff02::1]/', literal],
      ['v4-mapped private', 'http://[0:0:0:0:0:ffff:a00:1]/', literal],
      ['NAT64 metadata', 'http://[64:ff9b::a9fe:a9fe]/', literal],
      ['6to4 metadata', 'http://[2002:a9fe:a9fe::]/', literal],
      ['name → loopback', `http://localhost:${vpPort}/`, lookup],
      ['name → loopback', `http://LOCALHOST:${vpPort}/tp`, lookup],
      ['name → loopback', `https://localhost:${vpPort}/`, lookup],
      ['name → loopback', `http://loop.test:${vpPort}/`, lookup],
      ['name → v4-mapped loopback', `http://mapped.test:${vpPort}/`, lookup],
      ['name → v6 loopback', `http://v6loop.test:${vpPort}/`, lookup],
      ['name → metadata', 'http://metadata.test/latest/meta-data/', lookup],
      ['name → private', 'http://ten.test:8080/', lookup],
      ['name → loopback and private', `http://mixed.test:${vpPort}/`, lookup],
      ['name → unique local v6', 'http://ula.test/', lookup],
    ];
    // The operator allows them all for a while: the 1000 calls are accepted and wait for G.
    const allow = await p.api('PUT', '/api/v1/admin/channels/guarded', admin, { allowServerAddr: corpus.map(([, s]) => s) });
    expect(allow.status, JSON.stringify(allow.body)).toBe(200);
    const clients: { clientId: string; category: string; serverAddr: string; expected: RegExp }[] = [];
    for (const [category, serverAddr, expected] of corpus) {
      const { clientId, res } = await call('guarded', `${category} (accepted, refused at connect)`, serverAddr, 2);
      expect(res.result, `${serverAddr}: ${res.message}`).toBe(1);
      clients.push({ clientId, category, serverAddr, expected });
    }
    // Then stops vouching for them; the waiting requests keep their serverAddr. G accepts them all.
    expect((await p.api('PUT', '/api/v1/admin/channels/guarded', admin, { allowServerAddr: [] })).status).toBe(200);
    expect((await p.api('PUT', '/api/v1/agent/status', agentG, { status: 'online' })).status).toBe(200);

    const seen = await eventually(async () => {
      const all = await Promise.all(clients.map(async (c) => ({ ...c, cb: await createOf(c.clientId) })));
      return all.every((c) => c.cb && c.cb.attempts.length >= 2) && all;
    }, 15_000, 'two attempts at every refused create');
    const wrong: string[] = [];
    for (const c of seen) {
      expect(c.cb!.row.url).toBe(`${c.serverAddr.replace(/\/+$/, '')}/ThirdPartService/create`);
      expect(c.cb!.row.status).toBe('pending');
      for (const attempt of c.cb!.attempts) {
        if (attempt.http_status !== null || !c.expected.test(attempt.error ?? '')) wrong.push(`${c.serverAddr}: ${attempt.http_status} ${attempt.error}`);
      }
    }
    expect(wrong).toEqual([]);
    // Not one connection reached the loopback service they aimed at, nor left this machine.
    expect(victim.connections).toBe(0);
    expect(victim.hits).toEqual([]);
    expect(net.trips).toEqual([]);
    // The names were looked up (at connect time, by the guard).
    for (const name of ['loop.test', 'metadata.test', 'mixed.test']) expect(net.lookups).toContain(name);
    const byCategory = new Map<string, number>();
    for (const c of seen) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
    console.info(`ssrf guard corpus: ${seen.length} accepted serverAddrs, every attempt refused without connecting: ${JSON.stringify(Object.fromEntries(byCategory))}`);

    // Control: once the operator vouches for 127.0.0.1 again, every spelling of that host
    // reaches the service (so the guard, not chance, kept it out) — but names that resolve
    // to it do not, and neither do other loopback spellings.
    victim.behaviour = (_hit, res) => answer(res, 200, { result: 1, message: 'success' });
    expect((await p.api('PUT', '/api/v1/admin/channels/guarded', admin, { allowServerAddr: [`http://127.0.0.1:${vpPort}`] })).status).toBe(200);
    const sameHost = clients.filter((c) => new URL(c.serverAddr).hostname === '127.0.0.1' && c.serverAddr.startsWith('http:'));
    expect(sameHost.length).toBeGreaterThanOrEqual(9);
    await victim.waitFor(() => sameHost.every((c) => victim.hits.some((h) => h.body.clientId === c.clientId)), 10_000, 'creates of the trusted host');
    const others = clients.filter((c) => new URL(c.serverAddr).hostname !== '127.0.0.1');
    const attemptsBefore = new Map((await Promise.all(others.map(async (c) => [c.clientId, (await createOf(c.clientId))!.attempts.length] as const))));
    await eventually(async () => {
      for (const c of others) if ((await createOf(c.clientId))!.attempts.length <= attemptsBefore.get(c.clientId)!) return false;
      return true;
    }, 15_000, 'another attempt at every other host');
    for (const c of others) {
      const last = (await createOf(c.clientId))!.attempts.at(-1)!;
      expect(last.error, c.serverAddr).toMatch(c.expected);
    }
    expect(victim.hits.filter((h) => !sameHost.some((c) => c.clientId === h.body.clientId))).toEqual([]);
    expect(net.trips).toEqual([]);
  });

  // Regression (found by this corpus, fixed in b75c6af): a bare "?" or "#" parses as an empty
  // query or fragment, which url.search / url.hash report as "", so "http://host/tp?" used to be
  // accepted and its callbacks went to "http://host/tp?/ThirdPartService/create".
  it('refuses a serverAddr with an empty query or fragment ("?" or "#" alone)', async () => {
    const before = await requestCount('prefixed');
    for (const serverAddr of [`${P}?`, `${P}#`, `${P}/?#`, `${P}/sub?`, `${P}#/x`]) {
      const { res } = await call('prefixed', 'empty query or fragment', serverAddr);
      expect(res.result, `${serverAddr}: ${res.message}`).toBe(ResultCode.REQUEST_ERROR);
      expect(res.message).toMatch(/must not carry credentials, a query or a fragment/);
    }
    expect(await requestCount('prefixed')).toBe(before);
  });
});

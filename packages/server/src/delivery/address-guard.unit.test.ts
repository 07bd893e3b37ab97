/**
 * Where a callback may connect, checked address by address: a corpus of URL hosts in every
 * spelling the URL parser accepts (decimal, hex, octal, short forms, full-width digits, IPv6 with
 * IPv4 inside), each with the verdict a third party must get. Then the lookup hook that guards
 * DNS names: refused when any address of the answer is private, unless the host is trusted, and
 * judged on every lookup (what was resolved before does not count: no DNS rebinding).
 *
 * Pure: nothing here connects anywhere. The "DNS" of the rebinding cases is a stub of
 * dns.lookup; the one real lookup is of `localhost`.
 */
import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BlockedAddressError, blockedAddressReason, guardedLookup, literalTargetProblem } from './address-guard.js';

type Verdict = 'refused' | 'allowed';
interface Case {
  url: string;
  verdict: Verdict;
  category: string;
  /** The address the URL parser normalises the host to, when it is worth saying. */
  host?: string;
}

const refused = (category: string, url: string, host?: string): Case => ({ url, verdict: 'refused', category, ...(host ? { host } : {}) });
const allowed = (category: string, url: string, host?: string): Case => ({ url, verdict: 'allowed', category, ...(host ? { host } : {}) });

/** Every entry is a URL as a third party could write it as serverAddr. */
const CORPUS: Case[] = [
  // Loopback, in every IPv4 spelling the WHATWG parser normalises.
  refused('loopback v4', 'http://127.0.0.1/'),
  refused('loopback v4', 'http://127.0.0.1:8080/tp'),
  refused('loopback v4', 'http://127.255.255.254/'),
  refused('loopback v4', 'http://127.0.0.2/'),
  refused('loopback v4 decimal', 'http://2130706433/', '127.0.0.1'),
  refused('loopback v4 hex', 'http://0x7f000001/', '127.0.0.1'),
  refused('loopback v4 hex', 'http://0x7f.0x0.0x0.0x1/', '127.0.0.1'),
  refused('loopback v4 hex', 'http://0x00007f.1/', '127.0.0.1'),
  refused('loopback v4 octal', 'http://0177.0.0.1/', '127.0.0.1'),
  refused('loopback v4 octal', 'http://017700000001/', '127.0.0.1'),
  refused('loopback v4 octal', 'http://00000000000000000000177.0.0.1/', '127.0.0.1'),
  refused('loopback v4 short', 'http://127.1/', '127.0.0.1'),
  refused('loopback v4 short', 'http://0x7f.1/', '127.0.0.1'),
  refused('loopback v4 trailing dot', 'http://127.0.0.1./', '127.0.0.1'),
  refused('loopback v4 full-width digits', 'http://１２７.０.０.１/', '127.0.0.1'),
  refused('loopback v4 enclosed digits', 'http://①②⑦.0.0.1/', '127.0.0.1'),
  refused('loopback v4 percent-encoded dot', 'http://127.0.0.1%2e/', '127.0.0.1'),
  refused('loopback v4', 'https://127.0.0.1:8443/'),
  // Unspecified / "this network".
  refused('unspecified v4', 'http://0/', '0.0.0.0'),
  refused('unspecified v4', 'http://0.0.0.0/'),
  refused('this network v4', 'http://0.1.2.3/'),
  // RFC 1918.
  refused('private 10/8', 'http://10.0.0.1/'),
  refused('private 10/8', 'http://10.255.255.255/'),
  refused('private 10/8 short', 'http://10.1/', '10.0.0.1'),
  refused('private 10/8 hex', 'http://0x0a000001/', '10.0.0.1'),
  refused('private 10/8 decimal', 'http://167772161/', '10.0.0.1'),
  refused('private 172.16/12', 'http://172.16.0.0/'),
  refused('private 172.16/12', 'http://172.16.0.1/'),
  refused('private 172.16/12', 'http://172.31.255.255/'),
  allowed('public next to 172.16/12', 'http://172.15.255.255/'),
  allowed('public next to 172.16/12', 'http://172.32.0.0/'),
  refused('private 192.168/16', 'http://192.168.0.1/'),
  refused('private 192.168/16', 'http://192.168.255.255/'),
  refused('private 192.168/16 decimal', 'http://3232235777/', '192.168.1.1'),
  refused('private 192.168/16 short', 'http://192.168.257/', '192.168.1.1'),
  allowed('public next to 192.168/16', 'http://192.169.0.1/'),
  allowed('public next to 192.168/16', 'http://192.167.255.255/'),
  // Link-local and the cloud metadata address.
  refused('link-local v4 (metadata)', 'http://169.254.169.254/latest/meta-data/'),
  refused('link-local v4 (metadata) hex', 'http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'),
  refused('link-local v4 (metadata) octal', 'http://0251.0376.0251.0376/', '169.254.169.254'),
  refused('link-local v4 (metadata) decimal', 'http://2852039166/', '169.254.169.254'),
  refused('link-local v4', 'http://169.254.0.1/'),
  // Carrier-grade NAT, benchmarking, documentation, IETF.
  refused('shared 100.64/10', 'http://100.64.0.1/'),
  refused('shared 100.64/10', 'http://100.127.255.255/'),
  allowed('public next to 100.64/10', 'http://100.128.0.1/'),
  refused('IETF 192.0.0/24', 'http://192.0.0.1/'),
  refused('documentation', 'http://192.0.2.1/'),
  refused('documentation', 'http://198.51.100.7/'),
  refused('documentation', 'http://203.0.113.9/'),
  refused('benchmarking 198.18/15', 'http://198.18.0.1/'),
  refused('benchmarking 198.18/15', 'http://198.19.255.255/'),
  refused('6to4 relay anycast', 'http://192.88.99.1/'),
  // Multicast, reserved, broadcast.
  refused('multicast v4', 'http://224.0.0.1/'),
  refused('multicast v4', 'http://239.255.255.250/'),
  refused('reserved v4', 'http://240.0.0.1/'),
  refused('broadcast v4', 'http://255.255.255.255/'),
  refused('broadcast v4 decimal', 'http://4294967295/', '255.255.255.255'),
  // IPv6.
  refused('loopback v6', 'http://[::1]/'),
  refused('loopback v6', 'http://[0:0:0:0:0:0:0:1]:8080/', '[::1]'),
  refused('unspecified v6', 'http://[::]/'),
  refused('link-local v6', 'http://[fe80::1]/'),
  refused('link-local v6', 'http://[FE80::abcd:1]/', '[fe80::abcd:1]'),
  refused('link-local v6', 'http://[febf:ffff::1]/'),
  refused('site-local v6', 'http://[fec0::1]/'),
  refused('unique local v6', 'http://[fc00::1]/'),
  refused('unique local v6', 'http://[fd00::2]/'),
  refused('unique local v6', 'http://[fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/'),
  refused('multicast v6', 'http://[ff02::1]/'),
  refused('multicast v6', 'http://[ff05::1:3]/'),
  refused('discard v6', 'http://[100::1]/'),
  refused('documentation v6', 'http://[2001:db8::1]/'),
  // IPv4 inside IPv6.
  refused('v4-mapped v6', 'http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'),
  refused('v4-mapped v6', 'http://[::ffff:7f00:1]/'),
  refused('v4-mapped v6', 'http://[0:0:0:0:0:ffff:a00:1]/', '[::ffff:a00:1]'),
  refused('v4-mapped v6', 'http://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe]'),
  refused('v4-mapped v6', 'http://[::ffff:192.168.1.1]/', '[::ffff:c0a8:101]'),
  refused('v4-mapped v6', 'http://[::ffff:0.0.0.0]/', '[::ffff:0:0]'),
  refused('v4-compatible v6', 'http://[::127.0.0.1]/', '[::7f00:1]'),
  refused('v4-compatible v6', 'http://[::10.0.0.1]/', '[::a00:1]'),
  refused('NAT64 v6', 'http://[64:ff9b::a9fe:a9fe]/'),
  refused('NAT64 v6', 'http://[64:ff9b::127.0.0.1]/', '[64:ff9b::7f00:1]'),
  refused('6to4 v6', 'http://[2002:a9fe:a9fe::]/'),
  refused('6to4 v6', 'http://[2002:7f00:1::1]/'),
  refused('6to4 v6', 'http://[2002:c0a8:101:0:0:0:0:1]/', '[2002:c0a8:101::1]'),
  // Public addresses must pass, in any spelling, and so must names (their lookup is judged).
  allowed('public v4', 'http://8.8.8.8/'),
  allowed('public v4', 'https://1.1.1.1/'),
  allowed('public v4', 'http://93.184.216.34:8080/tp'),
  allowed('public v4 decimal', 'http://134744072/', '8.8.8.8'),
  allowed('public v4 hex', 'http://0x08080808/', '8.8.8.8'),
  allowed('public v4', 'http://11.0.0.1/'),
  allowed('public v4', 'http://223.255.255.255/'),
  allowed('public v6', 'http://[2606:4700::1111]/'),
  allowed('public v6', 'http://[2001:4860:4860::8888]/'),
  allowed('public v4-mapped v6', 'http://[::ffff:8.8.8.8]/', '[::ffff:808:808]'),
  allowed('public NAT64 v6', 'http://[64:ff9b::808:808]/'),
  allowed('public 6to4 v6', 'http://[2002:808:808::1]/'),
  allowed('name (judged on lookup)', 'http://example.com/'),
  allowed('name (judged on lookup)', 'http://localhost:8080/'),
  allowed('name (judged on lookup)', 'http://metadata.google.internal/'),
];

const untrusted = () => false;

describe('the literal-address corpus', () => {
  it(`judges each of ${CORPUS.length} URL hosts as a third party must see it`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    const outcomes = new Map<string, { refused: number; allowed: number }>();
    const wrong: string[] = [];
    for (const c of CORPUS) {
      const url = new URL(c.url);
      if (c.host !== undefined) expect(url.hostname, `${c.url} normalises`).toBe(c.host);
      const problem = literalTargetProblem(url, untrusted);
      const got: Verdict = problem === undefined ? 'allowed' : 'refused';
      if (got !== c.verdict) wrong.push(`${c.url} (${c.category}): expected ${c.verdict}, got ${got}${problem ? ` (${problem})` : ''}`);
      if (problem !== undefined) expect(problem, c.url).toMatch(/private or reserved address/);
      const tally = outcomes.get(c.category) ?? { refused: 0, allowed: 0 };
      tally[got]++;
      outcomes.set(c.category, tally);
    }
    expect(wrong).toEqual([]);
    const totals = { refused: CORPUS.filter((c) => c.verdict === 'refused').length, allowed: CORPUS.filter((c) => c.verdict === 'allowed').length };
    console.info(`address-guard corpus: ${CORPUS.length} URLs, ${totals.refused} refused, ${totals.allowed} allowed; by category: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  });

  it('names the address carried inside an IPv6 address', () => {
    expect(literalTargetProblem(new URL('http://[::ffff:127.0.0.1]/'), untrusted)).toBe('::ffff:7f00:1 carries the private or reserved address 127.0.0.1');
    expect(literalTargetProblem(new URL('http://[64:ff9b::a9fe:a9fe]/'), untrusted)).toBe('64:ff9b::a9fe:a9fe carries the private or reserved address 169.254.169.254');
    expect(literalTargetProblem(new URL('http://[2002:a9fe:a9fe::]/'), untrusted)).toBe('2002:a9fe:a9fe:: carries the private or reserved address 169.254.169.254');
    expect(literalTargetProblem(new URL('http://0x7f000001/'), untrusted)).toBe('127.0.0.1 is a private or reserved address');
  });

  it('lets the hosts the operator trusts through, and only those', () => {
    const trusted = new Set(['127.0.0.1', '[::1]', '10.1.2.3']);
    const isTrusted = (h: string) => trusted.has(h);
    // Trust follows the normalised host: every spelling of a trusted address is that address.
    for (const url of ['http://127.0.0.1:9000/tp', 'http://2130706433/', 'http://0x7f.1/', 'http://[::1]/', 'http://[0:0:0:0:0:0:0:1]/', 'http://10.1.2.3/', 'http://0x0a010203/']) {
      expect(literalTargetProblem(new URL(url), isTrusted), url).toBeUndefined();
    }
    // Neighbours of trusted addresses are not trusted.
    for (const url of ['http://127.0.0.2/', 'http://[::ffff:127.0.0.1]/', 'http://10.1.2.4/', 'http://[::ffff:a01:203]/', 'http://169.254.169.254/']) {
      expect(literalTargetProblem(new URL(url), isTrusted), url).toMatch(/private or reserved/);
    }
  });

  it('leaves names to the lookup hook', () => {
    for (const url of ['http://localhost/', 'http://internal.corp/', 'http://127.0.0.1.nip.io/', 'https://cb.example.com:8443/tp']) {
      expect(literalTargetProblem(new URL(url), untrusted), url).toBeUndefined();
    }
  });
});

describe('blockedAddressReason on the addresses a lookup returns', () => {
  it('judges raw addresses, with or without brackets', () => {
    const blocked = ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', '[::1]', '::', 'fe80::1', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:a00:1', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::', '::ffff:10.0.0.1', '0.0.0.0', '255.255.255.255', '100.64.0.1', '224.0.0.1', '192.168.1.1'];
    for (const a of blocked) expect(blockedAddressReason(a), a).toMatch(/private or reserved/);
    const open = ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '172.15.255.255', '172.32.0.0', '[2606:4700::1111]'];
    for (const a of open) expect(blockedAddressReason(a), a).toBeUndefined();
  });

  it('refuses what is not an IP address at all', () => {
    for (const a of ['localhost', '', '127.0.0.1.', '1.2.3', 'http://1.1.1.1', '::ffff:1.1.1.1.1']) expect(blockedAddressReason(a), a).toMatch(/is not an IP address/);
  });

  // Regression (found by this corpus, fixed in b75c6af): the local-use NAT64 prefix
  // 64:ff9b:1::/48 (RFC 8215; not globally reachable) used to pass.
  it('refuses the local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215)', () => {
    expect(literalTargetProblem(new URL('http://[64:ff9b:1::a9fe:a9fe]/'), untrusted)).toMatch(/private or reserved/);
    expect(blockedAddressReason('64:ff9b:1::7f00:1')).toMatch(/private or reserved/);
  });
});

type LookupAnswer = { error: NodeJS.ErrnoException | null; address?: string | LookupAddress[]; family?: number };

/** Runs a LookupFunction the way net.connect does, with `all` true or false. */
function runLookup(lookup: ReturnType<typeof guardedLookup>, hostname: string, all: boolean): Promise<LookupAnswer> {
  return new Promise((resolve) => {
    lookup(hostname, { all, family: 0 } as dns.LookupOptions & { all: boolean }, ((error: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) =>
      resolve({ error, ...(address !== undefined ? { address } : {}), ...(family !== undefined ? { family } : {}) })) as never);
  });
}

describe('guardedLookup', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses localhost (a real lookup: it resolves to loopback) unless localhost is trusted', async () => {
    for (const all of [true, false]) {
      const refusedAnswer = await runLookup(guardedLookup(untrusted), 'localhost', all);
      expect(refusedAnswer.error).toBeInstanceOf(BlockedAddressError);
      expect((refusedAnswer.error as BlockedAddressError).code).toBe('EBLOCKEDADDRESS');
      expect(refusedAnswer.error!.message).toMatch(/^callback host localhost resolves to a refused address: (127\.0\.0\.1|::1) is a private or reserved address/);

      const trusted = await runLookup(guardedLookup((h) => h === 'localhost'), 'localhost', all);
      expect(trusted.error).toBeNull();
      if (all) expect((trusted.address as LookupAddress[]).map((a) => a.address)).toContain('127.0.0.1');
      else {
        expect(['127.0.0.1', '::1']).toContain(trusted.address);
        expect([4, 6]).toContain(trusted.family);
      }
    }
  });

  /** A stub DNS: each name answers from its list of answers, one per lookup, the last repeating. */
  function stubDns(table: Record<string, LookupAddress[][]>): { lookups: string[] } {
    const lookups: string[] = [];
    const served = new Map<string, number>();
    vi.spyOn(dns, 'lookup').mockImplementation(((hostname: string, _options: unknown, callback: (e: NodeJS.ErrnoException | null, a?: LookupAddress[]) => void) => {
      lookups.push(hostname);
      const answers = table[hostname];
      if (!answers) {
        const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        error.code = 'ENOTFOUND';
        queueMicrotask(() => callback(error));
        return;
      }
      const n = served.get(hostname) ?? 0;
      served.set(hostname, n + 1);
      const answer = answers[Math.min(n, answers.length - 1)]!;
      queueMicrotask(() => callback(null, answer));
    }) as unknown as typeof dns.lookup);
    return { lookups };
  }
  const v4 = (address: string): LookupAddress => ({ address, family: 4 });
  const v6 = (address: string): LookupAddress => ({ address, family: 6 });

  it('judges every lookup on its own: a name that turns private (DNS rebinding) is refused then', async () => {
    const { lookups } = stubDns({ 'rebind.test': [[v4('93.184.216.34')], [v4('127.0.0.1')], [v4('169.254.169.254')]] });
    const lookup = guardedLookup(untrusted);
    const first = await runLookup(lookup, 'rebind.test', false);
    expect(first).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    const second = await runLookup(lookup, 'rebind.test', false);
    expect(second.error?.message).toBe('callback host rebind.test resolves to a refused address: 127.0.0.1 is a private or reserved address');
    const third = await runLookup(lookup, 'rebind.test', true);
    expect(third.error?.message).toMatch(/169\.254\.169\.254 is a private or reserved address/);
    expect(lookups).toEqual(['rebind.test', 'rebind.test', 'rebind.test']);
  });

  it('refuses a name when any of its addresses is private, whichever comes first', async () => {
    stubDns({
      'mixed-first-public.test': [[v4('8.8.8.8'), v4('10.0.0.5')]],
      'mixed-first-private.test': [[v6('fd00::5'), v4('8.8.8.8')]],
      'mapped.test': [[v6('::ffff:127.0.0.1')]],
      'nat64.test': [[v6('64:ff9b::a9fe:a9fe')]],
      'public.test': [[v4('8.8.4.4'), v6('2001:4860:4860::8844')]],
    });
    const lookup = guardedLookup(untrusted);
    for (const all of [true, false]) {
      expect((await runLookup(lookup, 'mixed-first-public.test', all)).error?.message).toMatch(/10\.0\.0\.5 is a private/);
      expect((await runLookup(lookup, 'mixed-first-private.test', all)).error?.message).toMatch(/fd00::5 is a private/);
      expect((await runLookup(lookup, 'mapped.test', all)).error?.message).toMatch(/carries the private or reserved address 127\.0\.0\.1/);
      expect((await runLookup(lookup, 'nat64.test', all)).error?.message).toMatch(/carries the private or reserved address 169\.254\.169\.254/);
    }
    expect(await runLookup(lookup, 'public.test', true)).toEqual({ error: null, address: [v4('8.8.4.4'), v6('2001:4860:4860::8844')] });
    expect(await runLookup(lookup, 'public.test', false)).toEqual({ error: null, address: '8.8.4.4', family: 4 });
    // A failed lookup stays a failed lookup.
    expect((await runLookup(lookup, 'nowhere.test', false)).error?.code).toBe('ENOTFOUND');
  });

  it('lets a trusted name resolve to private addresses (the operator vouched for it)', async () => {
    stubDns({ 'cb.internal.test': [[v4('10.9.8.7')]] });
    const lookup = guardedLookup((h) => h === 'cb.internal.test');
    expect(await runLookup(lookup, 'cb.internal.test', false)).toEqual({ error: null, address: '10.9.8.7', family: 4 });
    // Another name with the same address is not trusted.
    stubDns({ 'other.test': [[v4('10.9.8.7')]] });
    expect((await runLookup(guardedLookup((h) => h === 'cb.internal.test'), 'other.test', false)).error).toBeInstanceOf(BlockedAddressError);
  });
});

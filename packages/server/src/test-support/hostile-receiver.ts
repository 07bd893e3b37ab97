/**
 * Test third parties that misbehave (hang, drip bytes, answer huge bodies, redirect, fail at
 * random, ask to retry later), and a loopback-only network for tests that name private
 * addresses: a stub DNS and a safety net under every outgoing socket of the process, so that a
 * guard that let something through is seen as a failure and never as traffic off this machine.
 */
import dns from 'node:dns';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';

export interface Hit {
  /** 1-based, in arrival order. */
  n: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, as sent. */
  raw: string;
  body: Record<string, unknown>;
  /** Date.now() when the request had been read. */
  at: number;
}

export type Behaviour = (hit: Hit, res: http.ServerResponse) => void;

export function answer(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** What a receiver can do with a request. */
export const behave = {
  ok: ((_hit, res) => answer(res, 200, { result: 1, message: 'success' })) as Behaviour,
  /** Reads the request and never answers. */
  hang: (() => undefined) as Behaviour,
  /** Sends headers, then one byte every `everyMs` without ever ending. */
  drip(everyMs: number): Behaviour {
    return (_hit, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => {
        if (res.destroyed) clearInterval(timer);
        else res.write(' ');
      }, everyMs);
      res.on('close', () => clearInterval(timer));
    };
  },
  /** A 200 whose body would say success, were it not `bytes` long. */
  huge(bytes: number): Behaviour {
    const body = `{"result":1,"message":"success","padding":"${'x'.repeat(Math.max(0, bytes - 44))}"}`;
    return (_hit, res) => answer(res, 200, body);
  },
  status(status: number, headers: Record<string, string> = {}, body: unknown = { result: 0, message: `HTTP ${status}` }): Behaviour {
    return (_hit, res) => answer(res, status, body, headers);
  },
  redirect(status: number, location: string): Behaviour {
    return (_hit, res) => answer(res, status, { result: 1, message: 'moved' }, { location });
  },
};

/** A receiver on loopback that records every request and every TCP connection it accepts. */
export class HostileReceiver {
  readonly hits: Hit[] = [];
  /** TCP connections accepted, whether or not a request came on them. */
  connections = 0;
  behaviour: Behaviour = behave.ok;
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = { unparsable: true };
      }
      const hit: Hit = { n: this.hits.length + 1, path: req.url ?? '', headers: req.headers, raw, body, at: Date.now() };
      this.hits.push(hit);
      this.behaviour(hit, res);
    });
  });

  constructor(private readonly host = '127.0.0.1') {
    this.server.on('connection', () => {
      this.connections++;
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, this.host, resolve));
    return this.url;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000, what = 'hits'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${this.hits.length} hits: ${JSON.stringify(this.hits.map((h) => [h.path, h.body.content ?? h.body.clientId]))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Deterministic numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  return /^127\./.test(a) || a === '::1' || /^::ffff:127\./.test(a) || /^::ffff:7f[0-9a-f]{2}:/.test(a);
}

export interface LoopbackOnlyNetwork {
  /** Every host name the stub DNS was asked for, in order. */
  lookups: string[];
  /** Every connection the safety net stopped: not loopback. Must stay empty. */
  trips: string[];
  restore(): void;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/**
 * Until restore(): dns.lookup answers from `names` (a name → its addresses; `localhost` is looked
 * up for real, an IP literal answers itself; any other name is ENOTFOUND), and every net/tls connection of this process to a
 * host that is not loopback, by literal or by what a lookup returned, is stopped before it is
 * made and recorded in `trips`. A stopped connection fails with ESAFETYNET.
 */
export function loopbackOnlyNetwork(names: Record<string, string[]>): LoopbackOnlyNetwork {
  const lookups: string[] = [];
  const trips: string[] = [];
  const realLookup = dns.lookup;
  const realNetConnect = net.connect;
  const realTlsConnect = tls.connect;

  const stubLookup = (hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = (typeof options === 'object' && options !== null ? options : typeof options === 'number' ? { family: options } : {}) as dns.LookupOptions;
    lookups.push(hostname);
    if (hostname === 'localhost') return (realLookup as (h: string, o: dns.LookupOptions, c: LookupCallback) => void)(hostname, opts, cb);
    // An IP literal is its own answer (server.listen asks too).
    const addresses = net.isIP(hostname) !== 0 ? [hostname] : names[hostname.toLowerCase()];
    if (!addresses) {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      queueMicrotask(() => cb(error));
      return;
    }
    const list = addresses.map((address) => ({ address, family: net.isIP(address) }));
    queueMicrotask(() => (opts.all ? cb(null, list) : cb(null, list[0]!.address, list[0]!.family)));
  };

  const stop = (what: string): NodeJS.ErrnoException => {
    trips.push(what);
    const error: NodeJS.ErrnoException = new Error(`safety net: refused to connect to ${what} (not loopback)`);
    error.code = 'ESAFETYNET';
    return error;
  };

  /** The options of a connect call, made safe. */
  const safe = (options: Record<string, unknown>): Record<string, unknown> => {
    const host = typeof options.host === 'string' ? options.host : 'localhost';
    if (options.path !== undefined) return options;
    if (net.isIP(host.replace(/^\[|\]$/g, '')) !== 0) {
      if (isLoopback(host)) return options;
      // Point it at a loopback port nobody listens on, after recording the trip: it fails.
      trips.push(`${host}:${String(options.port)}`);
      return { ...options, host: '127.0.0.1', port: 9, lookup: undefined };
    }
    const inner = (options.lookup as typeof dns.lookup | undefined) ?? dns.lookup;
    const lookup = (hostname: string, lookupOptions: dns.LookupOptions, cb: LookupCallback) => {
      (inner as (h: string, o: dns.LookupOptions, c: LookupCallback) => void)(hostname, lookupOptions, (error, address, family) => {
        if (error) return cb(error);
        const list = Array.isArray(address) ? address.map((a) => a.address) : [address!];
        const outside = list.find((a) => !isLoopback(a));
        if (outside !== undefined) return cb(stop(`${hostname} → ${outside}`));
        cb(null, address, family);
      });
    };
    return { ...options, lookup };
  };

  const wrap = <F extends (...args: never[]) => unknown>(real: F): F =>
    ((...args: unknown[]) => {
      const [first, ...rest] = args;
      if (typeof first === 'object' && first !== null) return (real as unknown as (...a: unknown[]) => unknown)(safe(first as Record<string, unknown>), ...rest);
      if (typeof first === 'number' || typeof first === 'string') {
        // connect(port, host?, ...)
        const host = typeof rest[0] === 'string' ? rest[0] : 'localhost';
        return (real as unknown as (...a: unknown[]) => unknown)(safe({ port: first, host }), ...rest.filter((r) => typeof r === 'function'));
      }
      return (real as unknown as (...a: unknown[]) => unknown)(...args);
    }) as unknown as F;

  (dns as { lookup: unknown }).lookup = stubLookup;
  (net as { connect: unknown }).connect = wrap(realNetConnect);
  (tls as { connect: unknown }).connect = wrap(realTlsConnect);
  // So that named ESM imports (`import { connect } from 'node:net'`) see the same functions.
  syncBuiltinESMExports();
  return {
    lookups,
    trips,
    restore() {
      (dns as { lookup: unknown }).lookup = realLookup;
      (net as { connect: unknown }).connect = realNetConnect;
      (tls as { connect: unknown }).connect = realTlsConnect;
      syncBuiltinESMExports();
    },
  };
}

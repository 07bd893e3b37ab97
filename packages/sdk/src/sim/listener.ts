/**
 * The simulator's callback side: an HTTP server in front of the SDK's CallbackReceiver (which
 * verifies, de-duplicates and validates). Around it the simulator counts what arrives, measures
 * latencies, hands events to the customers they are about, and records every protocol
 * violation: bad signatures and bodies (told by the receiver's onProblem), unknown fields,
 * callbacks out of order or for an unknown session, and a repeated webhook-id with another body.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_BODIES, type CallbackName } from '@elitewebchat/protocol';
import type { TSchema } from 'typebox';
import { readBody } from '../read-body.js';
import { CallbackReceiver } from '../receiver.js';
import type { Stats, ViolationKind } from './report.js';

/** What the listener needs of a customer. */
export interface Listened {
  sessionId?: number;
  /** Arrival time of the 1000's answer (ms), for create's latency. */
  requestAnsweredAt?: number;
  seen: { create: number; msg: number; pushRating: number; close: number };
  /** A callback for this customer arrived. */
  notify(): void;
}

export interface ListenerOptions {
  secrets: readonly string[];
  stats: Stats;
  customerByClientId(clientId: string): Listened | undefined;
  now?: () => number;
}

/** The keys each callback's schema allows (a union: any of its members' keys). */
function keysOf(schema: TSchema): Set<string> {
  const s = schema as { properties?: Record<string, unknown>; anyOf?: TSchema[] };
  const keys = new Set<string>(Object.keys(s.properties ?? {}));
  for (const member of s.anyOf ?? []) for (const k of keysOf(member)) keys.add(k);
  return keys;
}
const ALLOWED = new Map<string, Set<string>>(Object.entries(CALLBACK_BODIES).map(([name, schema]) => [name, keysOf(schema)]));

interface SessionTrack {
  created: boolean;
  closed: boolean;
  customer?: Listened;
  /** Callbacks that came before any create of this session: out of order if one comes, else for an unknown session. */
  early: { name: string; webhookId: string }[];
}

/** The largest callback body taken. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Most bodies remembered for the duplicate check (the oldest are forgotten first). */
const MAX_REMEMBERED = 200_000;

export class Listener {
  private readonly receiver: CallbackReceiver;
  private readonly server: http.Server;
  private readonly sessions = new Map<number, SessionTrack>();
  private readonly bodies = new Map<string, string>();
  private readonly now: () => number;
  private readonly stats: Stats;

  constructor(private readonly options: ListenerOptions) {
    this.stats = options.stats;
    this.now = options.now ?? Date.now;
    this.receiver = new CallbackReceiver({
      ...(options.secrets.length > 0 ? { secrets: options.secrets } : { unsigned: true }),
      onProblem: (p) => {
        this.stats.refused++;
        const kind: ViolationKind = p.status === 401 ? 'bad-signature' : p.status === 400 && /^body (does not match|is not JSON)/.test(p.message) ? 'bad-body' : 'refused-callback';
        this.violation(kind, p.name, p.message, p.id);
      },
      handlers: {
        create: (e, m) => this.created(e.sessionId, e.clientId, m.id),
        msg: (e, m) => this.during('msg', e.sessionId, m.id, (c) => c.seen.msg++),
        notice: (e, m) => this.during('msg', e.sessionId, m.id),
        pushRating: (e, m) => this.during('pushRating', e.sessionId, m.id, (c) => c.seen.pushRating++),
        close: (e, m) => this.during('close', e.sessionId, m.id, (c) => c.seen.close++),
        agentsUpdate: (e, m) => this.during('agentsUpdate', e.sessionId, m.id),
      },
    });
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening; resolves with the address taken (port 0: any free port). */
  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    return { host, port: address.port };
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** At the end: callbacks that came for a session no create ever named. */
  finish(): void {
    for (const [sessionId, track] of this.sessions) {
      if (track.created) continue;
      for (const e of track.early) this.violation('unknown-session', e.name, `${e.name} for session ${sessionId}, which no create ever named`, e.webhookId, sessionId);
      track.early = [];
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = this.now();
    let body: Buffer | undefined;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch {
      // The sender went away in the middle of the body: nobody is left to answer.
      res.destroy();
      return;
    }
    const text = body?.toString('utf8') ?? '';
    const path = (req.url ?? '').split('?')[0] ?? '';
    const name = path.slice(path.lastIndexOf('/') + 1);
    const idHeader = req.headers['webhook-id'];
    const id = Array.isArray(idHeader) ? idHeader[0] : idHeader;
    let answer;
    if (req.method !== 'POST' || body === undefined) {
      const message = req.method !== 'POST' ? `callbacks are POSTed, not ${req.method}` : `body over ${MAX_BODY_BYTES} bytes`;
      answer = { status: req.method !== 'POST' ? 405 : 413, body: { result: 0, message } };
      this.stats.refused++;
      this.violation('refused-callback', name, message, id);
    } else answer = await this.receiver.receive(name, req.headers, text);
    if (answer.status === 200 && id !== undefined) {
      const first = this.bodies.get(id);
      if (first === undefined) {
        this.bodies.set(id, text);
        if (this.bodies.size > MAX_REMEMBERED) this.bodies.delete(this.bodies.keys().next().value as string);
        this.accepted(name as CallbackName, id, text, arrived);
      } else {
        this.stats.duplicates++;
        if (first !== text) this.violation('duplicate-different-body', name, `webhook-id ${id} came again with another body: ${clip(text)} (first: ${clip(first)})`, id);
      }
    }
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  }

  /** A callback the receiver took for the first time: counts, latency, unknown fields. */
  private accepted(name: CallbackName, id: string, text: string, arrived: number): void {
    this.stats.callback(name);
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.time === 'number') this.stats.latencySample(name, arrived - body.time);
    const allowed = ALLOWED.get(name);
    const unknown = allowed ? Object.keys(body).filter((k) => !allowed.has(k)) : [];
    if (unknown.length > 0) this.violation('unknown-field', name, `field(s) not in the ${name} schema: ${unknown.join(', ')}`, id, typeof body.sessionId === 'number' ? body.sessionId : undefined);
  }

  private track(sessionId: number): SessionTrack {
    let t = this.sessions.get(sessionId);
    if (!t) this.sessions.set(sessionId, (t = { created: false, closed: false, early: [] }));
    return t;
  }

  private created(sessionId: number, clientId: string, webhookId: string): void {
    const t = this.track(sessionId);
    if (t.closed) this.violation('out-of-order', 'create', `create for session ${sessionId} after its close`, webhookId, sessionId);
    for (const e of t.early) this.violation('out-of-order', e.name, `${e.name} for session ${sessionId} came before its create`, e.webhookId, sessionId);
    t.early = [];
    t.created = true;
    const customer = this.options.customerByClientId(clientId);
    if (!customer) {
      this.violation('unknown-client', 'create', `create for clientId ${JSON.stringify(clientId)}, who is none of this run's customers`, webhookId, sessionId);
      return;
    }
    t.customer = customer;
    customer.sessionId = sessionId;
    customer.seen.create++;
    if (customer.requestAnsweredAt !== undefined && customer.seen.create === 1) this.stats.createAfterRequest.push(Math.max(0, this.now() - customer.requestAnsweredAt));
    customer.notify();
  }

  private during(name: string, sessionId: number, webhookId: string, count?: (c: Listened) => void): void {
    const t = this.track(sessionId);
    if (t.closed) this.violation('out-of-order', name, `${name} for session ${sessionId} after its close`, webhookId, sessionId);
    if (!t.created) {
      t.early.push({ name, webhookId });
      return;
    }
    if (name === 'close') t.closed = true;
    if (t.customer) {
      count?.(t.customer);
      t.customer.notify();
    }
  }

  private violation(kind: ViolationKind, callback: string, detail: string, webhookId?: string, sessionId?: number): void {
    this.stats.violation({ kind, callback, detail, ...(webhookId !== undefined ? { webhookId } : {}), ...(sessionId !== undefined ? { sessionId } : {}) });
  }
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

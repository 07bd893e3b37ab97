/**
 * A web-chat visitor for tests, as the widget is one: the visitor API over real HTTP, and the
 * `/webchat` live feed over a real socket. Every event is checked against the protocol
 * (VISITOR_SERVER_EVENT_ARGS); close() throws naming each one that did not match.
 */
import { VISITOR_SERVER_EVENT_ARGS } from '@elitewebchat/protocol';
import { io, type Socket } from 'socket.io-client';
import { Compile } from 'typebox/compile';

const validators = new Map(Object.entries(VISITOR_SERVER_EVENT_ARGS).map(([name, schema]) => [name, Compile(schema)]));

export interface VisitorReply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export class Visitor {
  token = '';
  visitorId = '';
  socket: Socket | undefined;
  readonly events: { name: string; data: Record<string, unknown> }[] = [];
  readonly violations: string[] = [];

  constructor(
    readonly url: string,
    readonly channelId: string,
    /** Headers every call sends (a browser's Origin, User-Agent). */
    readonly headers: Record<string, string> = {},
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<VisitorReply<T>> {
    const h: Record<string, string> = { ...this.headers, ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(`${this.url}/api/v1/webchat/${this.channelId}${path}`, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json')) parsed = text ? JSON.parse(text) : null;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Gets a token (the same visitor again when it still holds a valid one). */
  async visit(identity?: { userId: string; hash: string }): Promise<VisitorReply> {
    const res = await this.call('POST', '/visitor', { ...(this.token ? { token: this.token } : {}), ...(identity ? { identity } : {}) });
    if (res.status === 200) {
      this.token = res.body.token as string;
      this.visitorId = res.body.visitorId as string;
    }
    return res;
  }

  async expect<T = Record<string, unknown>>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path}: expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async connect(): Promise<void> {
    const socket = io(`${this.url}/webchat`, { path: '/socket.io', auth: { token: this.token }, transports: ['websocket'], reconnection: false, extraHeaders: this.headers });
    this.socket = socket;
    socket.onAny((name: string, ...args: unknown[]) => {
      const validator = validators.get(name);
      if (!validator) this.violations.push(`${name} is not a visitor event`);
      else if (!validator.Check(args)) this.violations.push(`${name}: ${validator.Errors(args).map((e) => `${e.instancePath} ${e.message}`).join('; ')}: ${JSON.stringify(args).slice(0, 300)}`);
      this.events.push({ name, data: args[0] as Record<string, unknown> });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
  }

  of(name: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.name === name).map((e) => e.data);
  }

  async waitFor(predicate: (e: { name: string; data: Record<string, unknown> }) => boolean, what: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(predicate);
      if (hit) return hit.data;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events).slice(0, 1000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The latest `state` pushed that satisfies the predicate. */
  waitForState(predicate: (state: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    return this.waitFor((e) => e.name === 'state' && predicate(e.data), what);
  }

  close(): void {
    this.socket?.close();
    if (this.violations.length > 0) throw new Error(`the visitor feed received malformed events:\n${this.violations.join('\n')}`);
  }
}

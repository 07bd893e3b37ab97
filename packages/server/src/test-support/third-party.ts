/**
 * A test third party: a real HTTP server on loopback that receives the platform's callbacks
 * at /ThirdPartService/{name} and records them. Its answers can be scripted to fail. Given the
 * bridge's prefix and bodies, it plays an agent bridge (/AgentBridge/{name}) the same way.
 *
 * Every callback is checked against the protocol's schema of its name (CALLBACK_BODIES): an
 * unknown name, a body that is not JSON or one that does not match is a violation, and stop()
 * throws naming each, so a test that stops its third party fails on a malformed callback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BRIDGE_CALLBACK_BODIES, CALLBACK_BODIES } from '@elitewebchat/protocol';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

type Validators = Map<string, ReturnType<typeof Compile>>;
const compileAll = (bodies: Record<string, TSchema>): Validators => new Map(Object.entries(bodies).map(([name, schema]) => [name, Compile(schema)]));

/** Where the callbacks arrive and what each must look like: a third party's (TPI) or an agent bridge's. */
export const TPI_RECEIVER = { prefix: '/ThirdPartService/', validators: compileAll(CALLBACK_BODIES) };
export const BRIDGE_RECEIVER = { prefix: '/AgentBridge/', validators: compileAll(BRIDGE_CALLBACK_BODIES) };

/** Why a callback does not match the protocol, or undefined when it does. */
function callbackViolation(path: string, raw: string, { prefix: PREFIX, validators }: { prefix: string; validators: Validators } = TPI_RECEIVER): string | undefined {
  const name = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : undefined;
  const validator = name === undefined ? undefined : validators.get(name);
  const excerpt = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
  if (!validator) return `POST ${path}: not a callback of the protocol (expected ${PREFIX}{${[...validators.keys()].join('|')}}); body ${excerpt}`;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return `${name}: body is not JSON: ${excerpt}`;
  }
  if (validator.Check(body)) return undefined;
  const errors = validator.Errors(body).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
  return `${name}: body does not match the protocol (${errors.join('; ')}): ${excerpt}`;
}

export interface ReceivedCallback {
  name: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  at: number;
  /** What this receiver answered. */
  answered: 'ok' | 'failed';
}

export type Answer = { status?: number; body?: unknown; delayMs?: number } | 'ok';

export class ThirdParty {
  readonly received: ReceivedCallback[] = [];
  /** Every callback that did not match the protocol, said in words; stop() throws if any. */
  readonly violations: string[] = [];
  /** Decides each answer; default: `{result: 1}`. */
  answer: (name: string, body: Record<string, unknown>, n: number) => Answer = () => 'ok';
  private server = http.createServer((req, res) => this.handle(req, res));
  private waiters: (() => void)[] = [];

  constructor(private readonly receiver: typeof TPI_RECEIVER = TPI_RECEIVER) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening; then throws if any callback it received was malformed. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.violations.length > 0) {
      throw new Error(`the test third party received ${this.violations.length} malformed callback(s):\n${this.violations.map((v) => `- ${v}`).join('\n')}`);
    }
  }

  /**
   * The callbacks answered with success, in the order they arrived. A delayed answer counts
   * even if the platform stopped waiting for it first: tests with timeouts keep their own log.
   */
  get delivered(): ReceivedCallback[] {
    return this.received.filter((r) => r.answered === 'ok');
  }

  ofName(name: string): ReceivedCallback[] {
    return this.delivered.filter((r) => r.name === name);
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000, what = 'callback'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.received.map((r) => [r.name, r.answered, r.body]))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const name = path.startsWith(this.receiver.prefix) ? path.slice(this.receiver.prefix.length) : path;
      const raw = Buffer.concat(chunks).toString('utf8');
      const violation = callbackViolation(path, raw, this.receiver);
      if (violation !== undefined) this.violations.push(violation);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = { unparsable: true };
      }
      const n = this.received.filter((r) => r.name === name).length;
      const answer = this.answer(name, body, n);
      const ok = answer === 'ok' || ((answer.status ?? 200) === 200 && (answer.body as { result?: unknown } | undefined)?.result === 1);
      const send = () => {
        this.received.push({ name, body, headers: req.headers, at: Date.now(), answered: ok ? 'ok' : 'failed' });
        const a = answer === 'ok' ? { status: 200, body: { result: 1, message: 'success' } } : answer;
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
        res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}));
        for (const w of this.waiters.splice(0)) w();
      };
      if (answer !== 'ok' && answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  }
}

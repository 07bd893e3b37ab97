/**
 * A test third party: a real HTTP server on loopback that receives the platform's callbacks
 * at /ThirdPartService/{name} and records them. Its answers can be scripted to fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
  /** Decides each answer; default: `{result: 1}`. */
  answer: (name: string, body: Record<string, unknown>, n: number) => Answer = () => 'ok';
  private server = http.createServer((req, res) => this.handle(req, res));
  private waiters: (() => void)[] = [];

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
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
      const name = (req.url ?? '').replace(/^\/ThirdPartService\//, '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
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

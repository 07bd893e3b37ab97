/**
 * Sends callbacks as the platform does: POST {base}/ThirdPartService/{name}, Standard Webhooks
 * headers (webhook-id `cb_<n>`, the same on every retry), signed with each of the channel's
 * secrets, in order per session (the next waits until the previous one succeeded: 2xx and a JSON
 * `result` of 1 or "1"), retried with a doubling backoff. Every attempt is recorded.
 */
import type { CallbackBodies, CallbackName } from '@elitewebchat/protocol';
import { Webhook } from 'standardwebhooks';
import type { MockCallback } from './state.js';

export interface SenderOptions {
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

interface Lane {
  items: MockCallback[];
  running: boolean;
  secrets: string[];
}

/** Waits ms, or less if the signal aborts; either way it leaves no listener on the signal. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export class CallbackSender {
  /** Every callback written, oldest first. */
  readonly all: MockCallback[] = [];
  private next = 1;
  private readonly lanes = new Map<string, Lane>();
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: SenderOptions) {}

  /**
   * Writes one callback and sends it after those before it in its lane (`s:<sessionId>`, or
   * `r:<requestId>` for a request's updateRequestStatus).
   */
  send<N extends CallbackName>(lane: string, base: string, name: N, body: CallbackBodies[N], secrets: readonly string[], about: { sessionId?: number; requestId?: number }): MockCallback {
    const callback: MockCallback = {
      id: `cb_${this.next++}`,
      name,
      url: `${base.replace(/\/+$/, '')}/ThirdPartService/${name}`,
      ...about,
      body: body as Record<string, unknown>,
      status: 'pending',
      attempts: [],
    };
    this.all.push(callback);
    let entry = this.lanes.get(lane);
    if (!entry) {
      entry = { items: [], running: false, secrets: [...secrets] };
      this.lanes.set(lane, entry);
    }
    entry.items.push(callback);
    if (!entry.running) {
      const run = this.drain(entry);
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }
    return callback;
  }

  /** Resolves when no callback is pending (or the sender stops). */
  idle(): Promise<void> {
    if (this.all.every((c) => c.status === 'delivered')) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops sending: pending callbacks stay pending. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
    for (const w of this.waiters.splice(0)) w();
  }

  private async drain(lane: Lane): Promise<void> {
    lane.running = true;
    try {
      while (lane.items.length > 0 && !this.stopping.signal.aborted) {
        const callback = lane.items[0]!;
        for (let attempt = 0; !this.stopping.signal.aborted; attempt++) {
          if (await this.attempt(callback, lane.secrets)) break;
          const delay = Math.min(this.options.backoffMs * 2 ** attempt, this.options.maxBackoffMs) * (0.8 + Math.random() * 0.4);
          await sleep(delay, this.stopping.signal);
        }
        if (callback.status !== 'delivered') return;
        lane.items.shift();
        if (this.all.every((c) => c.status === 'delivered')) for (const w of this.waiters.splice(0)) w();
      }
    } finally {
      lane.running = false;
    }
  }

  private async attempt(callback: MockCallback, secrets: string[]): Promise<boolean> {
    const payload = JSON.stringify(callback.body);
    const now = new Date();
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'EliteWebChat-Callback/1',
      'webhook-id': callback.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    };
    if (secrets.length > 0) headers['webhook-signature'] = secrets.map((s) => new Webhook(s).sign(callback.id, now, payload)).join(' ');
    const record = { at: now.getTime(), ok: false } as MockCallback['attempts'][number];
    callback.attempts.push(record);
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopping.signal]);
      const response = await fetch(callback.url, { method: 'POST', headers, body: payload, redirect: 'manual', signal });
      record.status = response.status;
      const text = await readAnswer(response);
      if (text === undefined) {
        record.error = `answer is larger than ${MAX_ANSWER_BYTES} bytes`;
        return false;
      }
      if (response.status < 200 || response.status > 299) {
        record.error = `HTTP ${response.status}: ${text.slice(0, 200)}`;
        return false;
      }
      let answer: unknown;
      try {
        answer = JSON.parse(text);
      } catch {
        record.error = `the answer is not JSON: ${text.slice(0, 200)}`;
        return false;
      }
      const result = (answer as { result?: unknown } | null)?.result;
      if (result !== 1 && result !== '1') {
        record.error = `result ${JSON.stringify(result)} is not 1`;
        return false;
      }
      record.ok = true;
      callback.status = 'delivered';
      return true;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      record.error = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      return false;
    }
  }
}

/** How much of a bridge's answer is read, as the platform reads it: a longer one fails the attempt. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The answer's text, or undefined when it is longer than MAX_ANSWER_BYTES (the rest is not read). */
async function readAnswer(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    // Leaving the loop cancels the rest of the stream.
    if (size > MAX_ANSWER_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

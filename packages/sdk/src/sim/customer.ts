/**
 * One simulated customer: runs the scenario's steps in order against the platform through the
 * SDK's TpiClient, learning its session from the `create` callback (the listener fills it in).
 * A request that ends without an agent (seen by polling 1001) ends the customer there.
 */
import { RequestStatus, requestStatusName } from '@elitewebchat/protocol';
import type { TpiClient } from '../client.js';
import { TpiError, TpiTransportError } from '../errors.js';
import type { Listened } from './listener.js';
import type { Stats } from './report.js';
import type { Scenario, Step } from './scenario.js';

export type Phase = 'pending' | 'waiting' | 'chatting' | 'done';

export interface CustomerContext {
  scenario: Scenario;
  client: TpiClient;
  stats: Stats;
  /** Aborted at maxSeconds (or by the caller): every wait ends, no further step runs. */
  signal: AbortSignal;
  /** When the run must end (ms): the default end of every wait. */
  deadline: number;
  /** The images of sendImage steps, as data URIs, by the step's value. */
  images: ReadonlyMap<string, string>;
  /** The run's id, for `${run}` in texts and clientIds. */
  run: string;
}

const ACCEPTED_STATES: readonly number[] = [RequestStatus.ACCEPTED, RequestStatus.ENTERPRISE_WECHAT_ACCEPTED];

/** Fills `${n}` and `${run}`. */
export function fill(template: string, n: number, run: string): string {
  return template.replaceAll('${n}', String(n)).replaceAll('${run}', run);
}

type Outcome<T> = { ok: true; answer: T } | { ok: false; code: number | 'NO_ANSWER' };

/** Why a customer stops before its last step. */
class Stop extends Error {}

export class Customer implements Listened {
  phase: Phase = 'pending';
  readonly clientId: string;
  requestId?: number;
  sessionId?: number;
  requestAnsweredAt?: number;
  /** The request's state (RequestStatus); final when `final`. */
  status?: number;
  final = false;
  readonly seen = { create: 0, msg: 0, pushRating: 0, close: 0 };
  private wake: () => void = () => undefined;
  private accounted = false;

  constructor(
    readonly n: number,
    private readonly ctx: CustomerContext,
  ) {
    this.clientId = fill(ctx.scenario.clientId, n, ctx.run);
  }

  notify(): void {
    if (this.sessionId !== undefined && this.phase === 'waiting') this.phase = 'chatting';
    this.wake();
  }

  /** Runs every step; resolves when done, stopped or ended without an agent. Never rejects. */
  async run(): Promise<void> {
    const { stats, signal } = this.ctx;
    stats.customersStarted++;
    let stopped = false;
    try {
      for (const step of this.ctx.scenario.customer) {
        if (signal.aborted) throw new Stop();
        await this.step(step);
      }
      await this.settleState();
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
      stopped = signal.aborted;
    } finally {
      this.account(stopped);
    }
  }

  /**
   * Counts the customer's outcome, once: when it ends, or when the report is made while it is
   * still in a call after the stop (then as stopped, its request in the state last known).
   */
  account(stopped: boolean): void {
    if (this.accounted) return;
    this.accounted = true;
    const { stats } = this.ctx;
    if (this.requestId !== undefined) stats.requestEnded(requestStatusName(this.status ?? RequestStatus.WAITING));
    if (stopped) stats.customersStopped++;
    else stats.customersFinished++;
    this.phase = 'done';
  }

  private async step(step: Step): Promise<void> {
    const { client, scenario, run } = this.ctx;
    const text = (t: string) => fill(t, this.n, run);
    if (step.request) {
      const r = step.request;
      const out = await this.call('requestChat', () =>
        client.requestChat({
          clientId: this.clientId,
          queueId: Array.isArray(r.queueId) ? r.queueId[(this.n - 1) % r.queueId.length]! : r.queueId,
          time: Date.now(),
          ...(r.from ? { from: r.from } : {}),
          ...(r.nickname ? { nickname: text(r.nickname) } : {}),
          ...(scenario.callbacks.serverAddr ? { serverAddr: scenario.callbacks.serverAddr } : {}),
        }),
      );
      if (!out.ok) {
        this.ctx.stats.requestRefused(out.code);
        throw new Stop();
      }
      this.requestAnsweredAt = Date.now();
      this.requestId = out.answer.requestId;
      this.status = out.answer.continueLastSession ? RequestStatus.ACCEPTED : RequestStatus.WAITING;
      this.phase = this.sessionId === undefined ? 'waiting' : 'chatting';
    } else if (step.waitFor !== undefined) {
      await this.waitFor(step.waitFor);
    } else if (step.preMessage !== undefined) {
      const t = step.preMessage;
      await this.call('seedPreMessage', () => client.seedPreMessage({ requestId: this.requestId!, text: text(t) }));
    } else if (step.send !== undefined) {
      const t = step.send;
      const sessionId = await this.session();
      await this.call('sendText', () => client.sendText({ sessionId, clientId: this.clientId, text: text(t), time: Date.now() }));
    } else if (step.sendImage !== undefined) {
      const imgData = this.ctx.images.get(step.sendImage)!;
      const sessionId = await this.session();
      await this.call('sendImage', () => client.sendImage({ sessionId, clientId: this.clientId, imgName: `sim-${this.n}.png`, imgData, time: Date.now() }));
    } else if (step.pause !== undefined) {
      await this.sleep(step.pause * 1000);
      if (this.ctx.signal.aborted) throw new Stop();
    } else if (step.rate) {
      const r = step.rate;
      const sessionId = await this.session();
      await this.call('rate', () => client.rate({ sessionId, ratingId: r.ratingId, ...(r.comments !== undefined ? { ratingComments: text(r.comments) } : {}) }));
    } else if (step.close) {
      const sessionId = await this.session();
      await this.call('close', () => client.close({ sessionId, time: Date.now() }));
    } else if (step.cancel) {
      const out = await this.call('cancelRequest', () => client.cancelRequest({ requestId: this.requestId! }));
      if (out.ok) {
        this.end(RequestStatus.CANCELED_BY_CLIENT);
        throw new Stop();
      }
    }
  }

  private async waitFor(w: NonNullable<Step['waitFor']>): Promise<void> {
    const o = typeof w === 'string' ? { [w]: true } : w;
    const timeoutMs = o.timeoutSeconds !== undefined ? o.timeoutSeconds * 1000 : undefined;
    const pollMs = (o.pollSeconds ?? 1) * 1000;
    if (o.create) {
      if (!(await this.waitUntil(() => this.sessionId !== undefined, timeoutMs, pollMs))) this.timedOut('create');
    } else if (o['accepted-or-final']) {
      if (!(await this.waitUntil(() => this.final || (this.status !== undefined && ACCEPTED_STATES.includes(this.status)), timeoutMs, pollMs, true))) this.timedOut('accepted-or-final');
    } else {
      const [what, count] = o.msg !== undefined ? (['msg', o.msg] as const) : o.pushRating !== undefined ? (['pushRating', o.pushRating] as const) : (['close', 1] as const);
      if (!(await this.waitUntil(() => this.seen[what] >= count, timeoutMs))) {
        this.ctx.stats.waitTimeout(what);
        if (this.ctx.signal.aborted) throw new Stop();
      }
    }
  }

  /** A wait for the request that ran out: the customer cannot go on. */
  private timedOut(what: string): never {
    this.ctx.stats.waitTimeout(what);
    throw new Stop();
  }

  /** The session, waiting for its create (polling the request meanwhile) if it has not come yet. */
  private async session(): Promise<number> {
    if (this.sessionId === undefined && !(await this.waitUntil(() => this.sessionId !== undefined, undefined, 1000))) this.timedOut('create');
    return this.sessionId!;
  }

  /**
   * Waits until `done()`, a timeout (default: the run's deadline) or the end of the run.
   * With `pollMs`, polls the request (1001) that often meanwhile: a request that ends without
   * an agent ends the customer. With `pollFirst`, polls at once.
   */
  private async waitUntil(done: () => boolean, timeoutMs: number | undefined, pollMs?: number, pollFirst = false): Promise<boolean> {
    const end = Math.min(this.ctx.deadline, timeoutMs === undefined ? Infinity : Date.now() + timeoutMs);
    let nextPoll = pollMs === undefined ? Infinity : pollFirst ? Date.now() : Date.now() + pollMs;
    for (;;) {
      if (done()) return true;
      if (this.ctx.signal.aborted) throw new Stop();
      const now = Date.now();
      if (now >= end) return false;
      if (pollMs !== undefined && now >= nextPoll && this.requestId !== undefined && !this.final) {
        await this.poll();
        nextPoll = Date.now() + pollMs;
        continue;
      }
      await this.sleep(Math.min(end, nextPoll) - now, true);
    }
  }

  /** 1001: a final state without an agent ends the customer. */
  private async poll(): Promise<void> {
    const out = await this.call('pollRequest', () => this.ctx.client.pollRequest({ requestId: this.requestId! }));
    if (!out.ok || out.answer.requestStatus === undefined) return;
    const status = out.answer.requestStatus;
    this.status = status;
    if (status === RequestStatus.WAITING) return;
    if (ACCEPTED_STATES.includes(status)) {
      this.final = true;
      return;
    }
    this.end(status);
    throw new Stop();
  }

  private end(status: number): void {
    this.status = status;
    this.final = true;
  }

  /** After the last step: a request whose outcome is not known yet is asked once. */
  private async settleState(): Promise<void> {
    if (this.requestId === undefined || this.final) return;
    if (this.sessionId !== undefined) {
      this.status = RequestStatus.ACCEPTED;
      return;
    }
    await this.poll();
  }

  /** Sleeps up to ms; a callback for this customer (wakeable) or the end of the run cuts it short. */
  private sleep(ms: number, wakeable = false): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const signal = this.ctx.signal;
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        if (wakeable) this.wake = () => undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      signal.addEventListener('abort', finish);
      if (wakeable) this.wake = finish;
    });
  }

  /** One call, counted by its result; a refusal or no answer is an outcome, not an exception. */
  private async call<T>(name: string, send: () => Promise<T>): Promise<Outcome<T>> {
    try {
      const answer = await send();
      this.ctx.stats.call(name, 1);
      return { ok: true, answer };
    } catch (error) {
      if (error instanceof TpiError) {
        this.ctx.stats.call(name, error.code);
        return { ok: false, code: error.code };
      }
      if (error instanceof TpiTransportError) {
        this.ctx.stats.call(name, 'NO_ANSWER');
        return { ok: false, code: 'NO_ANSWER' };
      }
      throw error;
    }
  }
}

/**
 * What a simulation counts while it runs (Stats), the report it ends with (Report), and both as
 * text: the live summary line and the final report.
 */
import { resultCodeName } from '@elitewebchat/protocol';

/** The kinds of protocol violation the simulator recognises. */
export type ViolationKind =
  | 'out-of-order'
  | 'unknown-session'
  | 'unknown-client'
  | 'unknown-field'
  | 'bad-signature'
  | 'bad-body'
  | 'duplicate-different-body'
  | 'refused-callback';

export interface Violation {
  kind: ViolationKind;
  /** The callback's name (create, msg, …), or the last segment of its path. */
  callback: string;
  webhookId?: string;
  sessionId?: number;
  detail: string;
}

/** One call type's counts: sent, answered 1, and the rest by result-code name (NO_ANSWER: none came). */
export interface CallCounts {
  sent: number;
  acknowledged: number;
  failed: Record<string, number>;
}

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export interface Report {
  /** ISO time the run began, and how long it took in seconds. */
  startedAt: string;
  seconds: number;
  /** True when maxSeconds ended the run before every customer had finished. */
  stoppedByMaxSeconds: boolean;
  customers: { planned: number; started: number; finished: number; stopped: number };
  /** Each request (1000 answered 1) by its final state (RequestStatus names; WAITING: still waiting at the end). */
  requests: Record<string, number>;
  /** 1000 calls refused, by result code name: no request was made. */
  requestsRefused: Record<string, number>;
  /** Customer texts and images (2001, 2002) together. */
  messages: CallCounts;
  /** Every call by its client method name (requestChat, pollRequest, sendText, sendImage, rate, close, …). */
  calls: Record<string, CallCounts>;
  /** Callbacks handled, by name (each webhook-id once); repeats of a handled one in `duplicates`. */
  callbacks: { received: Record<string, number>; duplicates: number; refused: number };
  /** Milliseconds: arrival minus the body's `time`, by callback name; createAfterRequest: create's arrival minus the 1000's answer. */
  latencyMs: { callbacks: Record<string, Latency>; createAfterRequest: Latency };
  /** waitFor steps that ran out of time, by what they waited for. */
  waitTimeouts: Record<string, number>;
  violations: { total: number; byKind: Partial<Record<ViolationKind, number>>; list: Violation[] };
}

/** The most violations kept in the report's list (all are counted). */
export const MAX_LISTED_VIOLATIONS = 1_000;

const inc = (map: Record<string, number>, key: string, by = 1) => {
  map[key] = (map[key] ?? 0) + by;
};

export function latencyOf(samples: number[]): Latency {
  if (samples.length === 0) return { count: 0, p50: 0, p95: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank percentiles.
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { count: sorted.length, p50: at(50), p95: at(95), max: sorted[sorted.length - 1]! };
}

/** The running counts, turned into a Report at the end. */
export class Stats {
  readonly calls: Record<string, CallCounts> = {};
  readonly requests: Record<string, number> = {};
  readonly requestsRefused: Record<string, number> = {};
  readonly callbacksReceived: Record<string, number> = {};
  duplicates = 0;
  refused = 0;
  readonly latency: Record<string, number[]> = {};
  readonly createAfterRequest: number[] = [];
  readonly waitTimeouts: Record<string, number> = {};
  readonly violations: Violation[] = [];
  readonly violationsByKind: Partial<Record<ViolationKind, number>> = {};
  violationCount = 0;
  customersStarted = 0;
  customersFinished = 0;
  customersStopped = 0;

  call(name: string, code: number | 'NO_ANSWER'): void {
    const c = (this.calls[name] ??= { sent: 0, acknowledged: 0, failed: {} });
    c.sent++;
    if (code === 1) c.acknowledged++;
    else inc(c.failed, code === 'NO_ANSWER' ? code : resultCodeName(code));
  }

  callback(name: string): void {
    inc(this.callbacksReceived, name);
  }

  latencySample(name: string, ms: number): void {
    (this.latency[name] ??= []).push(ms);
  }

  waitTimeout(what: string): void {
    inc(this.waitTimeouts, what);
  }

  requestEnded(state: string): void {
    inc(this.requests, state);
  }

  requestRefused(code: number | 'NO_ANSWER'): void {
    inc(this.requestsRefused, code === 'NO_ANSWER' ? code : resultCodeName(code));
  }

  violation(v: Violation): void {
    this.violationCount++;
    inc(this.violationsByKind as Record<string, number>, v.kind);
    if (this.violations.length < MAX_LISTED_VIOLATIONS) this.violations.push(v);
  }

  sentMessages(): number {
    return (this.calls.sendText?.sent ?? 0) + (this.calls.sendImage?.sent ?? 0);
  }

  totalCallbacks(): number {
    return Object.values(this.callbacksReceived).reduce((a, b) => a + b, 0);
  }

  report(planned: number, startedAt: number, endedAt: number, stoppedByMaxSeconds: boolean): Report {
    const messages: CallCounts = { sent: 0, acknowledged: 0, failed: {} };
    for (const name of ['sendText', 'sendImage']) {
      const c = this.calls[name];
      if (!c) continue;
      messages.sent += c.sent;
      messages.acknowledged += c.acknowledged;
      for (const [code, n] of Object.entries(c.failed)) inc(messages.failed, code, n);
    }
    return {
      startedAt: new Date(startedAt).toISOString(),
      seconds: Math.round((endedAt - startedAt) / 10) / 100,
      stoppedByMaxSeconds,
      customers: { planned, started: this.customersStarted, finished: this.customersFinished, stopped: this.customersStopped },
      requests: { ...this.requests },
      requestsRefused: { ...this.requestsRefused },
      messages,
      calls: structuredClone(this.calls),
      callbacks: { received: { ...this.callbacksReceived }, duplicates: this.duplicates, refused: this.refused },
      latencyMs: {
        callbacks: Object.fromEntries(Object.entries(this.latency).map(([name, samples]) => [name, latencyOf(samples)])),
        createAfterRequest: latencyOf(this.createAfterRequest),
      },
      waitTimeouts: { ...this.waitTimeouts },
      violations: { total: this.violationCount, byKind: { ...this.violationsByKind }, list: [...this.violations] },
    };
  }
}

const counts = (map: Record<string, number>) =>
  Object.entries(map)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

const lat = (l: Latency) => (l.count === 0 ? 'none' : `p50 ${l.p50} ms, p95 ${l.p95} ms, max ${l.max} ms (${l.count})`);

/** The final report as text, for people. */
export function formatReport(r: Report): string {
  const lines = [
    `webchat-sim: ${r.seconds} s${r.stoppedByMaxSeconds ? ' (stopped by maxSeconds)' : ''}`,
    `customers: ${r.customers.planned} planned, ${r.customers.started} started, ${r.customers.finished} finished, ${r.customers.stopped} stopped`,
    `requests: ${counts(r.requests)}`,
  ];
  if (Object.keys(r.requestsRefused).length > 0) lines.push(`requests refused (1000 not 1): ${counts(r.requestsRefused)}`);
  lines.push(`messages: ${r.messages.sent} sent, ${r.messages.acknowledged} acknowledged, failed: ${counts(r.messages.failed)}`);
  for (const [name, c] of Object.entries(r.calls)) lines.push(`  ${name}: ${c.sent} sent, ${c.acknowledged} acknowledged${Object.keys(c.failed).length > 0 ? `, failed: ${counts(c.failed)}` : ''}`);
  lines.push(`callbacks: ${counts(r.callbacks.received)}; ${r.callbacks.duplicates} duplicate(s), ${r.callbacks.refused} refused`);
  for (const [name, l] of Object.entries(r.latencyMs.callbacks)) lines.push(`  latency ${name}: ${lat(l)}`);
  lines.push(`  create after the 1000 answer: ${lat(r.latencyMs.createAfterRequest)}`);
  if (Object.keys(r.waitTimeouts).length > 0) lines.push(`waits that timed out: ${counts(r.waitTimeouts)}`);
  lines.push(`violations: ${r.violations.total}${r.violations.total > 0 ? ` (${counts(r.violations.byKind as Record<string, number>)})` : ''}`);
  for (const v of r.violations.list) lines.push(`  - ${v.kind} ${v.callback}${v.webhookId ? ` [${v.webhookId}]` : ''}${v.sessionId !== undefined ? ` session ${v.sessionId}` : ''}: ${v.detail}`);
  if (r.violations.total > r.violations.list.length) lines.push(`  … and ${r.violations.total - r.violations.list.length} more`);
  return lines.join('\n');
}

/** The live summary line. */
export function summaryLine(elapsedMs: number, phases: { waiting: number; chatting: number; done: number; planned: number }, stats: Stats): string {
  return `[${(elapsedMs / 1000).toFixed(1).padStart(6)} s] customers waiting ${phases.waiting}, chatting ${phases.chatting}, done ${phases.done}/${phases.planned} | messages sent ${stats.sentMessages()} | callbacks ${stats.totalCallbacks()} | violations ${stats.violationCount}`;
}

/**
 * webchat-sim, programmatically: `runSimulation(scenario)` plays the scenario's customers
 * against a platform, listens for its callbacks and resolves with the report. It always ends by
 * itself: when every customer is done (plus settleSeconds for late callbacks), or at maxSeconds.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TpiClient } from '../client.js';
import { Customer } from './customer.js';
import { Listener } from './listener.js';
import { Stats, summaryLine, type Report } from './report.js';
import { ScenarioError, hostPort, type Scenario } from './scenario.js';

export { formatReport, summaryLine, latencyOf, MAX_LISTED_VIOLATIONS, type CallCounts, type Latency, type Report, type Violation, type ViolationKind } from './report.js';
export { checkScenario, loadScenario, parseScenario, ScenarioError, ScenarioSchema, StepSchema, MAX_CUSTOMERS, MAX_SECONDS, DEFAULTS, type Scenario, type ScenarioInput, type Step } from './scenario.js';

/** A 5×5 PNG, what `sendImage: tiny-png` sends. */
export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAYAAACNbyblAAAAHElEQVQI12P4//8/w38GIAXDIBKE0DHxgljNBAAO9TXL0Y4OHwAAAABJRU5ErkJggg==';

export interface SimulationOptions {
  /** Instead of the scenario's platform.url. */
  url?: string;
  /** Instead of the scenario's callbacks.listen (`host:port`; port 0 takes any free port). */
  listen?: string;
  /** Told the live summary line every summarySeconds. */
  onSummary?(line: string): void;
  /** Told where the receiver listens, once it does (before the first customer starts). */
  onListening?(address: { host: string; port: number }): void;
  /** Ends the run early, as maxSeconds would. */
  signal?: AbortSignal;
  /** Base directory of sendImage file paths (default: the working directory). */
  baseDir?: string;
}

/** After the stop, how long customers still in a call are waited for before the report is made. */
const STOP_GRACE_MS = 2_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });

async function loadImages(scenario: Scenario, baseDir: string): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  for (const step of scenario.customer) {
    const v = step.sendImage;
    if (v === undefined || images.has(v)) continue;
    if (v === 'tiny-png') images.set(v, TINY_PNG);
    else if (v.startsWith('data:')) images.set(v, v);
    else {
      try {
        const bytes = await readFile(new URL(v, `file://${baseDir.replace(/\/?$/, '/')}`));
        // The platform recognises an image by its bytes; the declared type is ignored.
        images.set(v, `data:application/octet-stream;base64,${bytes.toString('base64')}`);
      } catch (error) {
        throw new ScenarioError([`sendImage ${v}: cannot read it: ${(error as Error).message}`]);
      }
    }
  }
  return images;
}

export async function runSimulation(scenario: Scenario, options: SimulationOptions = {}): Promise<Report> {
  const images = await loadImages(scenario, options.baseDir ?? process.cwd());
  const stats = new Stats();
  const run = randomBytes(4).toString('hex');
  const customers: Customer[] = [];
  const byClientId = new Map<string, Customer>();
  const listener = new Listener({ secrets: scenario.platform.webhookSecrets ?? [], stats, customerByClientId: (id) => byClientId.get(id) });
  const { host, port } = hostPort(options.listen ?? scenario.callbacks.listen);
  const address = await listener.listen(host, port);
  options.onListening?.(address);

  const startedAt = Date.now();
  const deadline = startedAt + scenario.maxSeconds * 1000;
  const stop = new AbortController();
  const hardStop = setTimeout(() => stop.abort(), scenario.maxSeconds * 1000);
  const external = () => stop.abort();
  options.signal?.addEventListener('abort', external);
  if (options.signal?.aborted) stop.abort();
  /** Resolves at the stop (maxSeconds, or the caller's signal): one listener for the whole run. */
  const stopped = new Promise<void>((resolve) => {
    if (stop.signal.aborted) resolve();
    else stop.signal.addEventListener('abort', () => resolve(), { once: true });
  });

  const phases = () => {
    const p = { waiting: 0, chatting: 0, done: 0, planned: scenario.customers };
    for (const c of customers) if (c.phase !== 'pending') p[c.phase]++;
    return p;
  };
  const summary = options.onSummary;
  const ticker = summary ? setInterval(() => summary(summaryLine(Date.now() - startedAt, phases(), stats)), scenario.summarySeconds * 1000) : undefined;

  const client = new TpiClient({
    url: options.url ?? scenario.platform.url,
    ...(scenario.platform.path ? { path: scenario.platform.path } : {}),
    ...(scenario.platform.key ? { key: scenario.platform.key } : {}),
    ...(scenario.platform.channel ? { channel: scenario.platform.channel } : {}),
    ...(scenario.platform.signingSecret ? { signingSecret: scenario.platform.signingSecret } : {}),
    timeoutMs: Math.min(10_000, scenario.maxSeconds * 1000),
  });
  const ctx = { scenario, client, stats, signal: stop.signal, deadline, images, run };

  const running = new Set<Promise<void>>();
  const all: Promise<void>[] = [];
  try {
    for (let n = 1; n <= scenario.customers && !stop.signal.aborted; n++) {
      await sleep(startedAt + ((n - 1) / scenario.arrivalPerSecond) * 1000 - Date.now(), stop.signal);
      // A free slot or the stop, whichever comes first; nothing is left waiting either way.
      while (running.size >= scenario.concurrency && !stop.signal.aborted) await Promise.race([...running, stopped]);
      if (stop.signal.aborted) break;
      const customer = new Customer(n, ctx);
      customers.push(customer);
      byClientId.set(customer.clientId, customer);
      const done = customer.run().finally(() => running.delete(done));
      running.add(done);
      all.push(done);
    }
    await Promise.race([Promise.all(all), stopped]);
    if (stop.signal.aborted) {
      // The grace ends with the customers, so that no timer outlives the run.
      const grace = new AbortController();
      await Promise.race([Promise.all(all), sleep(STOP_GRACE_MS, grace.signal)]);
      grace.abort();
    }
    // Late callbacks (an agent's last message, a close) still count.
    else await sleep(Math.min(scenario.settleSeconds * 1000, deadline - Date.now()), stop.signal);
  } finally {
    clearTimeout(hardStop);
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', external);
    await listener.close();
  }
  listener.finish();
  const stoppedEarly = stop.signal.aborted && (customers.length < scenario.customers || customers.some((c) => c.phase !== 'done'));
  for (const c of customers) c.account(true);
  if (summary) summary(summaryLine(Date.now() - startedAt, phases(), stats));
  return stats.report(scenario.customers, startedAt, Date.now(), stoppedEarly);
}

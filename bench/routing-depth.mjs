#!/usr/bin/env node
// Routing depth benchmark (issue 10): the router's time per decision with a deep backlog
// (10,000 waiting requests across 50 queues, 500 online agents) against a shallow one (10
// waiting), in the same run. Goal: the deep case costs at most 3× the shallow one per decision.
//
//   npm run bench:routing                      (builds first)
//   node bench/routing-depth.mjs [--store sqlite|postgres]
//
// Two platforms are built in this process from the compiled server (packages/server/dist/app.js),
// each on a store of its own, and provisioned straight into the store: the same queues, agents
// and open chats, only the number of waiting requests differs. Before every routing pass a few
// agents finish a chat (a place frees up, as in a busy contact centre where each wake-up is
// one chat ending), the pass is timed, and the requests it gave out are replaced, so every pass
// starts from the same state. Settings (environment): BENCH_STORE, BENCH_DATABASE_URL,
// BENCH_DEEP, BENCH_SHALLOW, BENCH_QUEUES, BENCH_AGENTS, BENCH_MAX_CHATS, BENCH_FREE,
// BENCH_PASSES, BENCH_ROUNDS, BENCH_WARMUP_PASSES, BENCH_SWEEPS (and 5× as many wake-ups with
// nobody free), BENCH_SERVER_DIST, BENCH_KEEP.
// See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { finishRun, guardRun, intEnv } from './lib.mjs';
import { logger, machine, percentile, root, writeResult } from './webchat/common.mjs';

const GOAL = 3;
const WAITING = 0;

const storeArg = process.argv.indexOf('--store');
const settings = {
  store: /** @type {'sqlite' | 'postgres'} */ ((storeArg >= 0 ? process.argv[storeArg + 1] : undefined) || process.env.BENCH_STORE || 'sqlite'),
  databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  deep: intEnv('BENCH_DEEP', 10_000),
  shallow: intEnv('BENCH_SHALLOW', 10),
  queues: intEnv('BENCH_QUEUES', 50),
  agents: intEnv('BENCH_AGENTS', 500),
  maxChats: intEnv('BENCH_MAX_CHATS', 4),
  free: intEnv('BENCH_FREE', 1),
  passes: intEnv('BENCH_PASSES', 800),
  rounds: intEnv('BENCH_ROUNDS', 8),
  warmupPasses: intEnv('BENCH_WARMUP_PASSES', 40, 0),
  sweeps: intEnv('BENCH_SWEEPS', 10),
  keep: process.env.BENCH_KEEP === '1',
};
if (settings.store !== 'sqlite' && settings.store !== 'postgres') throw new Error(`--store (BENCH_STORE) must be sqlite or postgres, got "${settings.store}"`);
if (settings.passes % settings.rounds !== 0) throw new Error('BENCH_PASSES must be a multiple of BENCH_ROUNDS');
if (settings.shallow > settings.queues || settings.free > settings.shallow) throw new Error('need BENCH_FREE ≤ BENCH_SHALLOW ≤ BENCH_QUEUES (the shallow requests sit one to a queue)');
if (settings.agents < settings.queues) throw new Error('need at least one agent per queue');
if (settings.deep < settings.queues) throw new Error('need BENCH_DEEP ≥ BENCH_QUEUES (every queue holds some)');

const { cleanups, cleanUp } = guardRun(600_000);
const log = logger('bench');

// Another build of the server may be measured (e.g. an older commit's, for a before/after).
const dist = process.env.BENCH_SERVER_DIST ? path.resolve(process.env.BENCH_SERVER_DIST) : path.join(root, 'packages/server/dist');
if (!fs.existsSync(path.join(dist, 'app.js'))) throw new Error(`${dist}/app.js is missing: build first (npm run bench:routing, or npx tsc -b packages/server)`);
/** @type {typeof import('../packages/server/dist/app.js')} */
const { buildApp } = await import(pathToFileURL(path.join(dist, 'app.js')).href);
/** @type {typeof import('../packages/server/dist/config.js')} */
const { DEFAULT_CONSOLE_DIR, DEFAULT_DELIVERY, DEFAULT_WIDGET_DIR } = await import(pathToFileURL(path.join(dist, 'config.js')).href);

/** @typedef {import('../packages/server/dist/app.js').Platform} Platform */
/** @typedef {{ name: 'deep' | 'shallow', depth: number, platform: Platform, queuesWithWaiting: number[], agentsOf: Map<number, string[]>, openOf: Map<string, number[]>, next: number, times: number[], perDecision: number[], decisions: number, odd: number, assigned: { agentId: string, sessionId: number }[] }} Case */

/**
 * A platform on a store of its own; nothing started: no timers, no callbacks sent (the
 * delivery worker is stopped, so the outbox only fills), no listening socket.
 * @param {string} name
 * @returns {Promise<Platform>}
 */
async function platformOn(name) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ewc-bench-routing-${name}-`));
  if (!settings.keep) cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  /** @type {import('../packages/server/dist/config.js').StoreConfig} */
  let store = { kind: 'sqlite', file: path.join(dataDir, 'webchat.db') };
  if (settings.store === 'postgres') {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    if (!settings.keep) cleanups.push(() => dropSchema(schema));
    store = { kind: 'postgres', url: settings.databaseUrl, schema };
  }
  const rate = { perSecond: 1_000_000, burst: 1_000_000 };
  const platform = await buildApp({
    host: '127.0.0.1',
    port: 0,
    nodeName: 'bench',
    trustProxy: false,
    store,
    dataDir,
    logLevel: 'warn',
    maxImageBytes: 5 * 1024 * 1024,
    maxUploadBytes: 20 * 1024 * 1024,
    tokenTtlMs: 3600_000,
    customerTokenTtlMs: 24 * 3600_000,
    // Never on its own: the bench sweeps when it measures the sweeper.
    sweepIntervalMs: 3600_000,
    awayAfterMs: 0,
    offerMissesBeforeAway: 3,
    feedRecheckMs: 3600_000,
    delivery: DEFAULT_DELIVERY,
    tpiRate: { channel: rate, client: rate },
    docs: false,
    consoleDir: DEFAULT_CONSOLE_DIR,
    widgetDir: DEFAULT_WIDGET_DIR,
    webchatRate: { visitor: rate, address: rate },
    reportTimeZone: 'UTC',
    firstRun: false,
    checkResponses: false,
  });
  cleanups.push(() => platform.close());
  await platform.worker.stop();
  return platform;
}

/** @param {string} schema */
async function dropSchema(schema) {
  const client = new pg.Client({ connectionString: settings.databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Rows in batches small enough for either store's limit on parameters.
 * @param {Platform} platform
 * @param {any} table
 * @param {Record<string, unknown>[]} rows
 */
async function insertAll(platform, table, rows) {
  const db = /** @type {any} */ (platform.store.db);
  for (let i = 0; i < rows.length; i += 500) await db.insertInto(table).values(rows.slice(i, i + 500)).execute();
}

/**
 * A waiting request of a queue, as the TPI's 1000 writes it.
 * @param {Case} c
 * @param {number} queueId
 * @param {number} now
 */
function waitingRow(c, queueId, now) {
  const clientId = `w${c.next++}`;
  return { channel_id: 'bench', client_id: clientId, nickname: clientId, source: 'APP', queue_id: queueId, server_addr: 'http://127.0.0.1:9', status: WAITING, created_at: now, client_time: now, continued: 0 };
}

/**
 * The same world in both stores: Q always-open auto queues, A agents online (agent i in queue
 * i mod Q, so ten to a queue by default), each with maxChats open chats (full), and the
 * waiting requests: the deep case spreads its backlog evenly over every queue, the shallow
 * one puts one request in each of `depth` queues spread across them.
 * @param {'deep' | 'shallow'} name
 * @param {number} depth
 * @returns {Promise<Case>}
 */
async function provision(name, depth) {
  const platform = await platformOn(name);
  const now = Date.now();
  const Q = settings.queues;
  await insertAll(platform, 'channels', [{ id: 'bench', key_hash: null, callback_base: 'http://127.0.0.1:9', allow_server_addr: '["http://127.0.0.1:9"]', created_at: now, updated_at: now }]);
  await insertAll(
    platform,
    'queues',
    Array.from({ length: Q }, (_, i) => ({ id: i + 1, name: `q${i + 1}`, timezone: 'UTC', hours: null, max_wait_seconds: 7 * 86400, max_length: 1_000_000, when_no_agent_online: 'wait', enabled: 1, assignment: 'auto', created_at: now, updated_at: now })),
  );
  /** @type {Map<number, string[]>} */
  const agentsOf = new Map();
  /** @type {Map<string, number[]>} */
  const openOf = new Map();
  /** @type {Record<string, unknown>[]} */
  const agents = [];
  /** @type {{ agent_id: string, queue_id: number }[]} */
  const memberships = [];
  for (let i = 0; i < settings.agents; i++) {
    const id = `A${String(i).padStart(4, '0')}`;
    const queueId = (i % Q) + 1;
    agents.push({ id, username: id.toLowerCase(), password_hash: 'none', name: id, alias: '', icon: '', comments: '', max_chats: settings.maxChats, role: 'agent', status: 'online', idle_since: now - i, enabled: 1, created_at: now, updated_at: now });
    memberships.push({ agent_id: id, queue_id: queueId });
    agentsOf.set(queueId, [...(agentsOf.get(queueId) ?? []), id]);
    openOf.set(id, []);
  }
  await insertAll(platform, 'agents', agents);
  await insertAll(platform, 'agent_queues', memberships);
  // Every agent full: each chat is an accepted request and its open session.
  const accepted = [];
  for (let i = 0; i < settings.agents; i++) {
    for (let k = 0; k < settings.maxChats; k++) {
      const queueId = (i % Q) + 1;
      accepted.push({ channel_id: 'bench', client_id: `busy-${i}-${k}`, nickname: 'busy', source: 'APP', queue_id: queueId, server_addr: 'http://127.0.0.1:9', status: 1, created_at: now, ended_at: now, continued: 0 });
    }
  }
  await insertAll(platform, 'chat_requests', accepted);
  const db = /** @type {any} */ (platform.store.db);
  const busy = await db.selectFrom('chat_requests').select(['id', 'client_id', 'queue_id']).where('status', '=', 1).orderBy('id').execute();
  await insertAll(
    platform,
    'sessions',
    busy.map((/** @type {any} */ r) => {
      const agent = /** @type {string} */ (agents[Number(r.client_id.split('-')[1])]?.id);
      return { request_id: r.id, channel_id: 'bench', client_id: r.client_id, nickname: 'busy', source: 'APP', queue_id: r.queue_id, agent_id: agent, callback_base: 'http://127.0.0.1:9', status: 'open', requested_at: now, created_at: now };
    }),
  );
  const sessions = await db.selectFrom('sessions').select(['id', 'agent_id']).where('status', '=', 'open').orderBy('id').execute();
  for (const s of sessions) openOf.get(s.agent_id)?.push(Number(s.id));

  /** @type {Case} */
  const c = { name, depth, platform, queuesWithWaiting: [], agentsOf, openOf, next: 0, times: [], perDecision: [], decisions: 0, odd: 0, assigned: [] };
  if (name === 'deep') {
    c.queuesWithWaiting = Array.from({ length: Q }, (_, i) => i + 1);
    // Arrival order interleaves the queues, as real traffic does.
    await insertAll(platform, 'chat_requests', Array.from({ length: depth }, (_, i) => waitingRow(c, (i % Q) + 1, now)));
  } else {
    const step = Math.floor(Q / depth);
    c.queuesWithWaiting = Array.from({ length: depth }, (_, i) => i * step + 1);
    await insertAll(platform, 'chat_requests', c.queuesWithWaiting.map((q) => waitingRow(c, q, now)));
  }
  platform.events.on((event) => {
    if (event.type === 'assigned') c.assigned.push({ agentId: event.agentId, sessionId: event.sessionId });
  });
  return c;
}

/**
 * One routing pass from the same state as every other: `free` agents of different queues that
 * hold waiting requests each end a chat (not timed), the router runs (timed), and what it gave
 * out is replaced by as many new requests in those queues (not timed).
 * @param {Case} c
 * @param {boolean} measured
 */
async function pass(c, measured) {
  const db = /** @type {any} */ (c.platform.store.db);
  const now = Date.now();
  const queues = [...c.queuesWithWaiting].sort(() => Math.random() - 0.5).slice(0, settings.free);
  const ending = [];
  for (const q of queues) {
    const agents = /** @type {string[]} */ (c.agentsOf.get(q));
    const agent = /** @type {string} */ (agents[Math.floor(Math.random() * agents.length)]);
    const open = /** @type {number[]} */ (c.openOf.get(agent));
    ending.push(/** @type {number} */ (open.shift()));
  }
  await db.updateTable('sessions').set({ status: 'closed', closed_at: now, closed_by: 'agent' }).where('id', 'in', ending).execute();
  c.assigned = [];

  const t0 = performance.now();
  await c.platform.router.wake();
  const ms = performance.now() - t0;

  const made = c.assigned.length;
  for (const a of c.assigned) c.openOf.get(a.agentId)?.push(a.sessionId);
  const served = made === 0 ? [] : await db.selectFrom('sessions').select('queue_id').where('id', 'in', c.assigned.map((a) => a.sessionId)).execute();
  if (served.length > 0) await insertAll(c.platform, 'chat_requests', served.map((/** @type {any} */ s) => waitingRow(c, s.queue_id, now)));
  if (!measured) return;
  if (made !== settings.free) c.odd += 1;
  c.times.push(ms);
  c.decisions += made;
  if (made > 0) c.perDecision.push(ms / made);
}

/** @param {number[]} values */
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p90: percentile(sorted, 90), mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length), max: sorted[sorted.length - 1] ?? Number.NaN };
};

/**
 * Times wake-ups that can give nothing out, since every agent is full: each new request wakes
 * the router, and with a deep backlog that is most wake-ups.
 * @param {Case} c
 */
async function fullWakes(c) {
  c.assigned = [];
  const times = [];
  for (let i = 0; i < settings.sweeps * 5; i++) {
    const t0 = performance.now();
    await c.platform.router.wake();
    times.push(performance.now() - t0);
  }
  if (c.assigned.length > 0) c.odd += 1;
  return stats(times);
}

/**
 * Times the sweeper (it runs on a timer, not per decision) over the same backlog.
 * @param {Case} c
 */
async function sweeps(c) {
  await c.platform.sweeper.sweep();
  const times = [];
  for (let i = 0; i < settings.sweeps; i++) {
    const t0 = performance.now();
    await c.platform.sweeper.sweep();
    times.push(performance.now() - t0);
  }
  return stats(times);
}

/**
 * What the store holds after the run: the backlog as deep as it started, nobody past maxChats.
 * @param {Case} c
 */
async function check(c) {
  const db = /** @type {any} */ (c.platform.store.db);
  const waiting = await db.selectFrom('chat_requests').select((/** @type {any} */ eb) => eb.fn.countAll().as('n')).where('status', '=', WAITING).executeTakeFirst();
  const loads = await db.selectFrom('sessions').select(['agent_id', (/** @type {any} */ eb) => eb.fn.countAll().as('n')]).where('status', '=', 'open').groupBy('agent_id').execute();
  const over = loads.filter((/** @type {any} */ l) => Number(l.n) > settings.maxChats).length;
  return { waiting: Number(waiting.n), overMaxChats: over };
}

async function main() {
  const t = performance.now();
  log(
    `routing depth, ${settings.store}: ${settings.queues} queues, ${settings.agents} online agents (maxChats ${settings.maxChats}, all full), ` +
      `${settings.free} places freed before each pass; ${settings.deep} waiting (deep) against ${settings.shallow} (shallow); ` +
      `${settings.warmupPasses} warm-up + ${settings.passes} measured passes each, in ${settings.rounds} rounds taking turns`,
  );
  const deep = await provision('deep', settings.deep);
  const shallow = await provision('shallow', settings.shallow);
  log(`provisioned in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  for (let i = 0; i < settings.warmupPasses; i++) {
    await pass(deep, false);
    await pass(shallow, false);
  }
  const perRound = settings.passes / settings.rounds;
  for (let r = 0; r < settings.rounds; r++) {
    for (const c of r % 2 === 0 ? [deep, shallow] : [shallow, deep]) {
      for (let i = 0; i < perRound; i++) await pass(c, true);
    }
  }
  const full = { deep: await fullWakes(deep), shallow: await fullWakes(shallow) };
  const sweep = { deep: await sweeps(deep), shallow: await sweeps(shallow) };
  const checks = { deep: await check(deep), shallow: await check(shallow) };

  const summary = Object.fromEntries(
    [deep, shallow].map((c) => [c.name, { waiting: c.depth, passes: c.times.length, decisions: c.decisions, passesNotMakingFree: c.odd, perDecisionMs: stats(c.perDecision), perPassMs: stats(c.times) }]),
  );
  const d = /** @type {any} */ (summary.deep);
  const s = /** @type {any} */ (summary.shallow);
  const ratio = d.perDecisionMs.median / s.perDecisionMs.median;
  const ratioP90 = d.perDecisionMs.p90 / s.perDecisionMs.p90;

  const f = (/** @type {number} */ v) => v.toFixed(3);
  const row = (/** @type {string} */ label, /** @type {string} */ a, /** @type {string} */ b) => console.log(`${label.padEnd(34)}${a.padStart(16)}${b.padStart(16)}`);
  console.log('');
  row(`${settings.store}`, 'deep', 'shallow');
  row('waiting requests', String(settings.deep), String(settings.shallow));
  row('passes measured', String(d.passes), String(s.passes));
  row('decisions (accepts) made', String(d.decisions), String(s.decisions));
  row('per decision, median (ms)', f(d.perDecisionMs.median), f(s.perDecisionMs.median));
  row('per decision, p90 (ms)', f(d.perDecisionMs.p90), f(s.perDecisionMs.p90));
  row('per decision, mean (ms)', f(d.perDecisionMs.mean), f(s.perDecisionMs.mean));
  row('per pass, median / p90 (ms)', `${f(d.perPassMs.median)} / ${f(d.perPassMs.p90)}`, `${f(s.perPassMs.median)} / ${f(s.perPassMs.p90)}`);
  row('wake, nobody free, median (ms)', f(full.deep.median), f(full.shallow.median));
  row('sweep, median / max (ms)', `${f(sweep.deep.median)} / ${f(sweep.deep.max)}`, `${f(sweep.shallow.median)} / ${f(sweep.shallow.max)}`);
  row('waiting after the run', String(checks.deep.waiting), String(checks.shallow.waiting));
  console.log('');
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; run took ${((performance.now() - t) / 1000).toFixed(0)} s`);
  console.log(`ratio deep/shallow per decision: median ${ratio.toFixed(2)}× (p90 ${ratioP90.toFixed(2)}×), goal ≤ ${GOAL}×`);

  const problems = [];
  for (const c of [deep, shallow]) {
    const k = /** @type {any} */ (checks)[c.name];
    if (c.odd > 0) problems.push(`${c.name}: ${c.odd} passes made other than ${settings.free} decisions (or one with nobody free made any)`);
    if (k.overMaxChats > 0) problems.push(`${c.name}: ${k.overMaxChats} agents past maxChats`);
    if (k.waiting !== c.depth) problems.push(`${c.name}: ${k.waiting} waiting after the run, not ${c.depth}`);
  }
  for (const p of problems) console.log(`check failed: ${p}`);
  const passed = problems.length === 0 && ratio <= GOAL;
  console.log(problems.length > 0 ? 'FAIL' : ratio <= GOAL ? 'PASS' : 'MISS');

  const report = {
    benchmark: 'routing-depth',
    date: new Date().toISOString(),
    settings,
    serverDist: path.relative(root, dist),
    goal: `deep per decision ≤ ${GOAL}× shallow (median)`,
    ratio,
    ratioP90,
    pass: passed,
    summary,
    wakeWithNobodyFreeMs: full,
    sweepMs: sweep,
    checks,
    problems,
    machine: machine(),
  };
  log(`results written to ${writeResult(`routing-depth${settings.store === 'sqlite' ? '' : `-${settings.store}`}${process.env.BENCH_SERVER_DIST ? '-given-build' : ''}`, report)}`);
  return passed;
}

finishRun(main, cleanUp);

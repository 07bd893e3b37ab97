#!/usr/bin/env node
// Soak (cluster mode): three real nodes on one PostgreSQL schema and the machine's Redis (a
// prefix of its own), TPI 2001 texts spread evenly over the nodes at half of the capacity
// measured at the start of the same run, for SOAK_MINUTES (20), the agent's feed on node 1.
// Goals (issue 12): p99 of the last 5 minutes ≤ 1.2× the first 5; each node's RSS grows ≤ 10%
// from the end of the first minute to the end; 0 lost (every answered message stored once and
// pushed to the agent). RSS: per node, the median of the last 5 minutes against the first 5.
//
// The load runs in one-minute segments (autocannon gives percentiles, not histograms): a window's
// p99 is the median of its minutes' p99 (the answer time, measured by the load generator).
//
//   node bench/soak.mjs              (after npm run build, or npx tsc -b packages/server)
//
// Settings: SOAK_MINUTES (20), SOAK_CONNECTIONS (24, spread over the nodes), BENCH_SESSIONS (60),
// BENCH_DATABASE_URL, BENCH_REDIS_URL.
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { finishRun, guardRun, intEnv, mib, procStats, writeResults } from './lib.mjs';
import { newTally, runLoad, textBodies } from './load.mjs';
import { openSessions, settle, startCallbackSink, startCluster, storedTextIds } from './platform.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const settings = {
  minutes: intEnv('SOAK_MINUTES', 20, 2),
  connections: intEnv('SOAK_CONNECTIONS', 24, 3),
  sessions: intEnv('BENCH_SESSIONS', 60),
  databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
};
const WINDOW = Math.min(5, Math.floor(settings.minutes / 2));
const { cleanups, cleanUp } = guardRun((settings.minutes + 5) * 60_000);
const log = (/** @type {string} */ line) => console.log(`soak: ${line}`);
const median = (/** @type {number[]} */ v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

async function main() {
  const sink = await startCallbackSink();
  cleanups.push(sink.close);
  const { nodes, password } = await startCluster({ root, databaseUrl: settings.databaseUrl, redisUrl: settings.redisUrl, callbackBase: sink.url, count: 3, name: 'soak', cleanups });
  const first = /** @type {(typeof nodes)[0]} */ (nodes[0]);
  const { token, feed, sessions } = await openSessions(first.url, password, settings.sessions);
  cleanups.push(async () => {
    feed.close();
  });
  log(`3 nodes (${nodes.map((n) => n.url).join(', ')}), ${sessions.length} sessions, the agent's feed on node 1`);

  const perNode = Math.max(1, Math.floor(settings.connections / 3));
  const bodies = textBodies(sessions);
  const tally = newTally();
  /** One run over all three nodes at once; requests/s and p99 (the worst node's). */
  const spread = async (/** @type {number} */ seconds, /** @type {number | undefined} */ rate) => {
    const results = await Promise.all(
      nodes.map((n, i) => runLoad({ url: n.url, seconds, connections: perNode, pipelining: 1, body: bodies, tally, title: `node ${i + 1}`, ...(rate ? { overallRate: Math.max(1, Math.round(rate / 3)) } : {}) })),
    );
    return { rps: results.reduce((a, r) => a + r.requests.total / r.duration, 0), p99: Math.max(...results.map((r) => r.latency.p99)), errors: results.reduce((a, r) => a + r.errors + r.timeouts, 0) };
  };

  log('measuring capacity: 10 s as fast as the nodes answer');
  const capacity = await spread(10, undefined);
  await settle(feed, 0, 500, 30_000);
  const rate = Math.round(capacity.rps / 2);
  log(`capacity ${capacity.rps.toFixed(0)} requests/s (p99 ${capacity.p99} ms); soaking at ${rate} requests/s for ${settings.minutes} min`);

  /** @type {{ minute: number, rps: number, p99: number, errors: number, rss: (number | undefined)[] }[]} */
  const minutes = [];
  for (let m = 1; m <= settings.minutes; m++) {
    const r = await spread(60, rate);
    const rss = nodes.map((n) => procStats(n.proc.child.pid).rssBytes);
    minutes.push({ minute: m, rps: r.rps, p99: r.p99, errors: r.errors, rss });
    log(`minute ${m}: ${r.rps.toFixed(0)} requests/s, p99 ${r.p99} ms, RSS ${rss.map(mib).join(' / ')}${r.errors ? `, ${r.errors} errors` : ''}`);
  }

  await settle(feed, tally.ok, 2_000, 60_000);
  const stored = await storedTextIds(first.url, token, new Set(sessions.map((s) => s.sessionId)));
  const storedSet = new Set(stored);
  const problems = [];
  if (tally.notOk + tally.unreadable + tally.non2xx > 0) problems.push(`${tally.notOk + tally.unreadable + tally.non2xx} answers were not result 1 (e.g. ${tally.samples[0]})`);
  if (storedSet.size !== stored.length) problems.push('a stored message is listed twice');
  if (stored.length < tally.ok) problems.push(`lost: ${stored.length} stored for ${tally.ok} answered`);
  const missing = stored.filter((id) => !feed.textIds.has(id)).length;
  if (missing > 0) problems.push(`${missing} stored messages never reached the agent's feed`);
  if (feed.texts !== feed.textIds.size) problems.push(`${feed.texts - feed.textIds.size} pushed twice`);
  if (feed.disconnected) problems.push(`the agent's feed disconnected (${feed.disconnected})`);

  const firstP99 = median(minutes.slice(0, WINDOW).map((m) => m.p99));
  const lastP99 = median(minutes.slice(-WINDOW).map((m) => m.p99));
  // Per node: the median RSS of the last window against the first's (minute 1 alone still holds
  // the capacity run's garbage, and would flatter).
  const rssOf = (/** @type {typeof minutes} */ ms, /** @type {number} */ i) => median(ms.map((m) => m.rss[i] ?? NaN));
  const growth = nodes.map((_, i) => rssOf(minutes.slice(-WINDOW), i) / rssOf(minutes.slice(0, WINDOW), i) - 1);
  const latencyOk = lastP99 <= 1.2 * firstP99;
  const memoryOk = growth.every((g) => g <= 0.1);
  const pass = latencyOk && memoryOk && problems.length === 0;
  console.log('');
  console.log(`p99, first ${WINDOW} min ${firstP99} ms, last ${WINDOW} min ${lastP99} ms: ${(lastP99 / firstP99).toFixed(2)}× (goal ≤ 1.2×)`);
  console.log(`RSS growth, median of the last ${WINDOW} min against the first ${WINDOW}, per node: ${growth.map((g) => `${(g * 100).toFixed(1)}%`).join(' / ')} (goal ≤ 10%)`);
  console.log(`answered ${tally.ok}, stored ${stored.length}, pushed ${feed.textIds.size}`);
  for (const p of problems) console.log(`  problem: ${p}`);
  console.log(pass ? 'PASS' : 'FAIL');
  const report = {
    benchmark: 'cluster-soak',
    date: new Date().toISOString(),
    goal: 'p99 of the last 5 minutes ≤ 1.2× the first 5; RSS growth ≤ 10%; 0 lost',
    pass,
    settings,
    machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model },
    capacity,
    rate,
    firstP99,
    lastP99,
    rssGrowth: growth,
    minutes,
    answered: tally.ok,
    stored: stored.length,
    pushed: feed.textIds.size,
    problems,
  };
  writeResults(`cluster-soak-${settings.minutes}min-${report.date.slice(0, 10)}`, report);
  return pass;
}

finishRun(main, cleanUp);

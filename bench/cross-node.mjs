#!/usr/bin/env node
// Cross-node delivery (cluster mode): TPI 2001 text messages sent to node A while the agent's
// feed is on node B, against the same load sent to node B itself, in the same run and taking
// turns. Two real nodes on one PostgreSQL schema and the machine's Redis (a prefix of its own).
// Goals (issue 12): cross-node throughput ≥ 70% of same-node, delivery p99 ≤ 2× same-node.
// Delivery: from the call's `time` (set when the load generator makes the body) to the push
// reaching the agent's feed.
//
//   node bench/cross-node.mjs        (after npm run build, or npx tsc -b packages/server)
//
// Settings (environment): BENCH_SECONDS (10 measured seconds per target), BENCH_ROUNDS (2),
// BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (16), BENCH_SESSIONS (50), BENCH_DATABASE_URL
// (postgres://postgres@127.0.0.1:5432/test), BENCH_REDIS_URL (redis://127.0.0.1:6379).
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { finishRun, guardRun, intEnv, writeResults } from './lib.mjs';
import { combine, newTally, runLoad, textBodies } from './load.mjs';
import { openSessions, settle, startCallbackSink, startCluster, storedTextIds } from './platform.mjs';

const GOAL_THROUGHPUT = 0.7;
const GOAL_P99 = 2;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const settings = {
  seconds: intEnv('BENCH_SECONDS', 10),
  rounds: intEnv('BENCH_ROUNDS', 2),
  warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 2, 0),
  connections: intEnv('BENCH_CONNECTIONS', 16),
  sessions: intEnv('BENCH_SESSIONS', 50),
  databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
};
const roundSeconds = settings.seconds / settings.rounds;
const { cleanups, cleanUp } = guardRun(180_000 + 2 * (settings.seconds + settings.warmupSeconds) * 1000);
const log = (/** @type {string} */ line) => console.log(`bench: ${line}`);

/** @param {number[]} values @param {number} q */
function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN);
}

async function main() {
  log(`cross-node delivery, 2 nodes on PostgreSQL + Redis; ${settings.connections} connections; per target ${settings.warmupSeconds} s warm-up + ${settings.rounds} × ${roundSeconds} s, taking turns`);
  const sink = await startCallbackSink();
  cleanups.push(sink.close);
  const { nodes, schema, prefix, password } = await startCluster({ root, databaseUrl: settings.databaseUrl, redisUrl: settings.redisUrl, callbackBase: sink.url, count: 2, name: 'bench', cleanups });
  const [a, b] = /** @type {[(typeof nodes)[0], (typeof nodes)[0]]} */ (nodes);
  log(`node A ${a.url}, node B ${b.url}, schema ${schema}, Redis prefix ${prefix}`);
  const { token, feed, sessions } = await openSessions(b.url, password, settings.sessions);
  cleanups.push(async () => {
    feed.close();
  });
  const sessionIds = new Set(sessions.map((s) => s.sessionId));
  log(`${sessions.length} sessions open; the agent's feed is on node B`);

  const load = { connections: settings.connections, pipelining: 1 };
  const targets = {
    'same node': { url: b.url, body: textBodies(sessions), tally: newTally(), results: /** @type {import('autocannon').Result[]} */ ([]), delays: /** @type {number[]} */ ([]) },
    'cross node': { url: a.url, body: textBodies(sessions), tally: newTally(), results: /** @type {import('autocannon').Result[]} */ ([]), delays: /** @type {number[]} */ ([]) },
  };
  for (const [name, t] of Object.entries(targets)) {
    if (settings.warmupSeconds === 0) break;
    log(`${name}: warming up ${settings.warmupSeconds} s`);
    await runLoad({ ...load, url: t.url, seconds: settings.warmupSeconds, body: t.body, tally: t.tally, title: `${name} warm-up` });
    await settle(feed, 0, 300, 10_000);
  }
  for (let round = 1; round <= settings.rounds; round++) {
    for (const [name, t] of Object.entries(targets)) {
      const from = feed.delays.length;
      const r = await runLoad({ ...load, url: t.url, seconds: roundSeconds, body: t.body, tally: t.tally, title: name });
      // Every push of this run has arrived before the next run starts.
      await settle(feed, 0, 300, 10_000);
      t.results.push(r);
      t.delays.push(...feed.delays.slice(from));
      log(`round ${round}/${settings.rounds}, ${name}: ${(r.requests.total / r.duration).toFixed(0)} requests/s, answer p99 ${r.latency.p99} ms, delivery p99 ${quantile(feed.delays.slice(from), 0.99)} ms`);
    }
  }

  const answered = Object.values(targets).reduce((n, t) => n + t.tally.ok, 0);
  await settle(feed, answered, 1_000, 30_000);
  const stored = await storedTextIds(b.url, token, sessionIds);
  const problems = [];
  const bad = Object.values(targets).reduce((n, t) => n + t.tally.notOk + t.tally.unreadable + t.tally.non2xx, 0);
  if (bad > 0) problems.push(`${bad} answers were not result 1`);
  if (new Set(stored).size !== stored.length) problems.push('a stored message is listed twice');
  if (feed.texts !== feed.textIds.size) problems.push(`${feed.texts - feed.textIds.size} messages were pushed twice`);
  const missing = stored.filter((id) => !feed.textIds.has(id)).length;
  if (missing > 0) problems.push(`${missing} stored messages never reached the agent's feed on node B`);
  if (stored.length < answered) problems.push(`only ${stored.length} stored for ${answered} answered`);
  if (feed.disconnected) problems.push(`the agent's feed disconnected (${feed.disconnected})`);

  const same = { ...combine(targets['same node'].results), deliveryMs: { p50: quantile(targets['same node'].delays, 0.5), p99: quantile(targets['same node'].delays, 0.99), count: targets['same node'].delays.length } };
  const cross = { ...combine(targets['cross node'].results), deliveryMs: { p50: quantile(targets['cross node'].delays, 0.5), p99: quantile(targets['cross node'].delays, 0.99), count: targets['cross node'].delays.length } };
  const throughput = cross.requestsPerSecond / same.requestsPerSecond;
  const p99 = cross.deliveryMs.p99 / same.deliveryMs.p99;
  const pass = throughput >= GOAL_THROUGHPUT && p99 <= GOAL_P99 && problems.length === 0;
  console.log('');
  console.log(`${''.padEnd(26)}${'same node'.padStart(12)}${'cross node'.padStart(12)}`);
  console.log(`${'requests/s'.padEnd(26)}${same.requestsPerSecond.toFixed(0).padStart(12)}${cross.requestsPerSecond.toFixed(0).padStart(12)}`);
  console.log(`${'answer p99 (ms)'.padEnd(26)}${String(same.latencyMs.p99).padStart(12)}${String(cross.latencyMs.p99).padStart(12)}`);
  console.log(`${'delivery p50 (ms)'.padEnd(26)}${String(same.deliveryMs.p50).padStart(12)}${String(cross.deliveryMs.p50).padStart(12)}`);
  console.log(`${'delivery p99 (ms)'.padEnd(26)}${String(same.deliveryMs.p99).padStart(12)}${String(cross.deliveryMs.p99).padStart(12)}`);
  console.log('');
  console.log(`throughput cross/same: ${(throughput * 100).toFixed(1)}% (goal ≥ ${GOAL_THROUGHPUT * 100}%); delivery p99 cross/same: ${p99.toFixed(2)}× (goal ≤ ${GOAL_P99}×)`);
  console.log(`stored ${stored.length} for ${answered} answered; pushed ${feed.textIds.size}`);
  for (const p of problems) console.log(`  problem: ${p}`);
  console.log(pass ? 'PASS' : 'FAIL');
  const report = {
    benchmark: 'cross-node-delivery',
    date: new Date().toISOString(),
    goal: `cross-node requests/s ≥ ${GOAL_THROUGHPUT * 100}% of same-node; delivery p99 ≤ ${GOAL_P99}× same-node`,
    pass,
    throughputRatio: throughput,
    deliveryP99Ratio: p99,
    settings: { ...settings, roundSeconds },
    machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model },
    same,
    cross,
    problems,
  };
  writeResults(`cross-node-${report.date.slice(0, 10)}`, report);
  return pass;
}

finishRun(main, cleanUp);

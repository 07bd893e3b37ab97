#!/usr/bin/env node
// TPI ingest benchmark: TPI 2001 text messages into open sessions, each persisted and pushed to
// a connected agent, against a bare node:http JSON echo loaded the same way in the same run.
// Goal: the platform serves at least 50% of the echo's requests per second on SQLite, 40% on PostgreSQL.
//
//   npm run bench                     (builds the server first)
//   node bench/run.mjs                (uses packages/server/dist as it is)
//
// Settings (environment): BENCH_SECONDS (10 measured seconds per target), BENCH_ROUNDS (2: the
// measured time is split into rounds, echo and platform taking turns), BENCH_WARMUP_SECONDS (2),
// BENCH_CONNECTIONS (32), BENCH_PIPELINING (1), BENCH_SESSIONS (50), BENCH_STORE (sqlite |
// postgres), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_CPU_PROF (1:
// profile the platform child and print its hottest functions), BENCH_KEEP (1: keep the data
// directory). See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { guardRun, intEnv, killAll, mib, procStats, startNode, stopChild } from './lib.mjs';
import { combine, newTally, runLoad, textBodies, TPI_PATH } from './load.mjs';
import { openSessions, settle, startCallbackSink, startPlatform, storedTextIds } from './platform.mjs';
import { summarizeProfile } from './profile-top.mjs';


const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const settings = {
  seconds: intEnv('BENCH_SECONDS', 10),
  rounds: intEnv('BENCH_ROUNDS', 2),
  warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 2, 0),
  connections: intEnv('BENCH_CONNECTIONS', 32),
  pipelining: intEnv('BENCH_PIPELINING', 1),
  sessions: intEnv('BENCH_SESSIONS', 50),
  store: /** @type {'sqlite' | 'postgres'} */ (process.env.BENCH_STORE || 'sqlite'),
  databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
  keep: process.env.BENCH_KEEP === '1',
};
if (settings.store !== 'sqlite' && settings.store !== 'postgres') throw new Error(`BENCH_STORE must be sqlite or postgres, got "${settings.store}"`);
// The embedded store's goal is 50% of the echo; PostgreSQL's, a server a network hop away in production, 40% (issue 12).
const GOAL = settings.store === 'postgres' ? 0.4 : 0.5;
if (settings.sessions > 100) throw new Error('BENCH_SESSIONS is at most 100 (one agent takes at most 100 chats)');
if (settings.rounds > settings.seconds) throw new Error('BENCH_ROUNDS may not exceed BENCH_SECONDS (a round lasts at least a second)');
const roundSeconds = settings.seconds / settings.rounds;

// Clean-ups, undone last first whatever happens: children, data directory, schema.
const { cleanups, cleanUp } = guardRun(180_000 + 2 * (settings.seconds + settings.warmupSeconds) * 1000);

const log = (/** @type {string} */ line) => console.log(`bench: ${line}`);

/** @param {number | undefined} before @param {number | undefined} after */
const difference = (before, after) => (before === undefined || after === undefined ? undefined : after - before);

/** Starts the echo baseline and waits for its port. */
async function startEcho() {
  const echo = startNode('echo', [path.join(here, 'echo-server.mjs')], { ipc: true });
  const port = await new Promise((resolve, reject) => {
    echo.child.once('message', (/** @type {any} */ m) => resolve(m.port));
    void echo.exited.then((code) => reject(new Error(`the echo server exited with ${code}:\n${echo.output.join('\n')}`)));
  });
  return { echo, url: `http://127.0.0.1:${port}` };
}

async function main() {
  log(
    `TPI ingest, ${settings.store}; ${settings.connections} connections, pipelining ${settings.pipelining}; ` +
      `per target ${settings.warmupSeconds} s warm-up + ${settings.rounds} × ${roundSeconds} s measured, taking turns; ${settings.sessions} sessions`,
  );

  /** @type {Awaited<ReturnType<typeof startPlatform>> | undefined} */
  let platform;
  try {
    // ---- the platform, set up: agent online with a live feed, S open sessions ----
    const sink = await startCallbackSink();
    cleanups.push(sink.close);
    const profileDir = settings.cpuProfile ? fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-prof-')) : undefined;
    platform = await startPlatform({
      root,
      store: settings.store,
      databaseUrl: settings.databaseUrl,
      callbackBase: sink.url,
      maxChats: 100,
      nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      keep: settings.keep,
      cleanups,
    });
    const pid = platform.proc.child.pid;
    log(`platform pid ${pid} at ${platform.url}, data in ${platform.dataDir}${platform.schema ? `, schema ${platform.schema}` : ''}`);

    const { token, feed, sessions } = await openSessions(platform.url, platform.password, settings.sessions);
    cleanups.push(async () => {
      feed.close();
    });
    const sessionIds = new Set(sessions.map((s) => s.sessionId));
    log(`${sessions.length} sessions open (ids ${sessions[0]?.sessionId}…${sessions.at(-1)?.sessionId}); the agent is online, its feed connected`);
    const idleRss = procStats(pid).rssBytes;

    const baseline = await startEcho();
    cleanups.push(() => stopChild(baseline.echo));
    const echoPid = baseline.echo.child.pid;
    const load = { connections: settings.connections, pipelining: settings.pipelining };
    // Each target has its own sequence of the same bodies (2001 for the S sessions in turn).
    const targets = {
      echo: { url: baseline.url, body: textBodies(sessions), tally: newTally(), pid: echoPid, results: /** @type {import('autocannon').Result[]} */ ([]), cpu: /** @type {{ cpuSeconds?: number, mainThreadCpuSeconds?: number }[]} */ ([]), loaderCpuSeconds: 0 },
      platform: { url: platform.url, body: textBodies(sessions), tally: newTally(), pid, results: /** @type {import('autocannon').Result[]} */ ([]), cpu: /** @type {{ cpuSeconds?: number, mainThreadCpuSeconds?: number }[]} */ ([]), loaderCpuSeconds: 0 },
    };
    /** @type {Record<string, import('autocannon').Result>} */
    const warmups = {};

    if (settings.warmupSeconds > 0) {
      for (const [name, t] of Object.entries(targets)) {
        log(`${name}: warming up ${settings.warmupSeconds} s`);
        warmups[name] = await runLoad({ ...load, url: t.url, seconds: settings.warmupSeconds, body: t.body, tally: t.tally, title: `${name} warm-up` });
      }
      // Let the pushes of the warm-up drain so that every measurement starts from a quiet server.
      await settle(feed, 0, 300, 10_000);
    }
    for (let round = 1; round <= settings.rounds; round++) {
      for (const [name, t] of Object.entries(targets)) {
        const before = procStats(t.pid);
        const selfBefore = process.cpuUsage();
        const r = await runLoad({ ...load, url: t.url, seconds: roundSeconds, body: t.body, tally: t.tally, title: name });
        const after = procStats(t.pid);
        const self = process.cpuUsage(selfBefore);
        t.loaderCpuSeconds += (self.user + self.system) / 1e6;
        t.results.push(r);
        t.cpu.push({ cpuSeconds: difference(before.cpuSeconds, after.cpuSeconds), mainThreadCpuSeconds: difference(before.mainThreadCpuSeconds, after.mainThreadCpuSeconds) });
        log(`round ${round}/${settings.rounds}, ${name}: ${(r.requests.total / r.duration).toFixed(0)} requests/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`);
        if (name === 'platform') await settle(feed, 0, 300, 10_000);
      }
    }
    // Before the checks, whose listing of every stored message costs memory of its own.
    const { rssBytes: loadedRss, peakRssBytes: peakLoadRss } = procStats(pid);
    await stopChild(baseline.echo);

    // ---- persisted and pushed? ----
    const { tally } = targets.platform;
    // Requests in flight when a run stops are carried out by the server but never answered to
    // autocannon: at most connections × pipelining per run.
    const platformRuns = settings.rounds + (settings.warmupSeconds > 0 ? 1 : 0);
    const inFlightMax = settings.connections * settings.pipelining * platformRuns;
    const settled = await settle(feed, tally.ok, 1_000, 30_000);
    const stored = await storedTextIds(platform.url, token, sessionIds);
    const storedSet = new Set(stored);
    const pushedMissing = stored.filter((id) => !feed.textIds.has(id)).length;
    const pushedUnknown = [...feed.textIds].filter((id) => !storedSet.has(id)).length;
    const peak = procStats(pid);
    const platformRunsAll = [...(warmups.platform ? [warmups.platform] : []), ...targets.platform.results];
    const errors = platformRunsAll.reduce((a, r) => a + r.errors, 0);
    const timeouts = platformRunsAll.reduce((a, r) => a + r.timeouts, 0);
    const echoTally = targets.echo.tally;
    const checks = {
      answeredOk: tally.ok,
      answeredNotOk: tally.notOk,
      unreadableAnswers: tally.unreadable,
      non2xx: tally.non2xx,
      errors,
      timeouts,
      stored: stored.length,
      storedDistinct: storedSet.size,
      pushed: feed.texts,
      pushedDistinct: feed.textIds.size,
      pushedMissing,
      pushedUnknown,
      otherPushes: feed.other,
      feedDisconnected: feed.disconnected ?? null,
      feedSettled: settled,
      inFlightMax,
      callbacks: Object.fromEntries(sink.counts),
      sampleBadAnswers: tally.samples,
      echoAnsweredOk: echoTally.ok,
      echoBadAnswers: echoTally.notOk + echoTally.unreadable + echoTally.non2xx,
    };
    /** @type {string[]} */
    const problems = [];
    if (tally.notOk > 0 || tally.unreadable > 0) problems.push(`${tally.notOk + tally.unreadable} answers were not result 1 (e.g. ${tally.samples[0]})`);
    if (tally.non2xx > 0) problems.push(`${tally.non2xx} answers were not HTTP 2xx`);
    if (errors > 0 || timeouts > 0) problems.push(`${errors} connection errors, ${timeouts} timeouts`);
    if (checks.echoBadAnswers > 0) problems.push(`the echo itself answered badly ${checks.echoBadAnswers} times`);
    if (storedSet.size !== stored.length) problems.push('a stored message is listed twice');
    if (feed.texts !== feed.textIds.size) problems.push(`${feed.texts - feed.textIds.size} messages were pushed twice`);
    if (pushedMissing > 0) problems.push(`${pushedMissing} stored messages never reached the agent's feed`);
    if (pushedUnknown > 0) problems.push(`${pushedUnknown} pushed messages are not stored`);
    if (stored.length < tally.ok) problems.push(`only ${stored.length} messages stored for ${tally.ok} answered result 1`);
    if (stored.length > tally.ok + inFlightMax) problems.push(`${stored.length} messages stored for ${tally.ok} answered (more than ${inFlightMax} in flight)`);
    if (feed.disconnected) problems.push(`the agent's feed disconnected (${feed.disconnected})`);
    const correct = problems.length === 0;

    // ---- result ----
    const echoSummary = combine(targets.echo.results, targets.echo.cpu);
    const platformSummary = combine(targets.platform.results, targets.platform.cpu);
    const ratio = platformSummary.requestsPerSecond / echoSummary.requestsPerSecond;
    const fast = ratio >= GOAL;
    const pass = fast && correct;
    const report = {
      benchmark: 'tpi-ingest',
      date: new Date().toISOString(),
      goal: `platform requests/s ≥ ${GOAL * 100}% of the echo's`,
      pass,
      ratio,
      settings: { ...settings, databaseUrl: settings.store === 'postgres' ? settings.databaseUrl : undefined, roundSeconds, path: TPI_PATH },
      machine: { node: process.version, platform: `${os.type()} ${os.release()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryBytes: os.totalmem() },
      echo: { ...echoSummary, benchProcessCores: targets.echo.loaderCpuSeconds / echoSummary.durationSeconds },
      platform: { ...platformSummary, benchProcessCores: targets.platform.loaderCpuSeconds / platformSummary.durationSeconds, rssIdleBytes: idleRss, rssAfterLoadBytes: loadedRss, peakRssThroughLoadBytes: peakLoadRss, peakRssBytes: peak.peakRssBytes },
      checks,
      problems,
    };

    const pad = (/** @type {unknown} */ v, n = 14) => String(v).padStart(n);
    const f0 = (/** @type {number} */ v) => v.toFixed(0);
    const f0u = (/** @type {number | undefined} */ v) => (v === undefined ? 'n/a' : v.toFixed(0));
    const f2 = (/** @type {number | undefined} */ v) => (v === undefined ? 'n/a' : v.toFixed(2));
    const row = (/** @type {string} */ label, /** @type {unknown} */ a, /** @type {unknown} */ b) => console.log(`${label.padEnd(24)}${pad(a)}${pad(b)}`);
    console.log('');
    row('', 'echo', 'platform');
    row('requests/s (mean)', f0(echoSummary.requestsPerSecond), f0(platformSummary.requestsPerSecond));
    if (settings.rounds > 1) {
      row('  by round', echoSummary.rounds.map((r) => f0(r.requestsPerSecond)).join(' / '), platformSummary.rounds.map((r) => f0(r.requestsPerSecond)).join(' / '));
    }
    row('requests (measured)', echoSummary.requests, platformSummary.requests);
    row('latency mean (ms)', f2(echoSummary.latencyMs.mean), f2(platformSummary.latencyMs.mean));
    row('latency p50 (ms)', echoSummary.latencyMs.p50, platformSummary.latencyMs.p50);
    row('latency p99 (ms)', echoSummary.latencyMs.p99, platformSummary.latencyMs.p99);
    row('latency max (ms)', echoSummary.latencyMs.max, platformSummary.latencyMs.max);
    row('server CPU (cores)', f2(echoSummary.cpuCoresUsed), f2(platformSummary.cpuCoresUsed));
    row('server CPU/request (µs)', f0u(echoSummary.cpuMicrosecondsPerRequest), f0u(platformSummary.cpuMicrosecondsPerRequest));
    row('  main thread (µs)', f0u(echoSummary.mainThreadCpuMicrosecondsPerRequest), f0u(platformSummary.mainThreadCpuMicrosecondsPerRequest));
    row('server RSS idle → loaded', '', `${mib(idleRss)} → ${mib(loadedRss)}`);
    row('  peak, through load', '', mib(peakLoadRss));
    // The load generator and the agent's feed share this process: near 1.0, it and not the server may be the limit.
    row('bench process (cores)', f2(targets.echo.loaderCpuSeconds / echoSummary.durationSeconds), f2(targets.platform.loaderCpuSeconds / platformSummary.durationSeconds));
    console.log('');
    console.log(`ratio platform/echo: ${(ratio * 100).toFixed(1)}% (goal ≥ ${GOAL * 100}%)`);
    console.log(
      `persisted and pushed: ${tally.ok} answered result 1, ${stored.length} stored, ${feed.textIds.size} pushed to the agent ` +
        `(≤ ${inFlightMax} may be carried out unanswered when a run stops); ` +
        `${tally.notOk + tally.unreadable} bad answers, ${tally.non2xx} non-2xx, ${errors} errors, ${timeouts} timeouts`,
    );
    for (const p of problems) console.log(`  problem: ${p}`);
    console.log(`${pass ? 'PASS' : 'FAIL'}${fast ? '' : ': below the throughput goal'}${correct ? '' : ': the platform did not carry out every message correctly'}`);

    if (!settings.cpuProfile) {
      const resultsDir = path.join(here, 'results');
      fs.mkdirSync(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `tpi-ingest-${settings.store === 'sqlite' ? '' : `${settings.store}-`}${report.date.slice(0, 10)}.json`);
      fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      log(`results written to ${path.relative(root, file)}`);
    } else {
      log('profiled run: the profiler slows the platform, so no result file is written');
    }

    // ---- stop; with a profile, show where the platform spent its time ----
    await stopChild(platform.proc, 15_000);
    if (profileDir) {
      const files = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      if (files.length === 0) log(`no CPU profile was written in ${profileDir}`);
      for (const f of files) {
        const full = path.join(profileDir, f);
        console.log(`\nCPU profile of the platform (whole run, idle included): ${full}`);
        console.log(summarizeProfile(JSON.parse(fs.readFileSync(full, 'utf8')), 25));
      }
    }
    return pass;
  } catch (error) {
    if (platform && platform.proc.output.length > 0) console.error(`bench: the platform's last output:\n${platform.proc.output.slice(-30).join('\n')}`);
    throw error;
  } finally {
    await cleanUp();
  }
}

main().then(
  (pass) => {
    killAll();
    process.exit(pass ? 0 : 1);
  },
  (error) => {
    console.error(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    killAll();
    process.exit(1);
  },
);

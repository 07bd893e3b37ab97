#!/usr/bin/env node
// TPI ingest benchmark: TPI 2001 text messages into open sessions, each persisted and pushed to
// a connected agent, against a bare node:http JSON echo loaded the same way in the same run.
// Goal: the platform serves at least 50% of the echo's requests per second.
//
//   npm run bench                     (builds the server first)
//   node bench/run.mjs                (uses packages/server/dist as it is)
//
// Settings (environment): BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (32),
// BENCH_PIPELINING (1), BENCH_SESSIONS (50), BENCH_STORE (sqlite | postgres),
// BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_CPU_PROF (1: profile the
// platform child and print its hottest functions), BENCH_KEEP (1: keep the data directory).
// See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { killAll, mib, procStats, sleep, startNode, stopChild } from './lib.mjs';
import { newTally, runLoad, summarize, textBodies, TPI_PATH } from './load.mjs';
import { dropSchema, openSessions, settle, startCallbackSink, startPlatform, storedTextIds } from './platform.mjs';
import { summarizeProfile } from './profile-top.mjs';

const GOAL = 0.5;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/**
 * @param {string} name
 * @param {number} fallback
 * @param {number} [min]
 */
function intEnv(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

const settings = {
  seconds: intEnv('BENCH_SECONDS', 10),
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
if (settings.sessions > 100) throw new Error('BENCH_SESSIONS is at most 100 (one agent takes at most 100 chats)');

// Everything stops by itself; this only catches a hang (a child that never answers).
const budgetMs = 180_000 + 2 * (settings.seconds + settings.warmupSeconds) * 1000;
const watchdog = globalThis.setTimeout(() => {
  console.error(`bench: still running after ${budgetMs / 1000} s; giving up`);
  killAll();
  process.exit(1);
}, budgetMs);
watchdog.unref();

process.on('exit', killAll);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    console.error(`bench: ${signal}, stopping`);
    killAll();
    process.exit(130);
  });
}

const log = (/** @type {string} */ line) => console.log(`bench: ${line}`);

async function main() {
  log(`TPI ingest, ${settings.store}; ${settings.connections} connections, pipelining ${settings.pipelining}, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per target, ${settings.sessions} sessions`);

  // ---- the platform, set up: agent online with a live feed, S open sessions ----
  const sink = await startCallbackSink();
  const profileDir = settings.cpuProfile ? fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-prof-')) : undefined;
  const platform = await startPlatform({
    root,
    store: settings.store,
    databaseUrl: settings.databaseUrl,
    callbackBase: sink.url,
    maxChats: 100,
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const pid = platform.proc.child.pid;
  log(`platform pid ${pid} at ${platform.url}, data in ${platform.dataDir}${platform.schema ? `, schema ${platform.schema}` : ''}`);
  try {
    const { token, feed, sessions } = await openSessions(platform.url, platform.password, settings.sessions);
    const sessionIds = new Set(sessions.map((s) => s.sessionId));
    log(`${sessions.length} sessions open (sessions ${sessions[0]?.sessionId}…${sessions.at(-1)?.sessionId}); agent feed connected`);
    const idleRss = procStats(pid).rssBytes;

    // ---- the baseline: the echo, same bodies, same load ----
    const echo = startNode('echo', [path.join(here, 'echo-server.mjs')], { ipc: true });
    const echoPort = await new Promise((resolve, reject) => {
      echo.child.once('message', (/** @type {any} */ m) => resolve(m.port));
      echo.exited.then((code) => reject(new Error(`the echo server exited with ${code}:\n${echo.output.join('\n')}`)));
    });
    const echoUrl = `http://127.0.0.1:${echoPort}`;
    const echoTally = newTally();
    const echoBody = textBodies(sessions);
    const load = { connections: settings.connections, pipelining: settings.pipelining };
    if (settings.warmupSeconds > 0) {
      log(`echo: warming up ${settings.warmupSeconds} s`);
      await runLoad({ ...load, url: echoUrl, seconds: settings.warmupSeconds, body: echoBody, tally: echoTally, title: 'echo warm-up' });
    }
    log(`echo: measuring ${settings.seconds} s`);
    const echoCpu0 = procStats(echo.child.pid).cpuSeconds;
    const echoResult = await runLoad({ ...load, url: echoUrl, seconds: settings.seconds, body: echoBody, tally: echoTally, title: 'echo' });
    const echoCpu1 = procStats(echo.child.pid).cpuSeconds;
    await stopChild(echo);

    // ---- the platform, same load ----
    const tally = newTally();
    const body = textBodies(sessions);
    let warmup;
    if (settings.warmupSeconds > 0) {
      log(`platform: warming up ${settings.warmupSeconds} s`);
      warmup = await runLoad({ ...load, url: platform.url, seconds: settings.warmupSeconds, body, tally, title: 'platform warm-up' });
      // Let the pushes of the warm-up drain so the measurement starts from a quiet server.
      await settle(feed, 0, 300, 10_000);
    }
    log(`platform: measuring ${settings.seconds} s`);
    const cpu0 = procStats(pid).cpuSeconds;
    const result = await runLoad({ ...load, url: platform.url, seconds: settings.seconds, body, tally, title: 'platform' });
    const cpu1 = procStats(pid).cpuSeconds;
    const loadedRss = procStats(pid).rssBytes;

    // ---- persisted and pushed? ----
    // Requests in flight when a run stops are carried out by the server but never answered to
    // autocannon: at most connections × pipelining per run.
    const inFlightMax = settings.connections * settings.pipelining * (settings.warmupSeconds > 0 ? 2 : 1);
    const settled = await settle(feed, tally.ok, 1_000, 30_000);
    const stored = await storedTextIds(platform.url, token, sessionIds);
    const storedSet = new Set(stored);
    const pushedMissing = stored.filter((id) => !feed.textIds.has(id)).length;
    const pushedUnknown = [...feed.textIds].filter((id) => !storedSet.has(id)).length;
    const peak = procStats(pid);
    const checks = {
      answeredOk: tally.ok,
      answeredNotOk: tally.notOk,
      unreadableAnswers: tally.unreadable,
      non2xx: tally.non2xx,
      errors: (warmup?.errors ?? 0) + result.errors,
      timeouts: (warmup?.timeouts ?? 0) + result.timeouts,
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
    };
    /** @type {string[]} */
    const problems = [];
    if (tally.notOk > 0 || tally.unreadable > 0) problems.push(`${tally.notOk + tally.unreadable} answers were not result 1 (e.g. ${tally.samples[0]})`);
    if (tally.non2xx > 0) problems.push(`${tally.non2xx} answers were not HTTP 2xx`);
    if (checks.errors > 0 || checks.timeouts > 0) problems.push(`${checks.errors} connection errors, ${checks.timeouts} timeouts`);
    if (echoTally.notOk + echoTally.unreadable + echoTally.non2xx > 0 || echoResult.errors > 0) problems.push('the echo itself answered badly');
    if (storedSet.size !== stored.length) problems.push('a stored message is listed twice');
    if (feed.texts !== feed.textIds.size) problems.push(`${feed.texts - feed.textIds.size} messages were pushed twice`);
    if (pushedMissing > 0) problems.push(`${pushedMissing} stored messages never reached the agent's feed`);
    if (pushedUnknown > 0) problems.push(`${pushedUnknown} pushed messages are not stored`);
    if (stored.length < tally.ok) problems.push(`only ${stored.length} messages stored for ${tally.ok} answered result 1`);
    if (stored.length > tally.ok + inFlightMax) problems.push(`${stored.length} messages stored for ${tally.ok} answered (more than ${inFlightMax} in flight)`);
    if (feed.disconnected) problems.push(`the agent's feed disconnected (${feed.disconnected})`);
    const correct = problems.length === 0;

    feed.close();
    await sink.close();

    // ---- result ----
    const echoSummary = summarize(echoResult);
    const platformSummary = summarize(result);
    const ratio = platformSummary.requestsPerSecond.mean / echoSummary.requestsPerSecond.mean;
    const fast = ratio >= GOAL;
    const pass = fast && correct;
    const cpuShare = (/** @type {number | undefined} */ a, /** @type {number | undefined} */ b, /** @type {number} */ s) =>
      a === undefined || b === undefined ? undefined : (b - a) / s;
    const report = {
      benchmark: 'tpi-ingest',
      date: new Date().toISOString(),
      goal: `platform requests/s ≥ ${GOAL * 100}% of the echo's`,
      pass,
      ratio,
      settings: { ...settings, databaseUrl: settings.store === 'postgres' ? settings.databaseUrl : undefined, path: TPI_PATH },
      machine: { node: process.version, platform: `${os.type()} ${os.release()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryBytes: os.totalmem() },
      echo: { ...echoSummary, cpuCoresUsed: cpuShare(echoCpu0, echoCpu1, echoResult.duration) },
      platform: {
        ...platformSummary,
        cpuCoresUsed: cpuShare(cpu0, cpu1, result.duration),
        rssIdleBytes: idleRss,
        rssAfterLoadBytes: loadedRss,
        peakRssBytes: peak.peakRssBytes,
      },
      checks,
      problems,
    };

    const pad = (/** @type {unknown} */ v, n = 14) => String(v).padStart(n);
    const f0 = (/** @type {number} */ v) => v.toFixed(0);
    const f1 = (/** @type {number | undefined} */ v) => (v === undefined ? 'n/a' : v.toFixed(2));
    console.log('');
    console.log(`${''.padEnd(22)}${pad('echo')}${pad('platform')}`);
    console.log(`${'requests/s (mean)'.padEnd(22)}${pad(f0(echoSummary.requestsPerSecond.mean))}${pad(f0(platformSummary.requestsPerSecond.mean))}`);
    console.log(`${'requests (total)'.padEnd(22)}${pad(echoSummary.requests)}${pad(platformSummary.requests)}`);
    console.log(`${'latency mean (ms)'.padEnd(22)}${pad(f1(echoSummary.latencyMs.mean))}${pad(f1(platformSummary.latencyMs.mean))}`);
    console.log(`${'latency p50 (ms)'.padEnd(22)}${pad(echoSummary.latencyMs.p50)}${pad(platformSummary.latencyMs.p50)}`);
    console.log(`${'latency p99 (ms)'.padEnd(22)}${pad(echoSummary.latencyMs.p99)}${pad(platformSummary.latencyMs.p99)}`);
    console.log(`${'latency max (ms)'.padEnd(22)}${pad(echoSummary.latencyMs.max)}${pad(platformSummary.latencyMs.max)}`);
    console.log(`${'server CPU (cores)'.padEnd(22)}${pad(f1(report.echo.cpuCoresUsed))}${pad(f1(report.platform.cpuCoresUsed))}`);
    console.log(`${'peak RSS'.padEnd(22)}${pad('')}${pad(mib(peak.peakRssBytes))}`);
    console.log('');
    console.log(`ratio platform/echo: ${(ratio * 100).toFixed(1)}% (goal ≥ ${GOAL * 100}%)`);
    console.log(
      `persisted and pushed: ${tally.ok} answered result 1, ${stored.length} stored, ${feed.textIds.size} pushed to the agent; ` +
        `${tally.notOk + tally.unreadable} bad answers, ${tally.non2xx} non-2xx, ${checks.errors} errors, ${checks.timeouts} timeouts`,
    );
    for (const p of problems) console.log(`  problem: ${p}`);
    console.log(`${pass ? 'PASS' : 'FAIL'}${fast ? '' : ': below the throughput goal'}${correct ? '' : ': the platform did not carry out every message correctly'}`);

    const resultsDir = path.join(here, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `tpi-ingest-${settings.store === 'sqlite' ? '' : `${settings.store}-`}${report.date.slice(0, 10)}.json`);
    if (!settings.cpuProfile) {
      fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      log(`results written to ${path.relative(root, file)}`);
    } else {
      log('profiled run: figures are slowed by the profiler, so no result file is written');
    }

    // ---- stop; with a profile, show where the platform spent its time ----
    await stopChild(platform.proc, 15_000);
    if (profileDir) {
      const files = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      if (files.length === 0) log(`no CPU profile was written in ${profileDir}`);
      for (const f of files) {
        const full = path.join(profileDir, f);
        console.log(`\nCPU profile of the platform: ${full}`);
        console.log(summarizeProfile(JSON.parse(fs.readFileSync(full, 'utf8')), 25));
      }
    }
    return pass;
  } catch (error) {
    if (platform.proc.output.length > 0) console.error(`bench: the platform's last output:\n${platform.proc.output.slice(-30).join('\n')}`);
    throw error;
  } finally {
    await stopChild(platform.proc, 15_000);
    if (platform.schema) {
      await dropSchema(settings.databaseUrl, platform.schema).catch((error) => console.error(`bench: could not drop schema ${platform.schema}: ${String(error)}`));
    }
    if (!settings.keep) fs.rmSync(platform.dataDir, { recursive: true, force: true });
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

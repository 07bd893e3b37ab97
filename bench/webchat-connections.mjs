#!/usr/bin/env node
// Web chat connections benchmark (issue 9): 5,000 idle web chat visitors connected to the real
// platform plus 200 chatting, against two baselines measured in the same run:
//   - heap per connection: the platform's heap used (after a forced GC) before and after the idle
//     visitors connect, per connection, against a plain `ws` server holding as many WebSockets;
//     goal ≤ 2× the ws server's. (Bare engine.io and Socket.IO servers are measured too, for reference.)
//   - customer → agent latency: a chatting visitor's POST …/messages until the agent's feed shows
//     it, against a TPI customer's 2001 until the agent's feed shows it, on the same platform,
//     rounds taking turns; goal web p99 ≤ 1.5× the TPI's p99.
//
//   npm run build && node bench/webchat-connections.mjs
//
// Settings (environment): BENCH_IDLE (5000), BENCH_CHATTING (200 web visitors, and as many TPI
// customers), BENCH_MESSAGES (20 per chatting customer and path, over all rounds),
// BENCH_INTERVAL_MS (1000: each customer sends one message this often), BENCH_ROUNDS (10),
// BENCH_WARMUP_MESSAGES (3 per customer and path, unmeasured, before the rounds),
// BENCH_HOLDERS (2 child processes holding the idle connections), BENCH_CONNECT_CONCURRENCY
// (50 connections being opened at once per holder), BENCH_SOCKETIO_REFERENCE (1; 0 skips the bare
// engine.io and Socket.IO servers), BENCH_KEEP (1: keep the data directory). See bench/README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { finishRun, guardRun, intEnv, json, mib, procStats, sleep, startNode, stopChild, waitFor } from './lib.mjs';
import { startCallbackSink } from './platform.mjs';
import { connectAgent, newArrivals, sessionsOf, startHolders, warmUpConnections, webVisitor } from './webchat/clients.mjs';
import { HEAP_PROBE_ARGS, heapOf, loopOf, here as webchatDir, logger, machine, median, newPassword, percentile, pool, root, startWebPlatform, writeResult } from './webchat/common.mjs';

const GOAL_HEAP = 2;
const GOAL_LATENCY = 1.5;
const MAX_CHATS = 100;
const WEB_QUEUE = 1;
const TPI_QUEUE = 2;
const log = logger('bench');

const settings = {
  idle: intEnv('BENCH_IDLE', 5000),
  chatting: intEnv('BENCH_CHATTING', 200),
  messages: intEnv('BENCH_MESSAGES', 20),
  intervalMs: intEnv('BENCH_INTERVAL_MS', 1000),
  rounds: intEnv('BENCH_ROUNDS', 10),
  warmupMessages: intEnv('BENCH_WARMUP_MESSAGES', 3, 0),
  holders: intEnv('BENCH_HOLDERS', 2),
  connectConcurrency: intEnv('BENCH_CONNECT_CONCURRENCY', 50),
  socketioReference: process.env.BENCH_SOCKETIO_REFERENCE !== '0',
  keep: process.env.BENCH_KEEP === '1',
};
if (settings.messages % settings.rounds !== 0) throw new Error(`BENCH_MESSAGES (${settings.messages}) must be a multiple of BENCH_ROUNDS (${settings.rounds})`);
const perRound = settings.messages / settings.rounds;

// ---- open files: the platform holds every connection, so it needs that many descriptors ----
/** @returns {{ soft: number, hard: number }} */
function openFileLimit() {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files')) ?? '';
  const [soft, hard] = line.replace('Max open files', '').trim().split(/\s+/).map((v) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v)));
  return { soft: soft ?? 1024, hard: hard ?? 1024 };
}
const needed = settings.idle + 4 * settings.chatting + 1_000;
const limit = openFileLimit();
if (limit.soft < needed) {
  if (limit.hard < needed || process.env.EWC_BENCH_RAISED_NOFILE === '1') {
    console.error(`bench: ${needed} open files are needed (the platform holds every connection) but the limit is ${limit.soft} (hard ${limit.hard}); raise it (ulimit -n) or lower BENCH_IDLE`);
    process.exit(1);
  }
  // Node cannot raise its own limit: run again under a shell that does, for this process and
  // every child (the platform, the baselines, the holders).
  const raised = Number.isFinite(limit.hard) ? limit.hard : needed * 2;
  console.log(`bench: raising the open file limit from ${limit.soft} to ${raised} (ulimit -n) and starting again`);
  const again = spawnSync('/bin/sh', ['-c', `ulimit -n ${raised} && exec "$0" "$@"`, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, EWC_BENCH_RAISED_NOFILE: '1' },
  });
  process.exit(again.status ?? 1);
}

const roundSeconds = (perRound * settings.intervalMs) / 1000;
const { cleanups, cleanUp } = guardRun(240_000 + 2 * settings.rounds * roundSeconds * 1000 + settings.idle * 20);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

/**
 * Heap (after GC) of a server before and after the idle connections, per connection.
 * @param {NodeJS.MemoryUsage} before
 * @param {NodeJS.MemoryUsage} after
 * @param {{ rssBytes?: number }} rssBefore
 * @param {{ rssBytes?: number }} rssAfter
 * @param {number} connections
 */
function perConnection(before, after, rssBefore, rssAfter, connections) {
  return {
    connections,
    heapUsedBefore: before.heapUsed,
    heapUsedAfter: after.heapUsed,
    heapBytesPerConnection: (after.heapUsed - before.heapUsed) / connections,
    externalBytesPerConnection: (after.external - before.external) / connections,
    rssBefore: rssBefore.rssBytes,
    rssAfter: rssAfter.rssBytes,
    rssBytesPerConnection: rssBefore.rssBytes !== undefined && rssAfter.rssBytes !== undefined ? (rssAfter.rssBytes - rssBefore.rssBytes) / connections : undefined,
  };
}

/**
 * A baseline server child (socket-server.mjs): `ws`, a bare engine.io or a bare Socket.IO,
 * holding the idle connections from the holders, its heap read as the platform's is.
 * @param {'ws' | 'engineio' | 'socketio'} mode
 * @param {ReturnType<typeof startHolders>} holders
 */
async function measureBaseline(mode, holders) {
  const proc = startNode(`${mode} server`, [...HEAP_PROBE_ARGS, path.join(webchatDir, 'socket-server.mjs'), mode], { ipc: true, cwd: root });
  cleanups.push(() => stopChild(proc, 5_000));
  const port = await new Promise((resolve, reject) => {
    proc.child.on('message', (/** @type {any} */ m) => m?.type === 'listening' && resolve(m.port));
    void proc.exited.then((code) => reject(new Error(`the ${mode} server exited with ${code}:\n${proc.output.join('\n')}`)));
  });
  const count = () =>
    new Promise((resolve) => {
      const on = (/** @type {any} */ m) => {
        if (m?.type !== 'count') return;
        proc.child.off('message', on);
        resolve(m.open);
      };
      proc.child.on('message', on);
      proc.child.send({ type: 'count' });
    });
  const url = `http://127.0.0.1:${port}`;
  const unwarm = await warmUpConnections(mode, url, settings.chatting);
  await holders.prepare({ mode, url, total: settings.idle, concurrency: 16 });
  await sleep(1_000);
  const before = await heapOf(proc);
  const rssBefore = procStats(proc.child.pid);
  const connect = await holders.connect(settings.connectConcurrency);
  const held = await count();
  if (connect.failed > 0 || held !== settings.idle + settings.chatting) {
    throw new Error(`the ${mode} server holds ${held} connections, expected ${settings.idle + settings.chatting}; ${connect.failed} failed (${connect.errors.join('; ')})`);
  }
  await sleep(1_000);
  const after = await heapOf(proc);
  const rssAfter = procStats(proc.child.pid);
  const result = { ...perConnection(before, after, rssBefore, rssAfter, settings.idle), connectSeconds: connect.seconds };
  await holders.close();
  unwarm();
  await stopChild(proc, 5_000);
  log(`${mode}: ${settings.idle} connections in ${connect.seconds.toFixed(1)} s, heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)}, ${(result.heapBytesPerConnection / 1024).toFixed(2)} KiB per connection (${elapsed()})`);
  return result;
}

/** @param {{ password: string, callbackBase: string, agents: { id: string, username: string, queue: number }[] }} p */
const provisioning = ({ password, callbackBase, agents }) => `# Generated by bench/webchat-connections.mjs
queues:
  - { id: ${WEB_QUEUE}, name: web, maxWaitSeconds: 86400, maxLength: 100000, whenNoAgentOnline: wait }
  - { id: ${TPI_QUEUE}, name: tpi, maxWaitSeconds: 86400, maxLength: 100000, whenNoAgentOnline: wait }
agents:
${agents.map((a) => `  - { id: ${a.id}, username: ${a.username}, password: "${password}", name: ${a.username}, maxChats: ${MAX_CHATS}, queues: [${a.queue}] }`).join('\n')}
channels:
  - { id: bench, callbackBase: "${callbackBase}" }
  - { id: web, kind: web, queues: [${WEB_QUEUE}] }
`;

/**
 * One round of one path: every chatting customer sends `count` messages, one every
 * intervalMs from a random start, each send on its schedule whether or not the last was answered
 * (open loop). Resolves once every message reached the agents or 15 s after the last send.
 * @param {'web' | 'tpi'} which
 * @param {number} round 0: the warm-up
 * @param {number} count
 * @param {((text: string) => Promise<void>)[]} senders
 * @param {ReturnType<typeof newArrivals>} arrivals
 */
async function runRound(which, round, count, senders, arrivals) {
  /** @type {number[]} */
  const answers = [];
  let failures = 0;
  /** @type {string[]} */
  const errors = [];
  const sends = [];
  const t0 = performance.now();
  for (const [i, send] of senders.entries()) {
    const phase = Math.random() * settings.intervalMs;
    for (let k = 0; k < count; k++) {
      const text = `${which} r${round} c${i} m${k}: Hello, a question about my order /::)`;
      sends.push(
        sleep(Math.max(0, t0 + phase + k * settings.intervalMs - performance.now())).then(async () => {
          const start = performance.now();
          arrivals.waiting.set(text, { t0: start, path: which, round });
          try {
            await send(text);
            answers.push(performance.now() - start);
          } catch (error) {
            failures++;
            arrivals.waiting.delete(text);
            if (errors.length < 5) errors.push(String(error instanceof Error ? error.message : error));
          }
        }),
      );
    }
  }
  await Promise.all(sends);
  const deadline = performance.now() + 15_000;
  while (arrivals.waiting.size > 0 && performance.now() < deadline) await sleep(20);
  const missing = arrivals.waiting.size;
  arrivals.waiting.clear();
  return { which, round, sent: senders.length * count, failures, errors, missing, answerMs: answers, seconds: (performance.now() - t0) / 1000 };
}

/** @param {number[]} values */
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, mean: sorted.reduce((a, v) => a + v, 0) / (sorted.length || 1) };
};

async function main() {
  log(
    `web chat connections: ${settings.idle} idle visitors + ${settings.chatting} chatting (and ${settings.chatting} TPI customers); ` +
      `${settings.messages} messages per customer and path, one every ${settings.intervalMs} ms, in ${settings.rounds} rounds taking turns; open files ${openFileLimit().soft}`,
  );
  const holders = startHolders(settings.holders, cleanups);

  // ---- baselines: the same connections held by a plain ws server, and by bare Socket.IO ----
  const wsBaseline = await measureBaseline('ws', holders);
  // For reference: where a Socket.IO connection's heap goes (its transport, then Socket.IO itself).
  const engineioReference = settings.socketioReference ? await measureBaseline('engineio', holders) : undefined;
  const socketioReference = settings.socketioReference ? await measureBaseline('socketio', holders) : undefined;

  // ---- the platform ----
  const sink = await startCallbackSink();
  cleanups.push(sink.close);
  const password = newPassword();
  const agentsPerPath = Math.ceil(settings.chatting / MAX_CHATS);
  const agentDefs = [
    ...Array.from({ length: agentsPerPath }, (_, i) => ({ id: `WEB${i + 1}`, username: `web${i + 1}`, queue: WEB_QUEUE })),
    ...Array.from({ length: agentsPerPath }, (_, i) => ({ id: `TPI${i + 1}`, username: `tpi${i + 1}`, queue: TPI_QUEUE })),
  ];
  const platform = await startWebPlatform({
    yaml: provisioning({ password, callbackBase: sink.url, agents: agentDefs }),
    // 5,000 visitors from one address in a few seconds: far over what protects a real deployment.
    env: { WEBCHAT_RATE_PER_ADDRESS: '100000' },
    nodeArgs: HEAP_PROBE_ARGS,
    ipc: true,
    keep: settings.keep,
    cleanups,
  });
  const pid = platform.proc.child.pid;
  log(`platform pid ${pid} at ${platform.url}, data in ${platform.dataDir} (${elapsed()})`);
  try {
    const arrivals = newArrivals();
    const agents = await Promise.all(agentDefs.map((a) => connectAgent(platform.url, { username: a.username, password }, arrivals)));
    cleanups.push(async () => agents.forEach((a) => a.socket.close()));
    const webAgents = agents.filter((a) => a.username.startsWith('web'));
    const tpiAgents = agents.filter((a) => a.username.startsWith('tpi'));

    // TPI customers: a 1000 each, as a third party would send.
    const runId = Math.random().toString(36).slice(2, 8);
    await pool(settings.chatting, 10, async (i) => {
      const answer = await json('POST', `${platform.url}/EliteWebChat/tpi`, {
        body: { type: 1000, clientId: `tpi-${runId}-${i}`, nickname: `Customer ${i}`, time: Date.now(), queueId: TPI_QUEUE, from: 'APP' },
      });
      if (answer.result !== 1) throw new Error(`1000 for customer ${i} answered ${JSON.stringify(answer)}`);
    });
    const tpiSessions = await waitFor(
      `${settings.chatting} TPI sessions to be assigned`,
      async () => {
        const s = await sessionsOf(platform.url, tpiAgents, (c) => c.startsWith(`tpi-${runId}-`));
        return s.length === settings.chatting ? s : undefined;
      },
      60_000,
      200,
    );
    // Chatting web visitors: a token, the live feed, a request; accepted by the web agents.
    const visitors = await pool(settings.chatting, 10, (i) => webVisitor(platform.url, 'web', i));
    cleanups.push(async () => visitors.forEach((v) => v.socket.close()));
    const visitorIds = new Set(visitors.map((v) => v.visitorId));
    await waitFor(
      `${settings.chatting} web chats to be accepted`,
      async () => (await sessionsOf(platform.url, webAgents, (c) => visitorIds.has(c))).length === settings.chatting && visitors.every((v) => v.state === 'chatting'),
      60_000,
      200,
    );
    log(`${settings.chatting} TPI sessions and ${settings.chatting} web chats open, ${agents.length} agents online with live feeds (${elapsed()})`);

    // ---- heap per idle connection ----
    const prepared = await holders.prepare({ mode: 'webchat', url: platform.url, channel: 'web', total: settings.idle, concurrency: 16 });
    log(`${settings.idle} visitor tokens in ${prepared.seconds.toFixed(1)} s (${elapsed()})`);
    await sleep(1_000);
    const before = await heapOf(platform.proc);
    const rssBefore = procStats(pid);
    const connect = await holders.connect(settings.connectConcurrency);
    if (connect.failed > 0) throw new Error(`${connect.failed} of ${settings.idle} idle visitors could not connect: ${connect.errors.join('; ')}`);
    await sleep(1_000);
    const after = await heapOf(platform.proc);
    const rssAfter = procStats(pid);
    const webchatHeap = { ...perConnection(before, after, rssBefore, rssAfter, settings.idle), connectSeconds: connect.seconds };
    log(`platform: ${settings.idle} idle visitors connected in ${connect.seconds.toFixed(1)} s, heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)}, ${(webchatHeap.heapBytesPerConnection / 1024).toFixed(2)} KiB per connection (${elapsed()})`);

    // ---- customer → agent latency, web and TPI taking turns ----
    const webSenders = visitors.map((v, i) => async (/** @type {string} */ text) => {
      await json('POST', `${platform.url}/api/v1/webchat/web/messages`, { token: v.token, body: { text, clientMsgId: `b${i}-${text.length}-${Math.random().toString(36).slice(2, 12)}` } });
    });
    const tpiSenders = tpiSessions.map((s) => async (/** @type {string} */ text) => {
      const answer = await json('POST', `${platform.url}/EliteWebChat/tpi`, { body: { type: 2001, sessionId: s.id, clientId: s.clientId, time: Date.now(), text } });
      if (answer.result !== 1) throw new Error(`2001 answered ${JSON.stringify(answer)}`);
    });
    // Unmeasured first: both paths' code compiled, caches and the store's pages warm.
    /** @type {any[]} */
    const warmups = [];
    if (settings.warmupMessages > 0) {
      for (const [which, senders] of /** @type {const} */ ([['web', webSenders], ['tpi', tpiSenders]])) {
        const r = await runRound(which, 0, settings.warmupMessages, senders, arrivals);
        const lat = stats(arrivals.latencies[`${which}:0`] ?? []);
        warmups.push({ ...r, answerMs: stats(r.answerMs), latencyMs: lat });
        log(`warm-up, ${which}: ${lat.count}/${r.sent} arrived, p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms (${elapsed()})`);
      }
    }
    const cpuBefore = procStats(pid);
    /** @type {any[]} */
    const rounds = [];
    /** @type {Record<string, number[]>} HTTP answer times, every round of a path */
    const answers = { web: [], tpi: [] };
    for (let round = 1; round <= settings.rounds; round++) {
      for (const [which, senders] of /** @type {const} */ ([['web', webSenders], ['tpi', tpiSenders]])) {
        const cpu0 = procStats(pid);
        await loopOf(platform.proc);
        const r = await runRound(which, round, perRound, senders, arrivals);
        const server = await loopOf(platform.proc);
        const cpu1 = procStats(pid);
        const lat = stats(arrivals.latencies[`${which}:${round}`] ?? []);
        answers[which]?.push(...r.answerMs);
        rounds.push({ ...r, answerMs: stats(r.answerMs), latencyMs: lat, server, serverCpuCores: cpu1.cpuSeconds !== undefined && cpu0.cpuSeconds !== undefined ? (cpu1.cpuSeconds - cpu0.cpuSeconds) / r.seconds : undefined });
        log(
          `round ${round}/${settings.rounds}, ${which}: ${lat.count}/${r.sent} arrived, p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms${r.failures ? `, ${r.failures} failed` : ''}; ` +
            `server loop delay max ${server.loopDelayMs.max.toFixed(0)} ms, GC max pause ${server.gc.maxMs.toFixed(0)} ms (${elapsed()})`,
        );
      }
    }
    const cpuAfter = procStats(pid);
    const idleStatus = await holders.status();
    const end = await heapOf(platform.proc);

    // ---- checks ----
    const all = (/** @type {'web' | 'tpi'} */ which) => Object.entries(arrivals.latencies).filter(([k]) => k.startsWith(`${which}:`) && k !== `${which}:0`).flatMap(([, v]) => v);
    const web = stats(all('web'));
    const tpi = stats(all('tpi'));
    /** @type {string[]} */
    const problems = [];
    const failures = [...warmups, ...rounds].reduce((a, r) => a + r.failures, 0);
    const missing = [...warmups, ...rounds].reduce((a, r) => a + r.missing, 0);
    if (failures > 0) problems.push(`${failures} sends failed (e.g. ${[...warmups, ...rounds].flatMap((r) => r.errors)[0]})`);
    if (missing > 0) problems.push(`${missing} messages sent never reached an agent's feed within 15 s`);
    if (arrivals.unknown > 0) problems.push(`${arrivals.unknown} customer messages reached the agents twice or unasked`);
    if (idleStatus.dropped > 0 || idleStatus.open !== settings.idle) problems.push(`idle visitors: ${idleStatus.open} open of ${settings.idle}, ${idleStatus.dropped} dropped (${JSON.stringify(idleStatus.reasons)})`);
    const visitorDrops = visitors.filter((v) => v.disconnected).length;
    if (visitorDrops > 0) problems.push(`${visitorDrops} chatting visitors' feeds disconnected`);
    const agentDrops = agents.filter((a) => a.disconnected).map((a) => `${a.username}: ${a.disconnected}`);
    if (agentDrops.length > 0) problems.push(`agents' feeds disconnected: ${agentDrops.join(', ')}`);
    const webSent = settings.chatting * (settings.messages + settings.warmupMessages);
    const pushedToVisitors = visitors.reduce((a, v) => a + v.pushed, 0);
    // Each visitor's own messages come back on its feed (what keeps other tabs in step).
    if (pushedToVisitors < webSent) problems.push(`the chatting visitors' feeds got ${pushedToVisitors} messages for ${webSent} they sent`);

    const heapRatio = webchatHeap.heapBytesPerConnection / wsBaseline.heapBytesPerConnection;
    const latencyRatio = web.p99 / tpi.p99;
    const goals = [
      { name: `heap per connection ≤ ${GOAL_HEAP}× the plain ws server's`, ratio: heapRatio, limit: GOAL_HEAP, met: heapRatio <= GOAL_HEAP },
      { name: `customer → agent p99 ≤ ${GOAL_LATENCY}× the TPI's`, ratio: latencyRatio, limit: GOAL_LATENCY, met: latencyRatio <= GOAL_LATENCY },
    ];
    const correct = problems.length === 0;
    const pass = correct && goals.every((g) => g.met);

    // ---- report ----
    const kibPer = (/** @type {number | undefined} */ b) => (b === undefined ? 'n/a' : `${(b / 1024).toFixed(2)} KiB`);
    const pad = (/** @type {unknown} */ v, n = 20) => String(v).padStart(n);
    const row = (/** @type {string} */ label, /** @type {unknown[]} */ ...cols) => console.log(`${label.padEnd(30)}${cols.map((c) => pad(c)).join('')}`);
    const f1 = (/** @type {number} */ v) => v.toFixed(1);
    console.log('');
    console.log(`${settings.idle} idle connections held by`);
    row('', 'plain ws', ...(engineioReference ? ['bare engine.io'] : []), ...(socketioReference ? ['bare Socket.IO'] : []), 'platform /webchat');
    const servers = [wsBaseline, ...(engineioReference ? [engineioReference] : []), ...(socketioReference ? [socketioReference] : []), webchatHeap];
    row('heap used before → after', ...servers.map((s) => `${mib(s.heapUsedBefore)} → ${mib(s.heapUsedAfter)}`.replace(/ MiB(?= →)/, '')));
    row('heap per connection', ...servers.map((s) => kibPer(s.heapBytesPerConnection)));
    row('external per connection', ...servers.map((s) => kibPer(s.externalBytesPerConnection)));
    row('RSS per connection', ...servers.map((s) => kibPer(s.rssBytesPerConnection)));
    row('connecting them took (s)', ...servers.map((s) => s.connectSeconds.toFixed(1)));
    row('heap per connection ÷ ws', ...servers.map((s) => `${(s.heapBytesPerConnection / wsBaseline.heapBytesPerConnection).toFixed(2)}×`));
    console.log('');
    console.log(`customer → agent's feed, ${settings.chatting} customers per path, one message each every ${settings.intervalMs} ms`);
    row('', 'TPI 2001', 'web chat');
    row('messages timed', tpi.count, web.count);
    row('latency p50 (ms)', f1(tpi.p50), f1(web.p50));
    row('latency p90 (ms)', f1(tpi.p90), f1(web.p90));
    row('latency p99 (ms)', f1(tpi.p99), f1(web.p99));
    row('latency max (ms)', f1(tpi.max), f1(web.max));
    const perRoundP99 = (/** @type {string} */ w) => rounds.filter((r) => r.which === w).map((r) => r.latencyMs.p99);
    const spread = (/** @type {number[]} */ v) => `${f1(Math.min(...v))} / ${f1(median(v))} / ${f1(Math.max(...v))}`;
    row('  p99 by round, min/med/max', `${spread(perRoundP99('tpi'))}`, `${spread(perRoundP99('web'))}`);
    const ratios = Array.from({ length: settings.rounds }, (_, i) => {
      const r = (/** @type {string} */ w) => rounds.find((x) => x.which === w && x.round === i + 1)?.latencyMs.p99 ?? NaN;
      return r('web') / r('tpi');
    });
    row('  web ÷ TPI p99, same', '', `${Math.min(...ratios).toFixed(2)} / ${median(ratios).toFixed(2)} / ${Math.max(...ratios).toFixed(2)}`);
    row('HTTP answer p50 / p99 (ms)', ...['tpi', 'web'].map((w) => {
      const a = stats(answers[w] ?? []);
      return `${f1(a.p50)} / ${f1(a.p99)}`;
    }));
    row('server CPU (cores)', ...['tpi', 'web'].map((w) => {
      const rs = rounds.filter((r) => r.which === w);
      return (rs.reduce((a, r) => a + (r.serverCpuCores ?? 0), 0) / rs.length).toFixed(2);
    }));
    const most = (/** @type {number[]} */ v) => `${f1(Math.max(...v))} (median ${f1(median(v))})`;
    row('server loop delay, max (ms)', ...['tpi', 'web'].map((w) => most(rounds.filter((r) => r.which === w).map((r) => r.server.loopDelayMs.max))));
    row('server GC pause, max (ms)', ...['tpi', 'web'].map((w) => most(rounds.filter((r) => r.which === w).map((r) => r.server.gc.maxMs))));
    row('  mark-compacts', ...['tpi', 'web'].map((w) => rounds.filter((r) => r.which === w).reduce((a, r) => a + r.server.gc.major, 0)));
    console.log('');
    console.log(`platform heap after the rounds ${mib(end.heapUsed)}, RSS ${mib(procStats(pid).rssBytes)}; server CPU through the rounds ${f1((cpuAfter.cpuSeconds ?? 0) - (cpuBefore.cpuSeconds ?? 0))} s`);
    console.log(`idle visitors still connected ${idleStatus.open}/${settings.idle}; messages pushed back to the chatting visitors ${pushedToVisitors} (${webSent} sent)`);
    console.log(`machine: ${machine().cpus} cores, load average ${machine().loadAverage.map((v) => v.toFixed(1)).join(' ')}; run took ${elapsed()}`);
    for (const p of problems) console.log(`  problem: ${p}`);
    console.log('');
    for (const g of goals) console.log(`${g.met ? 'ok  ' : 'MISS'}  ${g.name}: ${g.ratio.toFixed(2)}×`);
    console.log(pass ? 'PASS' : `FAIL${correct ? '' : ': not every message went through correctly'}`);

    const report = {
      benchmark: 'webchat-connections',
      date: new Date().toISOString(),
      goals,
      pass,
      settings,
      machine: machine(),
      heap: { ws: wsBaseline, engineioReference: engineioReference ?? null, socketioReference: socketioReference ?? null, platform: webchatHeap, platformAfterRounds: end },
      latency: { web, tpi, rounds, warmups },
      checks: { problems, idle: idleStatus, pushedToVisitors, webSent, unknownArrivals: arrivals.unknown, otherPushes: arrivals.other, callbacks: Object.fromEntries(sink.counts) },
    };
    log(`results written to ${writeResult('webchat-connections', report)}`);
    await stopChild(platform.proc, 15_000);
    return pass;
  } catch (error) {
    if (platform.proc.output.length > 0) console.error(`bench: the platform's last output:\n${platform.proc.output.slice(-30).join('\n')}`);
    throw error;
  }
}

finishRun(main, cleanUp);

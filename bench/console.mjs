#!/usr/bin/env node
// Console responsiveness benchmark (issue 3): the agent console in real Chromium with 20 open chats
// of 500 messages each (LOAD), against 4 open chats of 20 messages each (BASELINE), measured with
// the same procedure in the same run, each scenario on its own platform child.
// Goals: chat switch p95 ≤ 100 ms, keystroke-to-paint p95 ≤ 50 ms, no long task over 200 ms while
// messages arrive, and switching under load within 3× of the baseline.
//
//   npm run build && node bench/console.mjs
//
// Settings (environment): BENCH_CHATS (20), BENCH_MESSAGES (500), BENCH_BASELINE_CHATS (4),
// BENCH_BASELINE_MESSAGES (20), BENCH_SWITCHES (40 per series), BENCH_KEYS (50), BENCH_REPLIES (20),
// BENCH_LIVE_SECONDS (10), BENCH_LIVE_RATE (20 messages/s), BENCH_ROUNDS (2: baseline and load take
// turns in every phase), BENCH_SEED_CONCURRENCY (16), BENCH_CONSOLE_DIR (serve this built console
// instead of building one for production),
// CHROMIUM_PATH (/usr/bin/chromium), BENCH_CPU_PROF (1: profile the load page and print where its
// main thread spent the time, mapped to the console's sources), BENCH_KEEP (1: keep the data
// directories). See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { guardRun, intEnv, json, killAll, mib, procStats, sleep, startNode, waitFor } from './lib.mjs';
import { AGENT, QUEUE_ID, startCallbackSink, startPlatform } from './platform.mjs';
import { summarizeProfile } from './profile-top.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const TPI = '/EliteWebChat/tpi';

const GOALS = { switchP95Ms: 100, keyP95Ms: 50, liveLongTaskMaxMs: 200, switchRatio: 3 };

const settings = {
  chats: intEnv('BENCH_CHATS', 20, 2),
  messages: intEnv('BENCH_MESSAGES', 500),
  baselineChats: intEnv('BENCH_BASELINE_CHATS', 4, 2),
  baselineMessages: intEnv('BENCH_BASELINE_MESSAGES', 20),
  switches: intEnv('BENCH_SWITCHES', 40),
  keys: intEnv('BENCH_KEYS', 50),
  replies: intEnv('BENCH_REPLIES', 20),
  liveSeconds: intEnv('BENCH_LIVE_SECONDS', 10),
  liveRate: intEnv('BENCH_LIVE_RATE', 20),
  seedConcurrency: intEnv('BENCH_SEED_CONCURRENCY', 16),
  rounds: intEnv('BENCH_ROUNDS', 2),
  chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  /** A built console to serve as it is; by default the bench builds one for production. */
  consoleDir: process.env.BENCH_CONSOLE_DIR ? path.resolve(process.env.BENCH_CONSOLE_DIR) : undefined,
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
  keep: process.env.BENCH_KEEP === '1',
};
if (settings.chats > 90 || settings.baselineChats > 90) throw new Error('at most 90 chats per scenario (one agent)');

// Clean-ups, undone last first whatever happens: browser, children, data directories.
const { cleanups, cleanUp } = guardRun(175_000);

const started = performance.now();
const log = (/** @type {string} */ line) => console.log(`bench: [${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

// ---------------------------------------------------------------------------------------------
// Numbers

/** @param {number} seed */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @typedef {{ n: number, p50: number | null, p95: number | null, max: number | null, mean: number | null }} Stats
 * @param {(number | null)[]} values nulls (timeouts) are left out, and counted by the caller
 * @returns {Stats}
 */
function stats(values) {
  const v = /** @type {number[]} */ (values.filter((x) => typeof x === 'number' && Number.isFinite(x))).sort((a, b) => a - b);
  const rank = (/** @type {number} */ p) => (v.length === 0 ? null : /** @type {number} */ (v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)]));
  return {
    n: v.length,
    p50: rank(0.5),
    p95: rank(0.95),
    max: v.length === 0 ? null : /** @type {number} */ (v.at(-1)),
    mean: v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length,
  };
}

/** @param {number | null | undefined} v */
const ms = (v) => (v === null || v === undefined ? 'n/a' : v < 10 ? v.toFixed(1) : v.toFixed(0));
/** @param {Stats} s */
const triple = (s) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}`;

// ---------------------------------------------------------------------------------------------
// What customers write: short lines, Chinese, emoticon codes, now and then a long paragraph.

const SHORT = [
  'Hello, my order #{n} has not arrived yet /::)',
  'Can I change the delivery address? /::~',
  'Thanks! /::B',
  'ok',
  'Is there a discount if I buy {n} of them? /:8-)',
];
const CJK = [
  '您好，我想查询一下订单 {n} 的物流信息 /::)',
  '请问这个商品还有货吗？谢谢 /::$',
  '退货流程是怎样的？我已经等了三天了 /::<',
  '好的，明白了，非常感谢您的耐心解答！#{n}',
  '麻烦帮我看一下，发票抬头写错了 /::|',
];
const PARAGRAPH =
  "I bought the blue jacket last week and the zipper broke on the second day, so I would like a new one or my money back. 我上周买的蓝色外套，拉链第二天就坏了，希望可以换一件新的或者退款。/::'( ";

/**
 * @param {number} chat
 * @param {number} k the k-th message of that chat
 */
function customerText(chat, k) {
  const n = `${chat}-${k}`;
  const pick = (/** @type {string[]} */ list) => /** @type {string} */ (list[(k * 7 + chat) % list.length]).replace('{n}', n);
  switch (k % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return pick(SHORT);
    case 4:
    case 5:
    case 6:
      return pick(CJK);
    case 7:
      return `/::) /::B /:8-) ${pick(CJK)} /::Z`;
    case 8:
      return `${PARAGRAPH}(${n})`;
    default:
      // about 1,300 characters
      return `${PARAGRAPH.repeat(7)}(${n})`;
  }
}

// ---------------------------------------------------------------------------------------------
// The platform side of one scenario: a platform child, an agent online with N open chats of M
// customer messages, loaded through the TPI.

/**
 * @param {string} url
 * @param {string} password
 * @param {number} count
 * @param {string} prefix
 */
async function openChats(url, password, count, prefix) {
  const login = await json('POST', `${url}/api/v1/agent/login`, { body: { username: AGENT.username, password } });
  const token = /** @type {string} */ (login.token);
  await json('PUT', `${url}/api/v1/agent/status`, { token, body: { status: 'online' } });
  // One after the other, so that the chat list shows them in this order.
  for (let i = 0; i < count; i++) {
    const clientId = `${prefix}-${i}`;
    const answer = await json('POST', `${url}${TPI}`, {
      body: { type: 1000, clientId, nickname: i % 2 === 0 ? `Customer ${i}` : `客户${i}号`, time: Date.now(), queueId: QUEUE_ID, from: 'APP' },
    });
    if (answer.result !== 1) throw new Error(`1000 for ${clientId} answered ${JSON.stringify(answer)}`);
  }
  const sessions = await waitFor(
    `${count} sessions to be assigned to the agent`,
    async () => {
      const { sessions: open } = await json('GET', `${url}/api/v1/agent/sessions`, { token });
      const ours = open.filter((/** @type {any} */ s) => String(s.clientId).startsWith(`${prefix}-`));
      return ours.length === count ? ours : undefined;
    },
    30_000,
    100,
  );
  /** @type {{ sessionId: number, clientId: string }[]} */
  const list = sessions.map((/** @type {any} */ s) => ({ sessionId: /** @type {number} */ (s.id), clientId: /** @type {string} */ (s.clientId) }));
  list.sort((a, b) => a.sessionId - b.sessionId);
  return { token, sessions: list };
}

/**
 * M customer messages into every chat, interleaved across the chats as they would arrive, with
 * `concurrency` requests in flight.
 * @param {string} url
 * @param {{ sessionId: number, clientId: string }[]} sessions
 * @param {number} perChat
 * @param {number} concurrency
 */
async function seed(url, sessions, perChat, concurrency) {
  const total = sessions.length * perChat;
  let next = 0;
  let bad = 0;
  /** @type {string[]} */
  const samples = [];
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const chat = i % sessions.length;
      const k = Math.floor(i / sessions.length);
      const s = /** @type {{ sessionId: number, clientId: string }} */ (sessions[chat]);
      try {
        const answer = await json('POST', `${url}${TPI}`, { body: { type: 2001, sessionId: s.sessionId, clientId: s.clientId, time: Date.now(), text: customerText(chat, k) } });
        if (answer.result !== 1) {
          bad++;
          if (samples.length < 3) samples.push(JSON.stringify(answer));
        }
      } catch (error) {
        bad++;
        if (samples.length < 3) samples.push(String(error));
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  if (bad > 0) throw new Error(`${bad} of ${total} seed messages failed, e.g. ${samples.join('; ')}`);
  return { total, seconds };
}

/**
 * The newest message id of every open chat and how many messages it holds, as the agent API shows them.
 * @param {string} url
 * @param {string} token
 */
async function lastMessages(url, token) {
  const { sessions } = await json('GET', `${url}/api/v1/agent/sessions`, { token, timeoutMs: 60_000 });
  /** @type {Map<number, { lastId: number, count: number }>} */
  const out = new Map();
  for (const s of sessions) {
    const ids = s.messages.map((/** @type {any} */ m) => /** @type {number} */ (m.id));
    out.set(s.id, { lastId: Math.max(...ids), count: ids.length });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The page side: a probe installed before the console's own scripts. It runs in the browser and
// is serialized by Playwright, so it uses nothing from this module.

function installProbe() {
  const g = /** @type {any} */ (globalThis);
  if (g.__bench) return;
  const { document, performance: perf, requestAnimationFrame, MessageChannel, PerformanceObserver } = g;
  /** @type {any} */
  const bench = { longTasks: [], loafs: [], keys: [], live: null };
  g.__bench = bench;
  const observe = (/** @type {string} */ type, /** @type {(e: any) => void} */ fn) => {
    try {
      new PerformanceObserver((/** @type {any} */ list) => {
        for (const e of list.getEntries()) fn(e);
      }).observe({ type, buffered: true });
    } catch {
      // not supported by this browser
    }
  };
  observe('longtask', (e) => bench.longTasks.push({ start: e.startTime, duration: e.duration }));
  observe('long-animation-frame', (e) =>
    bench.loafs.push({
      start: e.startTime,
      duration: e.duration,
      blocking: e.blockingDuration,
      // the frame's own rendering at its end: style, layout, paint
      renderMs: e.renderStart > 0 ? e.startTime + e.duration - e.renderStart : 0,
      scripts: (e.scripts ?? []).map((/** @type {any} */ s) => ({
        invoker: s.invoker,
        type: s.invokerType,
        fn: s.sourceFunctionName,
        url: s.sourceURL,
        pos: s.sourceCharPosition,
        duration: s.duration,
        forcedLayoutMs: s.forcedStyleAndLayoutDuration ?? 0,
      })),
    }),
  );

  /** Runs after the main thread has produced the next frame (rAF, then a task queued from it). */
  const afterFrame = (/** @type {(now: number) => void} */ done) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => done(perf.now());
    ch.port2.postMessage(0);
  };
  /** ms from `since` to the end of the first frame in which probe() holds; null after timeoutMs. */
  const whenShown = (/** @type {() => boolean} */ probe, /** @type {number} */ since, /** @type {number} */ timeoutMs) =>
    new Promise((resolve) => {
      const tick = () =>
        requestAnimationFrame(() => {
          if (probe()) afterFrame((now) => resolve(now - since));
          else if (perf.now() - since > timeoutMs) resolve(null);
          else tick();
        });
      tick();
    });
  const activeView = () => document.querySelector('[data-testid=chat-view][data-active="true"]');

  bench.now = () => perf.now();
  /** Long tasks and long animation frames since t0 (page time). */
  bench.since = (/** @type {number} */ t0) => ({
    t0,
    t1: perf.now(),
    longTasks: bench.longTasks.filter((/** @type {any} */ x) => x.start >= t0),
    loafs: bench.loafs.filter((/** @type {any} */ x) => x.start >= t0),
  });

  /** Chat switch: from the pointer going down to the frame that shows that chat, with its last message. */
  bench.armSwitch = (/** @type {number} */ sessionId, /** @type {number} */ lastId, /** @type {number} */ timeoutMs) => {
    const selector = `[data-testid=chat-view][data-active="true"][data-session-id="${sessionId}"] [data-testid=message][data-message-id="${lastId}"]`;
    bench.switchResult = new Promise((resolve) => {
      const down = (/** @type {any} */ e) => {
        document.removeEventListener('pointerdown', down, true);
        const t0 = e.timeStamp;
        void whenShown(() => document.querySelector(selector) !== null, t0, timeoutMs).then(resolve);
      };
      document.addEventListener('pointerdown', down, true);
    });
  };

  /** Keystroke: from keydown in the composer to the frame after its input event. */
  bench.armKeys = () => {
    bench.keys = [];
    /** @type {number | null} */
    let downAt = null;
    const isComposer = (/** @type {any} */ t) => !!t && typeof t.getAttribute === 'function' && t.getAttribute('data-testid') === 'composer-input';
    const down = (/** @type {any} */ e) => {
      if (isComposer(e.target)) downAt = e.timeStamp;
    };
    const input = (/** @type {any} */ e) => {
      if (!isComposer(e.target) || downAt === null) return;
      const t0 = downAt;
      downAt = null;
      requestAnimationFrame(() => afterFrame((now) => bench.keys.push(now - t0)));
    };
    document.addEventListener('keydown', down, true);
    document.addEventListener('input', input, true);
    bench.disarmKeys = () => {
      document.removeEventListener('keydown', down, true);
      document.removeEventListener('input', input, true);
      return bench.keys;
    };
  };
  bench.keysDone = (/** @type {number} */ n, /** @type {number} */ timeoutMs) =>
    new Promise((resolve) => {
      const t0 = perf.now();
      const check = () => (bench.keys.length >= n || perf.now() - t0 > timeoutMs ? resolve(bench.keys.length) : g.setTimeout(check, 1));
      check();
    });

  /** Reply: from Enter to the frame showing it (pending or confirmed), and to the frame showing it confirmed by the server. */
  bench.armReply = (/** @type {string} */ token, /** @type {number} */ timeoutMs) => {
    bench.replyResult = new Promise((resolve) => {
      const key = (/** @type {any} */ e) => {
        if (e.key !== 'Enter') return;
        document.removeEventListener('keydown', key, true);
        const t0 = e.timeStamp;
        const confirmed = () => {
          const view = activeView();
          if (!view) return false;
          const mine = view.querySelectorAll('[data-testid=message][data-sender=agent]');
          const last = mine[mine.length - 1];
          return !!last && String(last.textContent).includes(token);
        };
        const shown = () => {
          if (confirmed()) return true;
          const view = activeView();
          if (!view) return false;
          for (const p of view.querySelectorAll('[data-testid=pending-message]')) if (String(p.textContent).includes(token)) return true;
          return false;
        };
        void Promise.all([whenShown(shown, t0, timeoutMs), whenShown(confirmed, t0, timeoutMs)]).then(([shownMs, confirmedMs]) =>
          resolve({ shownMs, confirmedMs }),
        );
      };
      document.addEventListener('keydown', key, true);
    });
  };

  /** Live phase: every frame's start time, until stopped. */
  bench.startLive = () => {
    const live = { on: true, frames: /** @type {number[]} */ ([]), t0: perf.now() };
    bench.live = live;
    const loop = (/** @type {number} */ ts) => {
      if (!live.on) return;
      live.frames.push(ts);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    return live.t0;
  };
  bench.stopLive = () => {
    const live = bench.live;
    live.on = false;
    return { ...bench.since(live.t0), frames: live.frames, visibility: document.visibilityState };
  };
}

/** @param {import('playwright-core').Page} page */
const probeOf = (page) => ({
  /**
   * @template R
   * @param {string} fn name of a function of the probe
   * @param {unknown[]} [args]
   * @returns {Promise<R>}
   */
  call: (fn, args = []) =>
    page.evaluate(([name, list]) => {
      const bench = /** @type {any} */ (globalThis).__bench;
      return bench[/** @type {string} */ (name)](.../** @type {unknown[]} */ (list));
    }, /** @type {[string, unknown[]]} */ ([fn, args])),
  /** @returns {Promise<any>} */
  get: (/** @type {string} */ field) => page.evaluate((name) => /** @type {any} */ (globalThis).__bench[name], field),
});

// ---------------------------------------------------------------------------------------------
// Mapping the console's minified code back to its sources (for long frames and CPU profiles).

/** @param {string} dist the served console */
async function sourceMapper(dist) {
  /** @type {any} */
  let SourceMapConsumer;
  try {
    ({ SourceMapConsumer } = await import('source-map-js'));
  } catch {
    return null;
  }
  /** @type {Map<string, { consumer: any, lineStarts: number[], mapDir: string } | null>} */
  const cache = new Map();
  const load = (/** @type {string} */ url) => {
    if (cache.has(url)) return cache.get(url);
    /** @type {{ consumer: any, lineStarts: number[], mapDir: string } | null} */
    let entry;
    try {
      const file = path.join(dist, new URL(url).pathname);
      const code = fs.readFileSync(file, 'utf8');
      const lineStarts = [0];
      for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) lineStarts.push(i + 1);
      const map = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
      entry = { consumer: new SourceMapConsumer(map), lineStarts, mapDir: path.dirname(file) };
    } catch {
      entry = null;
    }
    cache.set(url, entry);
    return entry;
  };
  /**
   * @param {string} url
   * @param {number} line 0-based
   * @param {number} column 0-based
   * @returns {{ file: string, line: number, name: string | null } | null}
   */
  const at = (url, line, column) => {
    if (!url || !url.includes('/assets/')) return null;
    const entry = load(url);
    if (!entry) return null;
    const o = entry.consumer.originalPositionFor({ line: line + 1, column });
    if (!o || !o.source) return null;
    return { file: path.resolve(entry.mapDir, o.source), line: o.line ?? 0, name: o.name ?? null };
  };
  /** @param {string} url @param {number} pos character offset in the script */
  const atChar = (url, pos) => {
    const entry = url && url.includes('/assets/') ? load(url) : null;
    if (!entry || pos < 0) return null;
    let lo = 0;
    let hi = entry.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (/** @type {number} */ (entry.lineStarts[mid]) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return at(url, lo, pos - /** @type {number} */ (entry.lineStarts[lo]));
  };
  return { at, atChar };
}

/** @param {{ file: string, line: number, name: string | null } | null} o */
const where = (o) => (o ? `${path.relative(root, o.file).replace(/^node_modules\//, '')}:${o.line}${o.name ? ` (${o.name})` : ''}` : '?');

// ---------------------------------------------------------------------------------------------
// The console under test: a production build of packages/console, made for this run.

/**
 * Whether a built console holds React's development build (its source map lists it). A build made
 * with NODE_ENV set to something else than production (vitest sets "test", and its global set-up
 * builds the console) bundles the development React, several times slower.
 * @param {string} dir
 * @returns {boolean | undefined} undefined when there is no source map to tell
 */
function isDevelopmentBuild(dir) {
  try {
    const assets = path.join(dir, 'assets');
    const maps = fs.readdirSync(assets).filter((f) => f.endsWith('.js.map'));
    if (maps.length === 0) return undefined;
    return maps.some((f) => {
      const { sources } = JSON.parse(fs.readFileSync(path.join(assets, f), 'utf8'));
      return sources.some((/** @type {string} */ src) => /\/react-dom\/cjs\/[^/]*\.development\.js$/.test(src));
    });
  } catch {
    return undefined;
  }
}

/**
 * Builds packages/console for production into a temporary directory (what `npm run build` makes
 * from a plain shell), so that the run does not depend on who built packages/console/dist last.
 */
async function buildConsole() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-console-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const t0 = performance.now();
  const child = startNode('vite', [vite, 'build', 'packages/console', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`building the console failed (exit ${code}):\n${child.output.join('\n')}`);
  return { dir, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// One scenario in the browser.

/**
 * @typedef {{
 *   name: string, label: string, chats: number, messages: number,
 *   url: string, password: string, token: string, pid: number | undefined,
 *   sessions: { sessionId: number, clientId: string }[],
 *   last: Map<number, { lastId: number, count: number }>,
 *   seed: { total: number, seconds: number },
 *   page: import('playwright-core').Page, context: import('playwright-core').BrowserContext,
 *   cdp: import('playwright-core').CDPSession, errors: string[], active: number | null,
 *   plan: ReturnType<typeof switchPlan>, acc: ReturnType<typeof newAcc>,
 *   result: Record<string, any>,
 * }} Scenario
 */

/** What the rounds of one scenario gather. */
function newAcc() {
  const tasks = () => /** @type {TaskWindow} */ ({ longTasks: [], loafs: [] });
  return {
    switchFour: { samples: /** @type {(number | null)[]} */ ([]), sessionIds: /** @type {number[]} */ ([]) },
    switchAll: { samples: /** @type {(number | null)[]} */ ([]), sessionIds: /** @type {number[]} */ ([]) },
    keys: /** @type {number[]} */ ([]),
    keysMissing: 0,
    typedOk: true,
    replyShown: /** @type {(number | null)[]} */ ([]),
    replyConfirmed: /** @type {(number | null)[]} */ ([]),
    live: {
      rng: rng(7),
      sent: 0,
      ok: 0,
      bad: 0,
      seconds: 0,
      gaps: /** @type {number[]} */ ([]),
      frames: 0,
      windowMs: 0,
      perChat: /** @type {Map<number, number>} */ (new Map()),
      visibility: /** @type {Set<string>} */ (new Set()),
    },
    tasks: { switching: tasks(), keys: tasks(), replies: tasks(), live: tasks() },
  };
}

/**
 * @param {string} name
 * @param {string} label
 * @param {number} chats
 * @param {number} messages
 */
async function prepareScenario(name, label, chats, messages) {
  const sink = await startCallbackSink();
  cleanups.push(sink.close);
  const platform = await startPlatform({
    root,
    store: 'sqlite',
    databaseUrl: '',
    callbackBase: sink.url,
    maxChats: chats + 5,
    keep: settings.keep,
    cleanups,
  });
  const { token, sessions } = await openChats(platform.url, platform.password, chats, `console-${name}`);
  const seeded = await seed(platform.url, sessions, messages, settings.seedConcurrency);
  const last = await lastMessages(platform.url, token);
  for (const s of sessions) {
    const got = last.get(s.sessionId)?.count ?? 0;
    if (got < messages) throw new Error(`${name}: session ${s.sessionId} holds ${got} messages, expected ${messages}`);
  }
  log(`${name}: platform pid ${platform.proc.child.pid} at ${platform.url}; ${chats} chats × ${messages} messages loaded in ${seeded.seconds.toFixed(1)} s (${(seeded.total / seeded.seconds).toFixed(0)} msgs/s)`);
  return { name, label, chats, messages, url: platform.url, password: platform.password, token, pid: platform.proc.child.pid, sessions, last, seed: seeded };
}

/**
 * @param {import('playwright-core').Browser} browser
 * @param {Awaited<ReturnType<typeof prepareScenario>>} p
 * @returns {Promise<Scenario>}
 */
async function openConsole(browser, p) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(installProbe);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  await page.goto(`${p.url}/login`);
  await page.getByTestId('login-username').fill(AGENT.username);
  await page.getByTestId('login-password').fill(p.password);
  const t0 = performance.now();
  await page.getByTestId('login-submit').click();
  const lastIds = Object.fromEntries([...p.last].map(([id, v]) => [id, v.lastId]));
  await page.waitForFunction(
    ({ n, lastIds: ids }) => {
      const doc = /** @type {any} */ (globalThis).document;
      if (doc.querySelectorAll('[data-testid=chat-list-item]').length < n) return false;
      const view = doc.querySelector('[data-testid=chat-view][data-active="true"]');
      if (!view) return false;
      const last = ids[view.getAttribute('data-session-id')];
      return last !== undefined && view.querySelector(`[data-testid=message][data-message-id="${last}"]`) !== null;
    },
    { n: p.chats, lastIds },
    { timeout: 60_000, polling: 'raf' },
  );
  const readyMs = performance.now() - t0;
  const active = Number(await page.locator('[data-testid=chat-view][data-active="true"]').getAttribute('data-session-id'));
  log(`${p.name}: logged in through the UI; ${p.chats} chats listed and the first one shown ${readyMs.toFixed(0)} ms after the click`);
  /** @type {Scenario} */
  const scenario = { ...p, page, context, cdp, errors, active, plan: /** @type {any} */ (null), acc: newAcc(), result: { readyMs } };
  scenario.plan = switchPlan(scenario);
  return scenario;
}

/** @param {Scenario} s */
async function heap(s) {
  await s.cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  const { metrics } = await s.cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  return { jsHeapUsedBytes: m.JSHeapUsedSize, jsHeapTotalBytes: m.JSHeapTotalSize, domNodes: m.Nodes, eventListeners: m.JSEventListeners };
}

/**
 * @typedef {{ start: number, duration: number }} LongTask
 * @typedef {{ longTasks: LongTask[], loafs: any[] }} TaskWindow
 */

/**
 * Adds the long tasks and long frames the probe saw since t0 to a phase's record.
 * @param {Scenario} s
 * @param {'switching' | 'keys' | 'replies' | 'live'} phase
 * @param {number} t0 page time
 */
async function collectTasks(s, phase, t0) {
  /** @type {TaskWindow} */
  const w = await probeOf(s.page).call('since', [t0]);
  s.acc.tasks[phase].longTasks.push(...w.longTasks);
  s.acc.tasks[phase].loafs.push(...w.loafs);
}

/** @param {TaskWindow} w */
function summarizeTasks(w) {
  const worst = [...w.loafs].sort((a, b) => b.duration - a.duration).slice(0, 3);
  const sum = (/** @type {(f: any) => number} */ fn) => w.loafs.reduce((a, f) => a + fn(f), 0);
  const scripts = (/** @type {any} */ f) => (f.scripts ?? []).reduce((/** @type {number} */ a, /** @type {any} */ x) => a + x.duration, 0);
  const forced = (/** @type {any} */ f) => (f.scripts ?? []).reduce((/** @type {number} */ a, /** @type {any} */ x) => a + (x.forcedLayoutMs ?? 0), 0);
  return {
    // Where the long animation frames (over 50 ms) spent their time, in total.
    longFramesMs: { total: sum((f) => f.duration), scripts: sum(scripts), forcedLayoutInScripts: sum(forced), rendering: sum((f) => f.renderMs ?? 0) },
    longTasks: w.longTasks.length,
    longestTaskMs: w.longTasks.reduce((a, t) => Math.max(a, t.duration), 0),
    longTaskTotalMs: w.longTasks.reduce((a, t) => a + t.duration, 0),
    longFrames: w.loafs.length,
    worstFrames: worst,
  };
}

/** A stride that visits every chat before coming back to one. */
function strideFor(/** @type {number} */ n) {
  for (const s of [7, 3, 1]) {
    let a = s;
    let b = n;
    while (b) [a, b] = [b, a % b];
    if (a === 1) return s % n || 1;
  }
  return 1;
}

/**
 * Which chat to open next. `four`: one of the first four chats, at random (after a warm-up these
 * are the views the console keeps rendered). `all`: every chat in turn with a stride, so a chat
 * comes back only after all the others (for 20 chats: never one of the views kept rendered).
 * @param {Scenario} s
 */
function switchPlan(s) {
  const ids = s.sessions.map((x) => x.sessionId);
  const four = ids.slice(0, Math.min(4, ids.length));
  const r = rng(42);
  const stride = strideFor(ids.length);
  let k = 0;
  return {
    ids,
    four,
    stride,
    /** @param {'four' | 'all'} kind */
    next(kind) {
      for (;;) {
        const id = kind === 'four' ? /** @type {number} */ (four[Math.floor(r() * four.length)]) : /** @type {number} */ (ids[(k++ * stride) % ids.length]);
        if (id !== s.active) return id;
      }
    },
  };
}

/**
 * Clicks a chat-list item with the mouse and times, in the page, pointer down → the frame that
 * shows that chat with its newest message.
 * @param {Scenario} s
 * @param {number} sessionId
 * @returns {Promise<number | null>}
 */
async function switchTo(s, sessionId) {
  const probe = probeOf(s.page);
  const lastId = /** @type {{ lastId: number }} */ (s.last.get(sessionId)).lastId;
  const item = s.page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`);
  await item.scrollIntoViewIfNeeded();
  const box = await item.boundingBox();
  if (!box) throw new Error(`${s.name}: chat ${sessionId} is not in the list`);
  await probe.call('armSwitch', [sessionId, lastId, 10_000]);
  await s.page.mouse.click(box.x + box.width / 2, box.y + Math.min(box.height / 2, 20));
  /** @type {number | null} */
  const took = await probe.get('switchResult');
  s.active = sessionId;
  // An agent reads a moment before switching again; the work a switch leaves behind (effects,
  // the views kept in the background) runs here.
  await sleep(60);
  return took;
}

/**
 * Unmeasured: every chat once (JIT, first renders), the four last so that they are kept rendered.
 * @param {Scenario} s
 */
async function warmUpSwitching(s) {
  const { ids, four } = s.plan;
  for (const id of [...ids.filter((x) => !four.includes(x)), ...four]) if (id !== s.active) await switchTo(s, id);
  await sleep(500);
}

/**
 * @param {Scenario} s
 * @param {'four' | 'all'} kind
 * @param {number} n
 */
async function switchChunk(s, kind, n) {
  // The four chats again first (unmeasured), so the "among 4" series only sees kept views.
  if (kind === 'four') for (const id of s.plan.four) if (id !== s.active) await switchTo(s, id);
  const t0 = await probeOf(s.page).call('now');
  const into = kind === 'four' ? s.acc.switchFour : s.acc.switchAll;
  for (let i = 0; i < n; i++) {
    const id = s.plan.next(kind);
    into.samples.push(await switchTo(s, id));
    into.sessionIds.push(id);
  }
  await collectTasks(s, 'switching', t0);
}

/**
 * Types n characters into the composer of the chat on screen, one at a time, timing keydown → the
 * frame after its input event.
 * @param {Scenario} s
 * @param {number} n
 */
async function keysChunk(s, n) {
  const probe = probeOf(s.page);
  const composer = s.page.locator('[data-testid=chat-view][data-active="true"] [data-testid=composer-input]');
  await composer.click();
  await composer.fill('');
  const text = 'The quick brown fox jumps over the lazy dog, 12345 and then some more words'.repeat(Math.ceil(n / 70)).slice(0, n);
  const t0 = await probe.call('now');
  await probe.call('armKeys');
  for (let i = 0; i < text.length; i++) {
    await s.page.keyboard.type(/** @type {string} */ (text[i]));
    await probe.call('keysDone', [i + 1, 5_000]);
  }
  /** @type {number[]} */
  const samples = await probe.call('disarmKeys');
  s.acc.keys.push(...samples);
  s.acc.keysMissing += text.length - samples.length;
  if ((await composer.inputValue()) !== text) s.acc.typedOk = false;
  await collectTasks(s, 'keys', t0);
  await composer.fill('');
}

/**
 * Sends n replies with Enter, timing Enter → the frame showing the reply, and → the frame showing
 * it confirmed by the server.
 * @param {Scenario} s
 * @param {number} n
 */
async function replyChunk(s, n) {
  const probe = probeOf(s.page);
  const composer = s.page.locator('[data-testid=chat-view][data-active="true"] [data-testid=composer-input]');
  const t0 = await probe.call('now');
  for (let i = 0; i < n; i++) {
    const token = `r${s.acc.replyShown.length}x${Math.random().toString(36).slice(2, 8)}`;
    await composer.fill(`好的，马上为您处理 ${token} /::)`);
    await probe.call('armReply', [token, 10_000]);
    await s.page.keyboard.press('Enter');
    /** @type {{ shownMs: number | null, confirmedMs: number | null }} */
    const r = await probe.get('replyResult');
    s.acc.replyShown.push(r.shownMs);
    s.acc.replyConfirmed.push(r.confirmedMs);
    await sleep(60);
  }
  await collectTasks(s, 'replies', t0);
}

/**
 * TPI 2001 at a steady rate into random chats of the scenario, while the page records its frames.
 * @param {Scenario} s
 * @param {number} seconds
 */
async function liveChunk(s, seconds) {
  const probe = probeOf(s.page);
  const L = s.acc.live;
  const total = Math.round(seconds * settings.liveRate);
  let ok = 0;
  let bad = 0;
  /** @type {Promise<void>[]} */
  const inFlight = [];
  await probe.call('startLive');
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / settings.liveRate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const chat = Math.floor(L.rng() * s.sessions.length);
    const target = /** @type {{ sessionId: number, clientId: string }} */ (s.sessions[chat]);
    L.perChat.set(target.sessionId, (L.perChat.get(target.sessionId) ?? 0) + 1);
    const n = L.sent + i;
    inFlight.push(
      json('POST', `${s.url}${TPI}`, {
        body: { type: 2001, sessionId: target.sessionId, clientId: target.clientId, time: Date.now(), text: `live ${n}: ${customerText(chat, 1000 + n)}` },
      }).then(
        (a) => {
          if (a.result === 1) ok++;
          else bad++;
        },
        () => {
          bad++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  L.seconds += (performance.now() - t0) / 1000;
  // The frames until the last push has surely been handled.
  await sleep(300);
  /** @type {{ t0: number, t1: number, frames: number[], longTasks: LongTask[], loafs: any[], visibility: string }} */
  const w = await probe.call('stopLive');
  for (let i = 1; i < w.frames.length; i++) L.gaps.push(/** @type {number} */ (w.frames[i]) - /** @type {number} */ (w.frames[i - 1]));
  L.frames += w.frames.length;
  L.windowMs += w.t1 - w.t0;
  L.visibility.add(w.visibility);
  L.sent += total;
  L.ok += ok;
  L.bad += bad;
  s.acc.tasks.live.longTasks.push(...w.longTasks);
  s.acc.tasks.live.loafs.push(...w.loafs);
}

/**
 * After the live phase: the chat on screen shows its newest message, and the unread count in the
 * title covers what went to the other chats.
 * @param {Scenario} s
 */
async function checkDelivery(s) {
  const L = s.acc.live;
  const last = await lastMessages(s.url, s.token);
  const activeLast = s.active === null ? undefined : last.get(s.active)?.lastId;
  const shown = await s.page
    .locator(`[data-testid=chat-view][data-active="true"] [data-testid=message][data-message-id="${activeLast}"]`)
    .waitFor({ timeout: 5_000 })
    .then(
      () => true,
      () => false,
    );
  const expectedUnread = [...L.perChat].filter(([id]) => id !== s.active).reduce((a, [, n]) => a + n, 0);
  const unreadInTitle = async () => Number(/^\((\d+)\)/.exec(await s.page.title())?.[1] ?? 0);
  const titleUnread = await waitFor('the unread count in the title', async () => ((await unreadInTitle()) === expectedUnread ? expectedUnread : undefined), 5_000, 100).catch(
    unreadInTitle,
  );
  return { shownInChatOnScreen: shown, expectedUnread, titleUnread };
}

/**
 * The figures of one scenario, from what its rounds gathered.
 * @param {Scenario} s
 */
function finish(s) {
  const a = s.acc;
  const series = (/** @type {{ samples: (number | null)[], sessionIds: number[] }} */ x) => ({
    ...stats(x.samples),
    timeouts: x.samples.filter((v) => v === null).length,
    samples: x.samples,
    sessionIds: x.sessionIds,
  });
  const L = a.live;
  Object.assign(s.result, {
    switchFour: series(a.switchFour),
    switchAll: { ...series(a.switchAll), stride: s.plan.stride },
    switchTasks: summarizeTasks(a.tasks.switching),
    keys: { ...stats(a.keys), missing: a.keysMissing, typedOk: a.typedOk, samples: a.keys, tasks: summarizeTasks(a.tasks.keys) },
    replyShown: { ...stats(a.replyShown), timeouts: a.replyShown.filter((v) => v === null).length, samples: a.replyShown },
    replyConfirmed: {
      ...stats(a.replyConfirmed),
      timeouts: a.replyConfirmed.filter((v) => v === null).length,
      samples: a.replyConfirmed,
      tasks: summarizeTasks(a.tasks.replies),
    },
    live: {
      ...s.result.live,
      sent: L.sent,
      ok: L.ok,
      bad: L.bad,
      sendSeconds: L.seconds,
      ratePerSecond: L.sent / (L.seconds || 1),
      toChatOnScreen: L.perChat.get(/** @type {number} */ (s.active)) ?? 0,
      frames: L.frames,
      windowMs: L.windowMs,
      frameGapMs: stats(L.gaps),
      ...summarizeTasks(a.tasks.live),
      visibility: [...L.visibility].join(','),
    },
  });
}

/** @param {number} total @param {number} parts @returns {number[]} */
const split = (total, parts) => Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts));

// ---------------------------------------------------------------------------------------------

async function main() {
  log(
    `console responsiveness: BASELINE ${settings.baselineChats} chats × ${settings.baselineMessages} messages vs LOAD ${settings.chats} × ${settings.messages}; ` +
      `${settings.switches} switches per series, ${settings.keys} keys, ${settings.replies} replies, live ${settings.liveRate} msgs/s for ${settings.liveSeconds} s`,
  );
  const loadAverageStart = os.loadavg();
  const distDev = isDevelopmentBuild(path.join(root, 'packages/console/dist'));
  /** @type {string} */
  let consoleDir;
  /** @type {Record<string, unknown>} */
  let consoleBuild;
  if (settings.consoleDir) {
    consoleDir = settings.consoleDir;
    if (!fs.existsSync(path.join(consoleDir, 'index.html'))) throw new Error(`${consoleDir}/index.html is missing`);
    consoleBuild = { dir: consoleDir, builtByBench: false, reactDevelopmentBuild: isDevelopmentBuild(consoleDir) ?? null };
    log(`serving the console in ${consoleDir} as it is${consoleBuild.reactDevelopmentBuild ? ' (a DEVELOPMENT build of React: not what agents get)' : ''}`);
  } else {
    const built = await buildConsole();
    consoleDir = built.dir;
    consoleBuild = { dir: 'temporary', builtByBench: true, seconds: built.seconds, reactDevelopmentBuild: isDevelopmentBuild(consoleDir) ?? null };
    log(`console built for production in ${built.seconds.toFixed(1)} s`);
  }
  if (distDev) log('note: packages/console/dist holds a development build of React (built with NODE_ENV≠production, e.g. by the test suite); this run does not use it');
  // The platform children inherit it (see startPlatform).
  process.env.CONSOLE_DIR = consoleDir;

  const base = await prepareScenario('baseline', `${settings.baselineChats} × ${settings.baselineMessages}`, settings.baselineChats, settings.baselineMessages);
  const heavy = await prepareScenario('load', `${settings.chats} × ${settings.messages}`, settings.chats, settings.messages);

  const browser = await chromium.launch({
    executablePath: settings.chromium,
    headless: true,
    // Ctrl-C is handled here, in order: the browser first, then the platforms and directories.
    handleSIGINT: false,
    handleSIGTERM: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  cleanups.push(() => browser.close());
  log(`Chromium ${browser.version()}`);

  const scenarios = [await openConsole(browser, base), await openConsole(browser, heavy)];
  await sleep(1_000);
  for (const s of scenarios) s.result.heapAfterLoad = await heap(s);

  const mapper = await sourceMapper(consoleDir);
  const load = /** @type {Scenario} */ (scenarios[1]);
  if (settings.cpuProfile) {
    await load.cdp.send('Profiler.enable');
    await load.cdp.send('Profiler.setSamplingInterval', { interval: 250 });
    await load.cdp.send('Profiler.start');
  }

  // Same procedure for both, taking turns: the rounds of each phase alternate baseline and load,
  // so that a noisy moment of the machine hits both.
  for (const s of scenarios) await warmUpSwitching(s);
  const rounds = settings.rounds;
  const switchParts = split(settings.switches, rounds);
  for (let r = 0; r < rounds; r++) {
    for (const kind of /** @type {const} */ (['four', 'all'])) for (const s of scenarios) await switchChunk(s, kind, /** @type {number} */ (switchParts[r]));
  }
  for (const s of scenarios) log(`${s.name}: switch among 4 chats p50/p95/max ${triple(stats(s.acc.switchFour.samples))} ms; across all ${s.chats} ${triple(stats(s.acc.switchAll.samples))} ms`);
  const keyParts = split(settings.keys, rounds);
  for (let r = 0; r < rounds; r++) for (const s of scenarios) await keysChunk(s, /** @type {number} */ (keyParts[r]));
  for (const s of scenarios) log(`${s.name}: keystroke → paint p50/p95/max ${triple(stats(s.acc.keys))} ms over ${s.acc.keys.length} keys`);
  const replyParts = split(settings.replies, rounds);
  for (let r = 0; r < rounds; r++) for (const s of scenarios) await replyChunk(s, /** @type {number} */ (replyParts[r]));
  for (const s of scenarios) log(`${s.name}: reply Enter → on screen ${triple(stats(s.acc.replyShown))} ms, → confirmed ${triple(stats(s.acc.replyConfirmed))} ms`);
  for (let r = 0; r < rounds; r++) for (const s of scenarios) await liveChunk(s, settings.liveSeconds / rounds);
  for (const s of scenarios) {
    s.result.live = await checkDelivery(s);
    finish(s);
    const L = s.result.live;
    log(
      `${s.name}: live ${L.ratePerSecond.toFixed(1)} msgs/s for ${L.sendSeconds.toFixed(1)} s: frame gap p50/p95/max ${triple(L.frameGapMs)} ms, ` +
        `${L.longTasks} long tasks, longest ${ms(L.longestTaskMs)} ms`,
    );
  }
  for (const s of scenarios) {
    s.result.heapAtEnd = await heap(s);
    s.result.platformPeakRssBytes = procStats(s.pid).peakRssBytes;
    s.result.pageErrors = s.errors;
  }
  const loadAverageEnd = os.loadavg();

  /** @type {string | undefined} */
  let profileText;
  if (settings.cpuProfile) {
    const { profile } = await load.cdp.send('Profiler.stop');
    if (mapper) {
      for (const node of profile.nodes) {
        const f = node.callFrame;
        const o = mapper.at(f.url, f.lineNumber, f.columnNumber);
        if (o) node.callFrame = { ...f, functionName: o.name ?? f.functionName, url: o.file, lineNumber: o.line - 1 };
      }
    }
    profileText = summarizeProfile(/** @type {any} */ (profile), 25);
  }

  // ---- the verdict ----
  const [B, L] = /** @type {[Scenario, Scenario]} */ (scenarios);
  const b = B.result;
  const l = L.result;
  const ratioFour = l.switchFour.p95 / b.switchFour.p95;
  const ratioAll = l.switchAll.p95 / b.switchAll.p95;
  const goals = [
    { goal: `switch p95 ≤ ${GOALS.switchP95Ms} ms (load, among 4 chats)`, value: l.switchFour.p95, pass: l.switchFour.p95 !== null && l.switchFour.p95 <= GOALS.switchP95Ms },
    { goal: `switch p95 ≤ ${GOALS.switchP95Ms} ms (load, across all ${settings.chats})`, value: l.switchAll.p95, pass: l.switchAll.p95 !== null && l.switchAll.p95 <= GOALS.switchP95Ms },
    { goal: `keystroke → paint p95 ≤ ${GOALS.keyP95Ms} ms (load)`, value: l.keys.p95, pass: l.keys.p95 !== null && l.keys.p95 <= GOALS.keyP95Ms },
    { goal: `no long task > ${GOALS.liveLongTaskMaxMs} ms while messages arrive (load)`, value: l.live.longestTaskMs, pass: l.live.longestTaskMs <= GOALS.liveLongTaskMaxMs },
    { goal: `switch p95 within ${GOALS.switchRatio}× of baseline (among 4 chats)`, value: ratioFour, pass: Number.isFinite(ratioFour) && ratioFour <= GOALS.switchRatio },
    { goal: `switch p95 within ${GOALS.switchRatio}× of baseline (across all chats)`, value: ratioAll, pass: Number.isFinite(ratioAll) && ratioAll <= GOALS.switchRatio },
  ];
  /** @type {string[]} */
  const problems = [];
  for (const s of scenarios) {
    const r = s.result;
    const timeouts = r.switchFour.timeouts + r.switchAll.timeouts + r.replyShown.timeouts + r.replyConfirmed.timeouts + r.keys.missing;
    if (timeouts > 0) problems.push(`${s.name}: ${timeouts} measurements never showed on screen (timed out)`);
    if (!r.keys.typedOk) problems.push(`${s.name}: the composer did not hold what was typed`);
    if (r.live.bad > 0) problems.push(`${s.name}: ${r.live.bad} live TPI messages were not answered result 1`);
    if (!r.live.shownInChatOnScreen) problems.push(`${s.name}: the chat on screen did not show its newest live message`);
    if (r.live.titleUnread !== r.live.expectedUnread) problems.push(`${s.name}: the title shows ${r.live.titleUnread} unread, expected ${r.live.expectedUnread}`);
    for (const e of s.errors.filter((x) => x.startsWith('pageerror'))) problems.push(`${s.name}: ${e}`);
  }
  const pass = goals.every((g) => g.pass) && problems.length === 0;

  const pad = (/** @type {unknown} */ v, n = 22) => String(v).padStart(n);
  const row = (/** @type {string} */ label, /** @type {unknown} */ x, /** @type {unknown} */ y) => console.log(`${label.padEnd(40)}${pad(x)}${pad(y)}`);
  const heapRow = (/** @type {any} */ h) => `${mib(h.jsHeapUsedBytes)}, ${h.domNodes} nodes`;
  console.log('');
  row('', 'baseline', 'load');
  row('chats × messages', B.label, L.label);
  row('login → chats listed (ms)', ms(b.readyMs), ms(l.readyMs));
  row('switch, among 4 chats p50/p95/max', triple(b.switchFour), triple(l.switchFour));
  row(`switch, across all chats p50/p95/max`, triple(b.switchAll), triple(l.switchAll));
  row('  longest task while switching (ms)', ms(b.switchTasks.longestTaskMs), ms(l.switchTasks.longestTaskMs));
  const frameSplit = (/** @type {any} */ t) =>
    t.longFrames === 0 ? '-' : `${t.longFrames}: ${ms(t.longFramesMs.scripts - t.longFramesMs.forcedLayoutInScripts)}+${ms(t.longFramesMs.forcedLayoutInScripts)}+${ms(t.longFramesMs.rendering)}`;
  row('  long frames: n: js+forced layout+render', frameSplit(b.switchTasks), frameSplit(l.switchTasks));
  row('keystroke → paint p50/p95/max', triple(b.keys), triple(l.keys));
  row('reply Enter → on screen p50/p95/max', triple(b.replyShown), triple(l.replyShown));
  row('reply Enter → confirmed p50/p95/max', triple(b.replyConfirmed), triple(l.replyConfirmed));
  row('live: TPI messages/s (to chat on screen)', `${b.live.ratePerSecond.toFixed(1)} (${b.live.toChatOnScreen})`, `${l.live.ratePerSecond.toFixed(1)} (${l.live.toChatOnScreen})`);
  row('live: frame gap p50/p95/max', triple(b.live.frameGapMs), triple(l.live.frameGapMs));
  row('live: long tasks, longest (ms)', `${b.live.longTasks}, ${ms(b.live.longestTaskMs)}`, `${l.live.longTasks}, ${ms(l.live.longestTaskMs)}`);
  row('JS heap after load (after GC)', heapRow(b.heapAfterLoad), heapRow(l.heapAfterLoad));
  row('JS heap at the end (after GC)', heapRow(b.heapAtEnd), heapRow(l.heapAtEnd));
  console.log('(all times in ms, measured in the page from the input event to the end of the frame that shows the result)');
  console.log(
    `machine: ${os.cpus().length} cores, load average ${loadAverageStart[0]?.toFixed(1)} at the start and ${loadAverageEnd[0]?.toFixed(1)} at the end` +
      `${(loadAverageEnd[0] ?? 0) > os.cpus().length ? ' (busy: other work competed with the run; compare the ratios rather than the absolute figures)' : ''}`,
  );
  console.log('');
  for (const g of goals) console.log(`${g.pass ? 'ok  ' : 'MISS'}  ${g.goal}: ${typeof g.value === 'number' ? (g.goal.includes('×') ? `${g.value.toFixed(2)}×` : `${ms(g.value)} ms`) : 'n/a'}`);
  for (const p of problems) console.log(`  problem: ${p}`);

  // Where the longest frames of the load scenario went (entry points, mapped to sources).
  const worst = [...(l.switchTasks.worstFrames ?? []), ...(l.live.worstFrames ?? []), ...(l.keys.tasks.worstFrames ?? []), ...(l.replyConfirmed.tasks.worstFrames ?? [])]
    .sort((x, y) => y.duration - x.duration)
    .slice(0, 5);
  if (worst.length > 0) {
    console.log('\nlongest animation frames of the load scenario (script entry points):');
    for (const f of worst) {
      const scripts = (f.scripts ?? [])
        .sort((/** @type {any} */ x, /** @type {any} */ y) => y.duration - x.duration)
        .slice(0, 2)
        .map(
          (/** @type {any} */ sc) =>
            `${sc.invoker} ${ms(sc.duration)} ms (forced style/layout ${ms(sc.forcedLayoutMs)} ms) at ${mapper ? where(mapper.atChar(sc.url, sc.pos)) : `${sc.url}@${sc.pos}`}`,
        );
      console.log(`  ${ms(f.duration)} ms, rendering at its end ${ms(f.renderMs)} ms: ${scripts.join('; ') || 'no script attribution'}`);
    }
  }
  console.log(`\n${pass ? 'PASS' : 'FAIL'}`);

  const report = {
    benchmark: 'console-responsiveness',
    date: new Date().toISOString(),
    goals: GOALS,
    pass,
    goalResults: goals,
    problems,
    settings,
    console: { ...consoleBuild, distIsDevelopmentBuild: distDev ?? null },
    machine: {
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryBytes: os.totalmem(),
      chromium: browser.version(),
      loadAverage: { start: loadAverageStart, end: loadAverageEnd },
    },
    scenarios: Object.fromEntries(
      scenarios.map((s) => [
        s.name,
        { chats: s.chats, messagesPerChat: s.messages, seed: s.seed, ...s.result, live: { ...s.result.live } },
      ]),
    ),
  };
  if (profileText) {
    console.log(`\nCPU profile of the load page (switching, typing, replies, live; mapped to sources):\n${profileText}`);
    log('profiled run: the profiler slows the page, so no result file is written');
  } else {
    const resultsDir = path.join(here, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    // A given build (BENCH_CONSOLE_DIR) does not replace the day's reference result.
    const file = path.join(resultsDir, `console-${settings.consoleDir ? 'given-build-' : ''}${report.date.slice(0, 10)}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`results written to ${path.relative(root, file)}`);
  }
  return pass;
}

main()
  .then(
    async (pass) => {
      await cleanUp();
      return pass;
    },
    async (error) => {
      console.error(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await cleanUp();
      return false;
    },
  )
  .then((pass) => {
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    killAll();
    process.exit(pass ? 0 : 1);
  });

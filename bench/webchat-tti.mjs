#!/usr/bin/env node
// Web chat time-to-interactive benchmark (issue 9): the hosted chat page /chat/web in real
// Chromium, cold (a new browser context: empty cache and storage) and warm (the same context,
// reloaded), against the agent console's login page (/login) measured the same way in the same
// run, the two taking turns. No goal: it reports.
//
// Interactive: from navigation start until the page's first field (the pre-chat form's
// [data-testid=nickname]; the console's [data-testid=login-username]) is in the document and
// enabled, and the frame showing it has ended (a task posted from that frame's
// requestAnimationFrame ran, so the main thread is free for input). Then a real click on it must
// be answered: the field gets the focus, and the click's delay (pointerdown's handling minus its
// timestamp) is reported.
//
//   npm run build && node bench/webchat-tti.mjs
//
// Settings (environment): BENCH_RUNS (10 cold and 10 warm loads of each page), BENCH_CONSOLE_DIR
// (serve this built console; default packages/console/dist, or a production build made now when
// that holds React's development build), CHROMIUM_PATH (/usr/bin/chromium), BENCH_KEEP (1: keep
// the data directory). See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { chromium } from 'playwright-core';
import { finishRun, guardRun, intEnv, sleep, startNode } from './lib.mjs';
import { logger, machine, newPassword, percentile, root, snapshotBuild, startWebPlatform, writeResult } from './webchat/common.mjs';

const log = logger('bench');
const settings = {
  runs: intEnv('BENCH_RUNS', 10),
  consoleDir: process.env.BENCH_CONSOLE_DIR ? path.resolve(root, process.env.BENCH_CONSOLE_DIR) : undefined,
  chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  keep: process.env.BENCH_KEEP === '1',
};

const { cleanups, cleanUp } = guardRun(120_000 + settings.runs * 4 * 15_000);

/** The two pages: what to open and which field makes it usable. */
const TARGETS = /** @type {const} */ ([
  { key: 'webchat', name: 'web chat /chat/web', path: '/chat/web', selector: '[data-testid=nickname]', locale: 'en-US' },
  { key: 'console', name: 'console /login', path: '/login', selector: '[data-testid=login-username]', locale: 'zh-CN' },
]);

/**
 * Installed in every document before its own scripts: notes when the field appears enabled, when
 * the frame that shows it has ended, and how a pointerdown on it was handled.
 * @param {string} selector
 */
function probe(selector) {
  // Serialized by Playwright and run in the page: nothing from outside this body.
  const g = /** @type {any} */ (globalThis);
  const { document, performance: perf, requestAnimationFrame, MessageChannel, MutationObserver } = g;
  /** @type {{ appeared: number | null, ready: number | null, click: { timeStamp: number, handled: number } | null }} */
  const t = { appeared: null, ready: null, click: null };
  g.__ewcTti = t;
  const check = () => {
    if (t.appeared !== null) return;
    const el = document.querySelector(selector);
    if (!el || el.disabled) return;
    t.appeared = perf.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        t.ready = perf.now();
      };
      channel.port2.postMessage(0);
    });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
  document.addEventListener(
    'pointerdown',
    (/** @type {any} */ e) => {
      if (t.click === null && e.target?.matches?.(selector)) t.click = { timeStamp: e.timeStamp, handled: perf.now() };
    },
    true,
  );
}

/**
 * One load of a page in its context (a first load or a reload), measured.
 * @param {import('playwright-core').Page} page
 * @param {(typeof TARGETS)[number]} target
 * @param {string} url
 * @param {boolean} reload
 */
async function load(page, target, url, reload) {
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => /** @type {any} */ (globalThis).__ewcTti?.ready !== null, undefined, { timeout: 15_000, polling: 50 });
  // Answering a click: the field takes the focus, and the click is handled at once.
  await page.click(target.selector, { timeout: 5_000 });
  await page.waitForFunction(() => /** @type {any} */ (globalThis).__ewcTti?.click !== null, undefined, { timeout: 5_000, polling: 20 });
  return page.evaluate((selector) => {
    const g = /** @type {any} */ (globalThis);
    const { document, performance: perf } = g;
    const t = g.__ewcTti;
    /** @type {any} */
    const nav = perf.getEntriesByType('navigation')[0];
    /** @type {any[]} */
    const resources = perf.getEntriesByType('resource');
    const fcp = perf.getEntriesByName('first-contentful-paint')[0];
    // The page's own API calls that were answered before the field appeared (the web chat's boot).
    const api = resources.filter((r) => (r.initiatorType === 'fetch' || r.initiatorType === 'xmlhttprequest') && r.responseEnd <= t.appeared);
    return {
      appearedMs: t.appeared,
      interactiveMs: t.ready,
      clickDelayMs: t.click.handled - t.click.timeStamp,
      focused: document.activeElement?.matches(selector) ?? false,
      firstContentfulPaintMs: fcp ? fcp.startTime : null,
      responseEndMs: nav?.responseEnd ?? null,
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? null,
      loadEventMs: nav?.loadEventEnd || null,
      apiCalls: api.map((r) => ({ path: new URL(r.name).pathname, startMs: r.startTime, endMs: r.responseEnd })),
      apiMs: api.length > 0 ? Math.max(...api.map((r) => r.responseEnd)) - Math.min(...api.map((r) => r.startTime)) : 0,
      requests: resources.length + 1,
      // 0 for a resource from the cache.
      transferredBytes: (nav?.transferSize ?? 0) + resources.reduce((a, r) => a + r.transferSize, 0),
      fromCache: resources.filter((r) => r.transferSize === 0 && r.decodedBodySize > 0).length,
      // Scripts and stylesheets asked again and answered 304 (the cache held them but had to ask).
      revalidated: resources.filter((r) => (r.initiatorType === 'script' || r.initiatorType === 'link') && r.transferSize > 0 && r.encodedBodySize === 0).length,
    };
  }, target.selector);
}

/** Whether a built console bundles React's development build (its source map lists it). */
function reactDevelopment(/** @type {string} */ dist) {
  try {
    const assets = path.join(dist, 'assets');
    return fs
      .readdirSync(assets)
      .filter((f) => f.endsWith('.js.map'))
      .some((f) => JSON.parse(fs.readFileSync(path.join(assets, f), 'utf8')).sources.some((/** @type {string} */ s) => /\/react-dom\/cjs\/[^/]*\.development\.js$/.test(s)));
  } catch {
    return false;
  }
}

/**
 * The console to serve: a copy of the given one, or of packages/console/dist when that is a
 * production build, else one built for production now.
 */
async function consoleToServe() {
  if (settings.consoleDir) return { dir: await snapshotBuild(settings.consoleDir, cleanups), how: `a copy of ${settings.consoleDir} (BENCH_CONSOLE_DIR)` };
  const dist = path.join(root, 'packages/console/dist');
  if (fs.existsSync(path.join(dist, 'index.html')) && !reactDevelopment(dist)) return { dir: await snapshotBuild(dist, cleanups), how: 'a copy of packages/console/dist' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-console-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const child = startNode('vite', [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'packages/console', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`building the console failed (exit ${code}):\n${child.output.join('\n')}`);
  return { dir, how: 'built for production now (packages/console/dist holds a development build)' };
}

/** @param {number[]} values */
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, median: percentile(sorted, 50), p90: percentile(sorted, 90), min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
};

async function main() {
  log(`time to interactive: ${settings.runs} cold and ${settings.runs} warm loads of the web chat and of the console's login page, taking turns`);
  // Private copies: the test suite's global set-up rebuilds packages/*/dist, maybe during this run.
  const widgetDir = await snapshotBuild(path.join(root, 'packages/widget/dist'), cleanups);
  const consoleBuild = await consoleToServe();
  log(`console: ${consoleBuild.how}`);
  const password = newPassword();
  const platform = await startWebPlatform({
    yaml: `# Generated by bench/webchat-tti.mjs
queues:
  - { id: 1, name: bench, maxWaitSeconds: 86400, maxLength: 100000, whenNoAgentOnline: wait }
agents:
  - { id: BENCH, username: bench, password: "${password}", name: Bench, maxChats: 5, queues: [1] }
channels:
  - { id: web, kind: web, queues: [1] }
`,
    // Every cold load is a new visitor, all from this address.
    env: { WIDGET_DIR: widgetDir, CONSOLE_DIR: consoleBuild.dir, WEBCHAT_RATE_PER_ADDRESS: '100000' },
    keep: settings.keep,
    cleanups,
  });
  log(`platform at ${platform.url}`);

  const browser = await chromium.launch({
    executablePath: settings.chromium,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    // The flags of e2e/support/browser.ts.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  cleanups.push(() => browser.close());
  log(`Chromium ${browser.version()}`);

  /** @type {Record<string, { cold: any[], warm: any[], errors: string[] }>} */
  const results = Object.fromEntries(TARGETS.map((t) => [t.key, { cold: [], warm: [], errors: [] }]));
  // One unmeasured load of each first: the platform's own caches and code, and the browser's.
  for (let run = 0; run <= settings.runs; run++) {
    for (const target of TARGETS) {
      const context = await browser.newContext({ locale: target.locale, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
      try {
        await context.addInitScript(probe, target.selector);
        const page = await context.newPage();
        const errors = /** @type {string[]} */ ([]);
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(`console: ${m.text()}`);
        });
        const url = `${platform.url}${target.path}`;
        const cold = await load(page, target, url, false);
        await sleep(300);
        const warm = await load(page, target, url, true);
        if (run > 0) {
          const r = /** @type {{ cold: any[], warm: any[], errors: string[] }} */ (results[target.key]);
          r.cold.push(cold);
          r.warm.push(warm);
          r.errors.push(...errors);
        }
      } finally {
        await context.close();
      }
      await sleep(200);
    }
    if (run === 0) log('warm-up loads done');
  }

  // ---- report ----
  /** @type {string[]} */
  const problems = [];
  const report = Object.fromEntries(
    TARGETS.map((t) => {
      const r = /** @type {{ cold: any[], warm: any[], errors: string[] }} */ (results[t.key]);
      const of = (/** @type {any[]} */ list, /** @type {string} */ field) => summary(list.map((x) => x[field]).filter((v) => typeof v === 'number'));
      const unfocused = [...r.cold, ...r.warm].filter((x) => !x.focused).length;
      if (unfocused > 0) problems.push(`${t.name}: ${unfocused} clicks did not focus the field`);
      if (r.errors.length > 0) problems.push(`${t.name}: ${r.errors.length} page errors (e.g. ${r.errors[0]})`);
      const fields = ['interactiveMs', 'appearedMs', 'firstContentfulPaintMs', 'responseEndMs', 'domContentLoadedMs', 'clickDelayMs', 'apiMs', 'requests', 'transferredBytes', 'fromCache', 'revalidated'];
      return [t.key, { name: t.name, selector: t.selector, cold: Object.fromEntries(fields.map((f) => [f, of(r.cold, f)])), warm: Object.fromEntries(fields.map((f) => [f, of(r.warm, f)])), samples: r, errors: r.errors.slice(0, 10) }];
    }),
  );
  const w = /** @type {any} */ (report.webchat);
  const c = /** @type {any} */ (report.console);
  const pad = (/** @type {unknown} */ v, n = 20) => String(v).padStart(n);
  const row = (/** @type {string} */ label, /** @type {unknown[]} */ ...cols) => console.log(`${label.padEnd(34)}${cols.map((x) => pad(x)).join('')}`);
  const f0 = (/** @type {number} */ v) => (Number.isNaN(v) ? '-' : v.toFixed(0));
  const f1 = (/** @type {number} */ v) => (Number.isNaN(v) ? '-' : v.toFixed(1));
  const trio = (/** @type {any} */ s) => `${f0(s.median)} / ${f0(s.p90)} / ${f0(s.max)}`;
  console.log('');
  console.log(`median / p90 / max of ${settings.runs} loads each, ms from navigation start`);
  row('', 'web chat cold', 'console cold', 'web chat warm', 'console warm');
  row('interactive (field usable)', trio(w.cold.interactiveMs), trio(c.cold.interactiveMs), trio(w.warm.interactiveMs), trio(c.warm.interactiveMs));
  row('  field in the document', trio(w.cold.appearedMs), trio(c.cold.appearedMs), trio(w.warm.appearedMs), trio(c.warm.appearedMs));
  row('  first contentful paint', trio(w.cold.firstContentfulPaintMs), trio(c.cold.firstContentfulPaintMs), trio(w.warm.firstContentfulPaintMs), trio(c.warm.firstContentfulPaintMs));
  row('  DOMContentLoaded', trio(w.cold.domContentLoadedMs), trio(c.cold.domContentLoadedMs), trio(w.warm.domContentLoadedMs), trio(c.warm.domContentLoadedMs));
  row('  its API calls, first → last', trio(w.cold.apiMs), trio(c.cold.apiMs), trio(w.warm.apiMs), trio(c.warm.apiMs));
  row('click → handled (ms, median/max)', ...[w.cold, c.cold, w.warm, c.warm].map((s) => `${f1(s.clickDelayMs.median)} / ${f1(s.clickDelayMs.max)}`));
  row('requests (median)', ...[w.cold, c.cold, w.warm, c.warm].map((s) => f0(s.requests.median)));
  row('  assets from the cache / 304', ...[w.cold, c.cold, w.warm, c.warm].map((s) => `${f0(s.fromCache.median)} / ${f0(s.revalidated.median)}`));
  row('transferred KiB (median)', ...[w.cold, c.cold, w.warm, c.warm].map((s) => (s.transferredBytes.median / 1024).toFixed(1)));
  row('web chat ÷ console, interactive', `${(w.cold.interactiveMs.median / c.cold.interactiveMs.median).toFixed(2)}×`, '', `${(w.warm.interactiveMs.median / c.warm.interactiveMs.median).toFixed(2)}×`, '');
  const m = machine();
  console.log(`machine: ${m.cpus} cores, load average ${m.loadAverage.map((v) => v.toFixed(1)).join(' ')}; Chromium ${browser.version()} headless; loopback, no throttling`);
  for (const p of problems) console.log(`  problem: ${p}`);
  console.log(problems.length === 0 ? 'done: every load became interactive and answered its click' : 'FAIL');

  const file = writeResult('webchat-tti', {
    benchmark: 'webchat-tti',
    date: new Date().toISOString(),
    goal: 'none (reported): time to interactive of the hosted chat page, cold and warm, against the console login page',
    pass: problems.length === 0,
    definition:
      'interactive = ms from navigation start until the field is in the document and enabled and the frame showing it has ended (rAF, then a posted task); clickDelayMs = pointerdown handled − its timestamp, for a Playwright click made right after',
    settings: { ...settings, webchat: 'a copy of packages/widget/dist', console: consoleBuild.how },
    machine: m,
    chromium: browser.version(),
    webchat: w,
    console: c,
    problems,
  });
  log(`results written to ${file}`);
  return problems.length === 0;
}

finishRun(main, cleanUp);

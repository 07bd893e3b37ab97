#!/usr/bin/env node
// Web chat size benchmark (issue 9): the embed loader (widget.js) and every script the hosted
// chat page loads, gzipped, with its CSS apart, against the agent console's bundle measured the
// same way in the same run. Goals: loader ≤ 3 KiB and app scripts ≤ 60 KiB, gzipped.
//
//   npm run build && node bench/webchat-size.mjs
//
// Settings (environment): BENCH_WIDGET_DIR (packages/widget/dist), BENCH_CONSOLE_DIR
// (packages/console/dist), BENCH_BUILD (1: build both for production into their dist first, as
// `npm run build` does), BENCH_SERVED (0: skip asking the platform what it sends over the wire).
// See bench/README.md.
import { Buffer } from 'node:buffer';
import { request } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import zlib from 'node:zlib';
import { finishRun, guardRun, startNode } from './lib.mjs';
import { kib, logger, machine, root, snapshotBuild, startWebPlatform, writeResult } from './webchat/common.mjs';

const GOAL_LOADER = 3 * 1024;
const GOAL_APP = 60 * 1024;
const log = logger('bench');

const settings = {
  widgetDir: path.resolve(root, process.env.BENCH_WIDGET_DIR || 'packages/widget/dist'),
  consoleDir: path.resolve(root, process.env.BENCH_CONSOLE_DIR || 'packages/console/dist'),
  build: process.env.BENCH_BUILD === '1',
  served: process.env.BENCH_SERVED !== '0',
};

const { cleanups, cleanUp } = guardRun(120_000);

/** @param {Buffer} data */
const sizes = (data) => ({
  raw: data.length,
  gzip: zlib.gzipSync(data, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/**
 * The file of dist that a URL path of the page names: the longest tail of the path that exists
 * (the console is served at /, the chat's assets at /chat/assets/).
 * @param {string} dist
 * @param {string} urlPath
 */
function fileOf(dist, urlPath) {
  const parts = (urlPath.split(/[?#]/)[0] ?? '').split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const candidate = path.join(dist, ...parts.slice(i));
    if (candidate.startsWith(dist) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${urlPath}, named by ${dist}/index.html, is not in ${dist}`);
}

/**
 * What index.html makes the browser load: module and classic scripts, modulepreload links, and
 * stylesheets, in the order written.
 * @param {string} html
 */
function pageReferences(html) {
  /** @type {{ kind: 'script' | 'modulepreload' | 'stylesheet', url: string }[]} */
  const refs = [];
  const attr = (/** @type {string} */ tag, /** @type {string} */ name) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((v) => v !== undefined);
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    if (/^<script/i.test(tag)) {
      const src = attr(tag, 'src');
      if (src) refs.push({ kind: 'script', url: src });
      continue;
    }
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel.includes('modulepreload')) refs.push({ kind: 'modulepreload', url: href });
    else if (rel.includes('stylesheet')) refs.push({ kind: 'stylesheet', url: href });
  }
  // Inline scripts count too (the chat page's CSP forbids them; a console might have one).
  const inline = [...html.matchAll(/<script\b(?![^>]*\ssrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? '').filter((s) => s.trim() !== '');
  return { refs, inline };
}

/**
 * Relative imports of a built module: static ones (loaded with it) and dynamic ones (loaded on
 * demand). Vite writes them as import"./x.js", import{…}from"./x.js", import("./x.js").
 * @param {string} code
 */
function importsOf(code) {
  const staticImports = [...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\.?\/[^"']+\.m?js)["']/g)].map((m) => /** @type {string} */ (m[1]));
  const dynamicImports = [...code.matchAll(/import\(\s*["'](\.\.?\/[^"']+\.m?js)["']\s*\)/g)].map((m) => /** @type {string} */ (m[1]));
  return { staticImports, dynamicImports };
}

/**
 * Everything a built app (index.html and its assets) sends a browser, by kind.
 * @param {string} name
 * @param {string} dist where it is (a private copy)
 * @param {string} label what to call that directory in the report
 */
function measureApp(name, dist, label) {
  const indexFile = path.join(dist, 'index.html');
  if (!fs.existsSync(indexFile)) throw new Error(`${indexFile} is missing: build first (npm run build)`);
  const html = fs.readFileSync(indexFile, 'utf8');
  const { refs, inline } = pageReferences(html);
  /** @type {Map<string, { file: string, how: string }>} */
  const initial = new Map();
  const queue = [];
  for (const r of refs) {
    if (r.kind === 'stylesheet') continue;
    const file = fileOf(dist, r.url);
    if (!initial.has(file)) {
      initial.set(file, { file, how: r.kind });
      queue.push(file);
    }
  }
  // Static imports load with the page, whether or not a modulepreload names them.
  /** @type {Set<string>} */
  const dynamic = new Set();
  while (queue.length > 0) {
    const file = /** @type {string} */ (queue.shift());
    const { staticImports, dynamicImports } = importsOf(fs.readFileSync(file, 'utf8'));
    for (const spec of staticImports) {
      const dep = path.resolve(path.dirname(file), spec);
      if (!initial.has(dep) && fs.existsSync(dep)) {
        initial.set(dep, { file: dep, how: 'static import' });
        queue.push(dep);
      }
    }
    for (const spec of dynamicImports) dynamic.add(path.resolve(path.dirname(file), spec));
  }
  // Every other script among the assets: loaded on demand (a dynamic import), or by nothing.
  const assets = fs.existsSync(path.join(dist, 'assets')) ? fs.readdirSync(path.join(dist, 'assets')).map((f) => path.join(dist, 'assets', f)) : [];
  const lazy = assets.filter((f) => /\.m?js$/.test(f) && !initial.has(f)).map((f) => ({ file: f, how: dynamic.has(f) ? 'dynamic import' : 'not referenced' }));
  const cssFiles = new Set(refs.filter((r) => r.kind === 'stylesheet').map((r) => fileOf(dist, r.url)));
  for (const f of assets) if (f.endsWith('.css')) cssFiles.add(f);

  const describe = (/** @type {{ file: string, how: string }} */ e) => {
    const rel = path.relative(dist, e.file).split(path.sep).join('/');
    return { file: `${label}/${rel}`, rel, how: e.how, ...sizes(fs.readFileSync(e.file)) };
  };
  const scripts = [...initial.values()].map(describe);
  const lazyScripts = lazy.map(describe);
  const inlineScripts = inline.map((s, i) => ({ file: `${label}/index.html inline script ${i + 1}`, rel: '', how: 'inline', ...sizes(Buffer.from(s)) }));
  const css = [...cssFiles].map((f) => describe({ file: f, how: 'stylesheet' }));
  const sum = (/** @type {{ raw: number, gzip: number, brotli: number }[]} */ list) => ({
    raw: list.reduce((a, e) => a + e.raw, 0),
    gzip: list.reduce((a, e) => a + e.gzip, 0),
    brotli: list.reduce((a, e) => a + e.brotli, 0),
  });
  const all = [...scripts, ...inlineScripts, ...lazyScripts];
  return {
    name,
    dist: label,
    html: sizes(Buffer.from(html)),
    scripts: [...scripts, ...inlineScripts],
    lazyScripts,
    css,
    totals: { initialScripts: sum([...scripts, ...inlineScripts]), allScripts: sum(all), css: sum(css) },
    scriptCount: all.length,
  };
}

/**
 * The newest modification time among a package's sources, to tell a stale dist.
 * @param {string[]} paths
 */
function newestMtime(paths) {
  let newest = 0;
  /** @type {string | undefined} */
  let which;
  const visit = (/** @type {string} */ p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') visit(path.join(p, e));
    } else if (st.mtimeMs > newest && !/\.test\.tsx?$/.test(p)) {
      newest = st.mtimeMs;
      which = p;
    }
  };
  paths.forEach(visit);
  return { newest, which };
}

/**
 * Sources changed after the build of `dist` was made.
 * @param {string} dist
 * @param {string[]} sources
 */
function staleness(dist, sources) {
  const built = fs.statSync(path.join(dist, 'index.html')).mtimeMs;
  const { newest, which } = newestMtime(sources);
  return newest > built ? `${path.relative(root, which ?? '')} changed ${((newest - built) / 1000).toFixed(0)} s after ${path.relative(root, dist)} was built` : null;
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
 * What the platform actually sends for a path to a browser that accepts gzip and brotli: bytes
 * of the body on the wire, and its content-encoding.
 * @param {string} url
 * @returns {Promise<{ status: number, encoding: string, wireBytes: number, cacheControl: string }>}
 */
function served(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      let bytes = 0;
      res.on('data', (/** @type {Buffer} */ d) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'none'), wireBytes: bytes, cacheControl: String(res.headers['cache-control'] ?? 'none') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${url}: no answer in 10 s`)));
    req.end();
  });
}

/** @param {string} app */
async function buildApp(app) {
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const child = startNode('vite', [vite, 'build', app, '--logLevel', 'warn'], { cwd: root, env: { ...process.env, NODE_ENV: 'production' } });
  const code = await child.exited;
  if (code !== 0) throw new Error(`building ${app} failed (exit ${code}):\n${child.output.join('\n')}`);
}

async function main() {
  if (settings.build) {
    log('building the web chat and the console for production (vite build, as npm run build does)');
    await buildApp('packages/widget');
    await buildApp('packages/console');
  }
  const notes = [];
  const widgetStale = staleness(settings.widgetDir, ['packages/widget/src', 'packages/widget/index.html', 'packages/widget/vite.config.ts', 'packages/protocol/src'].map((p) => path.join(root, p)));
  if (widgetStale && !process.env.BENCH_WIDGET_DIR) notes.push(`the web chat's build may be stale: ${widgetStale} (BENCH_BUILD=1 rebuilds it)`);
  const consoleStale = staleness(settings.consoleDir, ['packages/console/src', 'packages/console/index.html', 'packages/console/vite.config.ts', 'packages/protocol/src'].map((p) => path.join(root, p)));
  if (consoleStale && !process.env.BENCH_CONSOLE_DIR) notes.push(`the console's build may be stale: ${consoleStale} (BENCH_BUILD=1 rebuilds it)`);

  // Private copies: the test suite's global set-up rebuilds packages/*/dist, maybe during this run.
  const widgetDir = await snapshotBuild(settings.widgetDir, cleanups);
  const consoleDir = await snapshotBuild(settings.consoleDir, cleanups);
  const widgetLabel = path.relative(root, settings.widgetDir) || settings.widgetDir;
  const consoleLabel = path.relative(root, settings.consoleDir) || settings.consoleDir;
  if (reactDevelopment(consoleDir)) notes.push(`${consoleLabel} holds React's DEVELOPMENT build (NODE_ENV≠production): the baseline is larger than what agents get (BENCH_BUILD=1 rebuilds it)`);
  const loaderFile = path.join(widgetDir, 'widget.js');
  if (!fs.existsSync(loaderFile)) throw new Error(`${settings.widgetDir}/widget.js is missing: build first (npm run build)`);
  const loader = { file: `${widgetLabel}/widget.js`, ...sizes(fs.readFileSync(loaderFile)) };
  const webchat = measureApp('web chat (hosted page /chat/{channelId})', widgetDir, widgetLabel);
  const consoleApp = measureApp('agent console (/)', consoleDir, consoleLabel);

  // What the platform puts on the wire for them, to a browser that accepts gzip and brotli.
  /** @type {Record<string, { status: number, encoding: string, wireBytes: number, cacheControl: string }> | null} */
  let wire = null;
  if (settings.served) {
    const platform = await startWebPlatform({
      yaml: 'queues:\n  - { id: 1, name: bench, whenNoAgentOnline: wait }\nchannels:\n  - { id: web, kind: web, queues: [1] }\n',
      env: { WIDGET_DIR: widgetDir, CONSOLE_DIR: consoleDir },
      cleanups,
    });
    wire = {};
    wire['/widget.js'] = await served(`${platform.url}/widget.js`);
    wire['/chat/web'] = await served(`${platform.url}/chat/web`);
    for (const s of [...webchat.scripts, ...webchat.lazyScripts, ...webchat.css]) if (s.rel) wire[s.file] = await served(`${platform.url}/chat/${s.rel}`);
    wire['/'] = await served(`${platform.url}/`);
    for (const s of [...consoleApp.scripts, ...consoleApp.lazyScripts, ...consoleApp.css]) if (s.rel) wire[s.file] = await served(`${platform.url}/${s.rel}`);
    const bad = Object.entries(wire).filter(([, w]) => w.status !== 200);
    if (bad.length > 0) throw new Error(`the platform did not serve ${bad.map(([f, w]) => `${f} (HTTP ${w.status})`).join(', ')}`);
  }
  const wireSum = (/** @type {{ file: string }[]} */ list) => (wire ? list.reduce((a, s) => a + (wire?.[s.file]?.wireBytes ?? 0), 0) : undefined);
  const encodings = (/** @type {{ file: string }[]} */ list) => (wire ? [...new Set(list.map((s) => wire?.[s.file]?.encoding ?? '?'))].join(', ') : undefined);
  const caching = (/** @type {{ file: string }[]} */ list) => (wire ? [...new Set(list.map((s) => wire?.[s.file]?.cacheControl ?? '?'))].join('; ') : undefined);

  const goals = [
    { name: `embed loader ≤ ${GOAL_LOADER / 1024} KiB gzipped`, value: loader.gzip, limit: GOAL_LOADER },
    { name: `app scripts ≤ ${GOAL_APP / 1024} KiB gzipped (every script of the hosted page, ${webchat.scriptCount})`, value: webchat.totals.allScripts.gzip, limit: GOAL_APP },
  ].map((g) => ({ ...g, met: g.value <= g.limit }));
  const pass = goals.every((g) => g.met);

  // ---- report ----
  const pad = (/** @type {unknown} */ v, n = 28) => String(v).padStart(n);
  const row = (/** @type {string} */ label, /** @type {unknown} */ a, /** @type {unknown} */ b) => console.log(`${label.padEnd(34)}${pad(a)}${pad(b)}`);
  const three = (/** @type {{ raw: number, gzip: number, brotli: number } | undefined} */ s) => (s ? `${kib(s.gzip)}` : '-');
  console.log('');
  row('(gzip -9; raw in brackets)', 'web chat', 'console (baseline)');
  row('embed loader', `${kib(loader.gzip)} (${kib(loader.raw)})`, '-');
  row('scripts the page loads at once', `${webchat.scripts.length}: ${three(webchat.totals.initialScripts)} (${kib(webchat.totals.initialScripts.raw)})`, `${consoleApp.scripts.length}: ${three(consoleApp.totals.initialScripts)} (${kib(consoleApp.totals.initialScripts.raw)})`);
  row('  + loaded on demand', `${webchat.lazyScripts.length}: ${kib(webchat.totals.allScripts.gzip - webchat.totals.initialScripts.gzip)}`, `${consoleApp.lazyScripts.length}: ${kib(consoleApp.totals.allScripts.gzip - consoleApp.totals.initialScripts.gzip)}`);
  row('all scripts', `${three(webchat.totals.allScripts)} (${kib(webchat.totals.allScripts.raw)})`, `${three(consoleApp.totals.allScripts)} (${kib(consoleApp.totals.allScripts.raw)})`);
  row('  brotli -q 11', kib(webchat.totals.allScripts.brotli), kib(consoleApp.totals.allScripts.brotli));
  row('CSS', `${three(webchat.totals.css)} (${kib(webchat.totals.css.raw)})`, `${three(consoleApp.totals.css)} (${kib(consoleApp.totals.css.raw)})`);
  row('index.html', `${kib(webchat.html.gzip)} (${kib(webchat.html.raw)})`, `${kib(consoleApp.html.gzip)} (${kib(consoleApp.html.raw)})`);
  row('web chat ÷ console, all scripts', `${((webchat.totals.allScripts.gzip / consoleApp.totals.allScripts.gzip) * 100).toFixed(0)}%`, '');
  if (wire) {
    row('served by the platform (wire)', '', '');
    row('  embed loader', `${kib(wire['/widget.js']?.wireBytes ?? 0)}, ${wire['/widget.js']?.encoding}`, '-');
    row('  all scripts', `${kib(wireSum([...webchat.scripts, ...webchat.lazyScripts]) ?? 0)}, ${encodings([...webchat.scripts, ...webchat.lazyScripts])}`, `${kib(wireSum([...consoleApp.scripts, ...consoleApp.lazyScripts]) ?? 0)}, ${encodings([...consoleApp.scripts, ...consoleApp.lazyScripts])}`);
    row('  CSS', `${kib(wireSum(webchat.css) ?? 0)}, ${encodings(webchat.css)}`, `${kib(wireSum(consoleApp.css) ?? 0)}, ${encodings(consoleApp.css)}`);
    console.log(`  cache-control: loader "${wire['/widget.js']?.cacheControl}"; web chat assets "${caching([...webchat.scripts, ...webchat.lazyScripts, ...webchat.css])}"; console assets "${caching([...consoleApp.scripts, ...consoleApp.lazyScripts, ...consoleApp.css])}"`);
  }
  console.log('');
  for (const app of [webchat, consoleApp]) {
    console.log(`${app.name}, ${app.dist}:`);
    for (const s of [...app.scripts, ...app.lazyScripts, ...app.css]) console.log(`  ${s.file.padEnd(48)} ${s.how.padEnd(15)} ${kib(s.gzip).padStart(11)} gzip ${kib(s.raw).padStart(12)} raw`);
  }
  console.log(`machine: ${machine().cpus} cores`);
  for (const n of notes) console.log(`note: ${n}`);
  console.log('');
  for (const g of goals) console.log(`${g.met ? 'ok  ' : 'MISS'}  ${g.name}: ${kib(g.value)}`);
  console.log(pass ? 'PASS' : 'FAIL');

  const report = {
    benchmark: 'webchat-size',
    date: new Date().toISOString(),
    goals: goals.map((g) => ({ ...g, valueKiB: g.value / 1024, limitKiB: g.limit / 1024 })),
    pass,
    compression: 'gzip level 9 (zlib), brotli quality 11; sizes in bytes',
    settings: { ...settings, widgetDir: path.relative(root, settings.widgetDir), consoleDir: path.relative(root, settings.consoleDir) },
    machine: machine(),
    loader,
    webchat,
    console: consoleApp,
    servedByPlatform: wire,
    notes,
  };
  log(`results written to ${writeResult('webchat-size', report)}`);
  return pass;
}

finishRun(main, cleanUp);

// Shared by the web chat benchmarks (webchat-size, webchat-connections, webchat-tti): the
// platform child with a provisioning of the benchmark's own, its heap read after a forced GC,
// percentiles, the machine, and the result files.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, json, sleep, startNode, stopChild, waitFor } from '../lib.mjs';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const HEAP_PROBE = path.join(here, 'heap-probe.mjs');
/** Node flags that let the bench read a child's heap after a forced GC (see heap-probe.mjs). */
export const HEAP_PROBE_ARGS = ['--expose-gc', '--import', pathToFileURL(HEAP_PROBE).href];

/** @param {string} prefix */
export const logger = (prefix) => (/** @type {string} */ line) => console.log(`${prefix}: ${line}`);

/**
 * Nearest-rank percentile of numbers sorted ascending.
 * @param {number[]} sorted
 * @param {number} p 0–100
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return /** @type {number} */ (sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]);
}

/** @param {number[]} values */
export function median(values) {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** What the machine is, for the report. */
export function machine() {
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryBytes: os.totalmem(),
    loadAverage: os.loadavg(),
  };
}

/** The commit measured, and how many files differed from it (others may work in the same tree). */
function revision() {
  try {
    const git = (/** @type {string[]} */ args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git(['rev-parse', 'HEAD']), uncommittedFiles: git(['status', '--porcelain', '--untracked-files=no']).split('\n').filter(Boolean).length };
  } catch {
    return null;
  }
}

/**
 * Writes bench/results/<name>-<date>.json (a second run on the same day overwrites it).
 * @param {string} name
 * @param {{ date: string, [field: string]: unknown }} report
 * @returns {string} the file, relative to the repository
 */
export function writeResult(name, report) {
  const dir = path.join(root, 'bench/results');
  report.revision = revision();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${report.date.slice(0, 10)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return path.relative(root, file);
}

/**
 * Starts the real platform (packages/server/dist/main.js) on a free port with its own data
 * directory (embedded SQLite) and the given provisioning, and waits for /readyz.
 * @param {{ yaml: string, env?: NodeJS.ProcessEnv, nodeArgs?: string[], ipc?: boolean, keep?: boolean, cleanups: (() => Promise<void>)[] }} options
 */
export async function startWebPlatform(options) {
  const main = path.join(root, 'packages/server/dist/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-webchat-'));
  if (!options.keep) options.cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const configFile = path.join(dataDir, 'webchat.yaml');
  fs.writeFileSync(configFile, options.yaml);
  const port = await freePort();
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEBCHAT_CONFIG: configFile,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  // The V8 flags of `npm start`.
  const proc = startNode('platform', ['--max-semi-space-size=32', ...(options.nodeArgs ?? []), main], { env, cwd: root, ipc: options.ipc ?? false });
  options.cleanups.push(() => stopChild(proc, 15_000));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor('the platform to be ready (/readyz)', () => json('GET', `${url}/readyz`, { timeoutMs: 2_000 }).then(() => true), 60_000, 100),
    proc.exited.then((code) => {
      throw new Error(`the platform exited with ${code} while starting:\n${proc.output.join('\n')}`);
    }),
  ]);
  return { proc, url, port, dataDir };
}

/** @returns {string} a password for a generated provisioning */
export const newPassword = () => randomBytes(12).toString('hex');

let probeAsk = 0;
/**
 * Asks a child started with HEAP_PROBE_ARGS and IPC (see heap-probe.mjs).
 * @param {import('../lib.mjs').Child} proc
 * @param {'ewc-bench-heap' | 'ewc-bench-loop'} type
 * @returns {Promise<any>}
 */
function askProbe(proc, type) {
  const id = ++probeAsk;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.child.off('message', onMessage);
      reject(new Error(`${proc.name} did not answer the probe within 15 s`));
    }, 15_000);
    const onMessage = (/** @type {any} */ m) => {
      if (!m || m.type !== type || m.id !== id) return;
      clearTimeout(timer);
      proc.child.off('message', onMessage);
      resolve(m);
    };
    proc.child.on('message', onMessage);
    proc.child.send({ type, id });
  });
}

/**
 * A child's process.memoryUsage() after full GCs.
 * @param {import('../lib.mjs').Child} proc
 * @returns {Promise<NodeJS.MemoryUsage>}
 */
export async function heapOf(proc) {
  const m = await askProbe(proc, 'ewc-bench-heap');
  if (!m.gc) throw new Error(`${proc.name} runs without --expose-gc`);
  return m.usage;
}

/**
 * A child's event loop delay and GC pauses since the last call.
 * @param {import('../lib.mjs').Child} proc
 * @returns {Promise<{ loopDelayMs: { p50: number, p99: number, max: number }, gc: { count: number, totalMs: number, maxMs: number, major: number, majorMaxMs: number } }>}
 */
export async function loopOf(proc) {
  const { loopDelayMs, gc } = await askProbe(proc, 'ewc-bench-loop');
  return { loopDelayMs, gc };
}

/**
 * Runs task(i) for i in [0, count) with at most `concurrency` at once; stops at the first error.
 * @template T
 * @param {number} count
 * @param {number} concurrency
 * @param {(i: number) => Promise<T>} task
 * @returns {Promise<T[]>}
 */
export async function pool(count, concurrency, task) {
  /** @type {T[]} */
  const out = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/** @param {number} bytes */
export const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;

/**
 * The scripts and stylesheets a built index.html names that its directory lacks (a build caught
 * half-way).
 * @param {string} dist
 */
export function missingReferences(dist) {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/\s(?:src|href)\s*=\s*["']([^"']+\.(?:m?js|css))["']/gi)].map((m) => /** @type {string} */ (m[1]));
  return refs.filter((ref) => {
    const parts = ref.split('/').filter(Boolean);
    return !parts.some((_, i) => fs.existsSync(path.join(dist, ...parts.slice(i))));
  });
}

/**
 * A private copy of a built app, so that a build made meanwhile (the test suite's global set-up
 * rebuilds packages/{widget,console}/dist) cannot change it under the run. A copy caught in the
 * middle of such a build is taken again.
 * @param {string} dist
 * @param {(() => Promise<void>)[]} cleanups
 */
export async function snapshotBuild(dist, cleanups) {
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist}/index.html is missing: build first (npm run build)`);
  for (let attempt = 1; ; attempt++) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-build-'));
    cleanups.push(async () => fs.rmSync(copy, { recursive: true, force: true }));
    fs.cpSync(dist, copy, { recursive: true });
    const missing = missingReferences(copy);
    if (missing.length === 0) return copy;
    if (attempt >= 5) throw new Error(`${dist} names files it does not hold (${missing.join(', ')}): is a build running? Build again (npm run build)`);
    await sleep(2_000);
  }
}

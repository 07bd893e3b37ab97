// Small helpers shared by the benchmark: child processes that never outlive it, JSON over
// HTTP, waiting, and what /proc says about a process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import process from 'node:process';
import { clearTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export { sleep };

/** @typedef {{ name: string, child: import('node:child_process').ChildProcess, output: string[], exited: Promise<number | null> }} Child */

/** @type {Set<Child>} */
const children = new Set();

/**
 * Starts a child process, keeps the last lines of its output (shown when something fails) and
 * remembers it so that killAll() ends it whatever happens.
 * @param {string} name
 * @param {string[]} args arguments of `node`
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, ipc?: boolean }} [options]
 * @returns {Child}
 */
export function startNode(name, args, options = {}) {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const output = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 200) output.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(entry);
      resolve(code ?? (signal ? -1 : null));
    });
  });
  const entry = { name, child, output, exited };
  children.add(entry);
  return entry;
}

/**
 * Asks a child to stop (SIGTERM, so a --cpu-prof child writes its profile) and kills it if it
 * has not stopped within graceMs.
 * @param {Child} entry
 * @param {number} [graceMs]
 */
export async function stopChild(entry, graceMs = 10_000) {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  entry.child.kill('SIGTERM');
  const timer = globalThis.setTimeout(() => entry.child.kill('SIGKILL'), graceMs);
  await entry.exited;
  clearTimeout(timer);
}

/** Kills every child still running, at once and without waiting (used on exit and on errors). */
export function killAll() {
  for (const entry of children) {
    try {
      entry.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * What every benchmark run needs around it: a watchdog that ends a run that hangs, clean-ups
 * undone last first (once, however many ask: a signal and the failing run it causes), Ctrl-C
 * and SIGTERM handling that runs them, and no child outliving the process.
 * @param {number} budgetMs everything stops by itself well before this; it only catches a hang
 * @returns {{ cleanups: (() => Promise<void>)[], cleanUp: () => Promise<void> }}
 */
export function guardRun(budgetMs) {
  const watchdog = globalThis.setTimeout(() => {
    console.error(`bench: still running after ${budgetMs / 1000} s; giving up`);
    killAll();
    process.exit(1);
  }, budgetMs);
  watchdog.unref();

  /** @type {(() => Promise<void>)[]} */
  const cleanups = [];
  /** @type {Promise<void> | undefined} */
  let cleaning;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
        await cleanup().catch((error) => console.error(`bench: clean-up failed: ${String(error)}`));
      }
    })());

  process.on('exit', killAll);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => {
      console.error(`bench: ${signal}, stopping`);
      killAll();
      const force = globalThis.setTimeout(() => process.exit(130), 5_000);
      void cleanUp().finally(() => {
        globalThis.clearTimeout(force);
        process.exit(130);
      });
    });
  }
  return { cleanups, cleanUp };
}

/** @returns {Promise<number>} a TCP port on 127.0.0.1 that was free a moment ago */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * JSON over HTTP with fetch; throws with the answer's text on a non-2xx status.
 * @param {string} method
 * @param {string} url
 * @param {{ body?: unknown, token?: string, timeoutMs?: number }} [options]
 * @returns {Promise<any>}
 */
export async function json(method, url, options = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await globalThis.fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: globalThis.AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * Polls probe() until it returns something truthy, or throws after timeoutMs.
 * @template T
 * @param {string} what
 * @param {() => Promise<T> | T} probe
 * @param {number} [timeoutMs]
 * @param {number} [intervalMs]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(what, probe, timeoutMs = 30_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return /** @type {NonNullable<T>} */ (value);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Memory and CPU of a live process, from /proc (Linux); undefined fields elsewhere.
 * @param {number | undefined} pid
 * cpuSeconds is every thread's; mainThreadCpuSeconds the main thread's alone (Node's JavaScript).
 * @returns {{ rssBytes?: number, peakRssBytes?: number, cpuSeconds?: number, mainThreadCpuSeconds?: number }}
 */
export function procStats(pid) {
  if (pid === undefined) return {};
  /** @type {{ rssBytes?: number, peakRssBytes?: number, cpuSeconds?: number, mainThreadCpuSeconds?: number }} */
  const stats = {};
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (/** @type {string} */ key) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    stats.rssBytes = kb('VmRSS');
    stats.peakRssBytes = kb('VmHWM');
  } catch {
    // not Linux, or the process is gone
  }
  stats.cpuSeconds = statCpuSeconds(`/proc/${pid}/stat`);
  stats.mainThreadCpuSeconds = statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
  return stats;
}

/**
 * utime + stime of a /proc stat file, in seconds; undefined where there is none.
 * @param {string} file
 */
function statCpuSeconds(file) {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = fs.readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 of the rest (0-based 11, 12).
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

// USER_HZ is 100 on every Linux that Node supports.
const clockTicks = 100;

/** @param {number | undefined} bytes */
export const mib = (bytes) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/**
 * A whole-number setting from the environment, or its default.
 * @param {string} name
 * @param {number} fallback
 * @param {number} [min]
 */
export function intEnv(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

/**
 * Runs a benchmark's main to its end: clean-ups in every case, a failure printed, every child
 * killed, and the exit code said by whether it passed.
 * @param {() => Promise<boolean>} main
 * @param {() => Promise<void>} cleanUp from guardRun
 * @param {() => void} [done] said last, before exiting
 */
export function finishRun(main, cleanUp, done) {
  void main()
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
      done?.();
      killAll();
      process.exit(pass ? 0 : 1);
    });
}

/**
 * Writes a benchmark's report to bench/results/<name>.json and says where.
 * @param {string} name the file's name without .json
 * @param {unknown} report
 */
export function writeResults(name, report) {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
}

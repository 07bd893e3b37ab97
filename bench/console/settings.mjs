// The console benchmark's settings (from the environment; see the header of bench/console.mjs),
// its goals, where things are, and the run's log.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { intEnv } from '../lib.mjs';

/** bench/ */
export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** the repository */
export const root = path.resolve(benchDir, '..');
export const TPI = '/EliteWebChat/tpi';

export const GOALS = { switchP95Ms: 100, keyP95Ms: 50, liveLongTaskMaxMs: 200, switchRatio: 3 };

export const settings = {
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

/** The zero of the log's times: bench/console.mjs sets it once every module is loaded. */
export const clock = { started: performance.now() };
export const log = (/** @type {string} */ line) => console.log(`bench: [${((performance.now() - clock.started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

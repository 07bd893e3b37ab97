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
//
// This file wires the phases together: settings, then prepare (the console, the two platforms),
// measure (in the browser), report. The phases are in bench/console/.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { prepareConsole } from './console/build.mjs';
import { measure } from './console/measure.mjs';
import { prepareScenario } from './console/platform.mjs';
import { writeReport } from './console/report.mjs';
import { clock, log, settings } from './console/settings.mjs';
import { finishRun, guardRun } from './lib.mjs';

// Clean-ups, undone last first whatever happens: browser, children, data directories.
const { cleanups, cleanUp } = guardRun(175_000);

clock.started = performance.now();

async function main() {
  log(
    `console responsiveness: BASELINE ${settings.baselineChats} chats × ${settings.baselineMessages} messages vs LOAD ${settings.chats} × ${settings.messages}; ` +
      `${settings.switches} switches per series, ${settings.keys} keys, ${settings.replies} replies, live ${settings.liveRate} msgs/s for ${settings.liveSeconds} s`,
  );
  const loadAverageStart = os.loadavg();

  // Prepare: the console to serve, then one platform per scenario, its chats filled.
  const built = await prepareConsole(cleanups);
  // The platform children inherit it (see startPlatform).
  process.env.CONSOLE_DIR = built.dir;
  const base = await prepareScenario('baseline', `${settings.baselineChats} × ${settings.baselineMessages}`, settings.baselineChats, settings.baselineMessages, cleanups);
  const heavy = await prepareScenario('load', `${settings.chats} × ${settings.messages}`, settings.chats, settings.messages, cleanups);

  // Measure, in the browser.
  const measured = await measure(base, heavy, built.dir, cleanups);

  // Report.
  return writeReport({ measured, consoleBuild: built.build, distDev: built.distDev, loadAverageStart });
}

finishRun(main, cleanUp, () => log(`done in ${((performance.now() - clock.started) / 1000).toFixed(0)} s`));

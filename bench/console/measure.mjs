// Measuring: Chromium with both consoles open, and the phases (switching, keystrokes, replies,
// live messages) in rounds that alternate baseline and load; optionally a CPU profile of the load
// page.
import os from 'node:os';
import { chromium } from 'playwright-core';
import { procStats, sleep } from '../lib.mjs';
import { summarizeProfile } from '../profile-top.mjs';
import { keysChunk, replyChunk } from './composer.mjs';
import { checkDelivery, liveChunk } from './live.mjs';
import { ms, split, stats, triple } from './numbers.mjs';
import { finish, heap, openConsole } from './scenario.mjs';
import { log, settings } from './settings.mjs';
import { sourceMapper } from './source-map.mjs';
import { switchChunk, warmUpSwitching } from './switching.mjs';

/** @typedef {import('./scenario.mjs').Scenario} Scenario */

/**
 * @param {(() => Promise<void>)[]} cleanups the browser is closed by one of these
 */
async function launchBrowser(cleanups) {
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
  return browser;
}

/**
 * Runs every phase on both scenarios; their figures end up in each scenario's `result`.
 * @param {Awaited<ReturnType<typeof import('./platform.mjs').prepareScenario>>} base
 * @param {Awaited<ReturnType<typeof import('./platform.mjs').prepareScenario>>} heavy
 * @param {string} consoleDir the console the platforms serve (for its source maps)
 * @param {(() => Promise<void>)[]} cleanups
 */
export async function measure(base, heavy, consoleDir, cleanups) {
  const browser = await launchBrowser(cleanups);

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
  return { scenarios: /** @type {[Scenario, Scenario]} */ (scenarios), chromium: browser.version(), mapper, loadAverageEnd, profileText };
}

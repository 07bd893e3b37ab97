// The report: the verdict against the goals, the table, the longest frames of the load, and the
// result file in bench/results/ (or the CPU profile, in a profiled run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { mib } from '../lib.mjs';
import { ms, triple } from './numbers.mjs';
import { benchDir, GOALS, log, root, settings } from './settings.mjs';
import { where } from './source-map.mjs';

/** @typedef {import('./scenario.mjs').Scenario} Scenario */

/**
 * Prints the verdict and the figures, and writes the result file.
 * @param {{
 *   measured: Awaited<ReturnType<typeof import('./measure.mjs').measure>>,
 *   consoleBuild: Record<string, unknown>,
 *   distDev: boolean | undefined,
 *   loadAverageStart: number[],
 * }} run
 * @returns {boolean} whether the run passed
 */
export function writeReport({ measured, consoleBuild, distDev, loadAverageStart }) {
  const { scenarios, mapper, loadAverageEnd, profileText } = measured;

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
      chromium: measured.chromium,
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
    const resultsDir = path.join(benchDir, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    // A given build (BENCH_CONSOLE_DIR) does not replace the day's reference result.
    const file = path.join(resultsDir, `console-${settings.consoleDir ? 'given-build-' : ''}${report.date.slice(0, 10)}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`results written to ${path.relative(root, file)}`);
  }
  return pass;
}

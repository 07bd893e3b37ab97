// The long tasks and long animation frames the probe saw, gathered per phase and summed up.
import { probeOf } from './probe.mjs';

/** @typedef {import('./scenario.mjs').Scenario} Scenario */

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
export async function collectTasks(s, phase, t0) {
  /** @type {TaskWindow} */
  const w = await probeOf(s.page).call('since', [t0]);
  s.acc.tasks[phase].longTasks.push(...w.longTasks);
  s.acc.tasks[phase].loafs.push(...w.loafs);
}

/** @param {TaskWindow} w */
export function summarizeTasks(w) {
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

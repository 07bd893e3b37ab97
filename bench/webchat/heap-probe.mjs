// Preloaded into a server child (`node --expose-gc --import <this file> …`, see HEAP_PROBE_ARGS)
// so that the bench can look inside the platform and the baselines the same way without
// touching their code. It answers two IPC messages:
//   {type:'ewc-bench-heap', id}  full garbage collections, then process.memoryUsage();
//   {type:'ewc-bench-loop', id}  the event loop's delay and the GC pauses since the last ask
//                                (what a latency spike was made of), then starts over.
// Loaded only by the web chat benchmarks.
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const HEAP = 'ewc-bench-heap';
const LOOP = 'ewc-bench-loop';

if (process.send) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  /** @type {{ kind: number, ms: number }[]} */
  let pauses = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ kind: /** @type {any} */ (e).detail?.kind ?? 0, ms: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  process.on('message', (/** @type {any} */ m) => {
    if (m?.type === HEAP) {
      void (async () => {
        const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
        // Twice, with a pause between: what the first frees may hold finalizers that free more.
        gc?.();
        await sleep(50);
        gc?.();
        const usage = process.memoryUsage();
        process.send?.({ type: HEAP, id: m.id, gc: gc !== undefined, usage });
      })();
    } else if (m?.type === LOOP) {
      const ms = (/** @type {number} */ ns) => ns / 1e6;
      // perf_hooks GC kinds: 1 minor (scavenge), 2 major (mark-compact), 4 incremental, 8 weak callbacks.
      const major = pauses.filter((p) => p.kind === 2);
      process.send?.({
        type: LOOP,
        id: m.id,
        loopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
        gc: {
          count: pauses.length,
          totalMs: pauses.reduce((a, p) => a + p.ms, 0),
          maxMs: pauses.reduce((a, p) => Math.max(a, p.ms), 0),
          major: major.length,
          majorMaxMs: major.reduce((a, p) => Math.max(a, p.ms), 0),
        },
      });
      delay.reset();
      pauses = [];
    }
  });
  // Adding the listener refs the channel; the server alone decides when this process ends.
  process.channel?.unref();
}

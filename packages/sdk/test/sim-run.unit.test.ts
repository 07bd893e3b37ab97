/**
 * webchat-sim always stops by itself: at maxSeconds whatever its customers are doing, and it
 * keeps no more than `concurrency` customers running at once.
 */
import { createHook } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { checkScenario, runSimulation } from '../src/sim/index.js';

const base = { platform: { url: 'http://127.0.0.1:9' }, callbacks: { listen: '127.0.0.1:0' }, settleSeconds: 0 };
/** Runs `run` and counts the timers it started that still keep the process alive once it has ended: one would keep webchat-sim running. */
async function timersLeftBy<T>(run: () => Promise<T>): Promise<{ result: T; left: number }> {
  const pending = new Map<number, NodeJS.Timeout>();
  const hook = createHook({
    init: (id, type, _trigger, resource) => void (type === 'Timeout' && pending.set(id, resource as NodeJS.Timeout)),
    destroy: (id) => void pending.delete(id),
  }).enable();
  try {
    const result = await run();
    // Destroy hooks of timers cleared at the end are reported on the next turns of the loop.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    // An unref'd timer (fetch's AbortSignal.timeout) does not keep a process alive.
    return { result, left: [...pending.values()].filter((t) => t.hasRef()).length };
  } finally {
    hook.disable();
  }
}

describe('webchat-sim bounds', () => {
  it('stops at maxSeconds, counting the customers still running as stopped', async () => {
    const began = Date.now();
    const { result: report, left } = await timersLeftBy(() =>
      runSimulation(checkScenario({ ...base, customers: 5, arrivalPerSecond: 1, maxSeconds: 0.6, customer: [{ pause: 600 }] })),
    );
    expect(Date.now() - began).toBeLessThan(2_000);
    // Nothing of the run keeps the process alive: not the customer's pause, not the grace after the stop.
    expect(left).toBe(0);
    expect(report.stoppedByMaxSeconds).toBe(true);
    // Arrivals one a second: only the first started before the stop.
    expect(report.customers).toEqual({ planned: 5, started: 1, finished: 0, stopped: 1 });
  });

  it('runs at most `concurrency` customers at once', async () => {
    const report = await runSimulation(checkScenario({ ...base, customers: 12, arrivalPerSecond: 10_000, concurrency: 3, maxSeconds: 10, customer: [{ pause: 0.15 }] }));
    expect(report.customers).toEqual({ planned: 12, started: 12, finished: 12, stopped: 0 });
    // 12 customers of 0.15 s, 3 at a time: 4 rounds (all at once would take 0.15 s).
    expect(report.seconds).toBeGreaterThanOrEqual(0.58);
    expect(report.seconds).toBeLessThan(3);
  });

  it('leaves no timer running and no listener behind for each wait for a free slot', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      // Each customer fails at once (nothing listens on port 9); one at a time, so the run waits 29 times.
      const { result: report, left } = await timersLeftBy(() =>
        runSimulation(checkScenario({ ...base, customers: 30, arrivalPerSecond: 10_000, concurrency: 1, maxSeconds: 120, customer: [{ request: { queueId: 1 } }] })),
      );
      expect(report.customers).toMatchObject({ planned: 30, started: 30, stopped: 0 });
      expect(left).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

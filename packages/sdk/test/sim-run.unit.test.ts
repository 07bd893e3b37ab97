/**
 * webchat-sim always stops by itself: at maxSeconds whatever its customers are doing, and it
 * keeps no more than `concurrency` customers running at once.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario, runSimulation } from '../src/sim/index.js';

const base = { platform: { url: 'http://127.0.0.1:9' }, callbacks: { listen: '127.0.0.1:0' }, settleSeconds: 0 };
/** Timers running in this process: one left by a run would keep webchat-sim's process alive. */
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('webchat-sim bounds', () => {
  it('stops at maxSeconds, counting the customers still running as stopped', async () => {
    const began = Date.now();
    const report = await runSimulation(checkScenario({ ...base, customers: 5, arrivalPerSecond: 1, maxSeconds: 0.6, customer: [{ pause: 600 }] }));
    expect(Date.now() - began).toBeLessThan(2_000);
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
    const before = timers();
    try {
      // Each customer fails at once (nothing listens on port 9); one at a time, so the run waits 29 times.
      const report = await runSimulation(checkScenario({ ...base, customers: 30, arrivalPerSecond: 10_000, concurrency: 1, maxSeconds: 120, customer: [{ request: { queueId: 1 } }] }));
      expect(report.customers).toMatchObject({ planned: 30, started: 30, stopped: 0 });
      // None of the 29 waits may leave one (a few timers of the test runner's own may come and go).
      expect(timers() - before).toBeLessThan(5);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

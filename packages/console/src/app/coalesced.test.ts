import { describe, expect, it } from 'vitest';
import { Coalesced } from './coalesced';

describe('Coalesced', () => {
  it('runs one at a time, and once more after a run for any number of calls during it', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const c = new Coalesced(async () => {
      runs += 1;
      await new Promise<void>((r) => (release = r));
    });
    const first = c.run();
    const second = c.run();
    void c.run();
    expect(second).toBe(first);
    expect(runs).toBe(1);
    release();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
  });

  it('runs again when the work says its result is stale', async () => {
    let runs = 0;
    const c = new Coalesced(async () => {
      runs += 1;
      if (runs === 1) c.runAgain();
    });
    await c.run();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
  });
});

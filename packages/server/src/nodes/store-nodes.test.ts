/**
 * One process per store until cluster mode: a second real server process on the same store is
 * refused at start with a message that says which process holds it; a process that was killed
 * (`kill -9`) or stopped leaves the store to the next one at once, and one on another machine
 * that stopped beating leaves it once its heartbeat is stale.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type Platform } from '../app.js';
import { freePort, startChildServer, type ChildServer } from '../test-support/child-server.js';
import { testConfig } from '../test-support/platform.js';
import { freshStore, type TestStore } from '../test-support/stores.js';
import { STALE_MS, StoreInUseError } from './store-nodes.js';

describe('one process per store', () => {
  const children: ChildServer[] = [];
  const platforms: Platform[] = [];
  let store: TestStore | undefined;
  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill9();
    for (const platform of platforms.splice(0)) await platform.close();
    await store?.drop();
    store = undefined;
  });

  it('refuses a second server process on the store, and lets the next one start after a kill -9 or a stop', async () => {
    store = await freshStore();
    const first = await startChildServer({ env: store.env, port: await freePort() });
    children.push(first);
    // The second process exits at start, saying why and who holds the store.
    const second = startChildServer({ env: store.env, port: await freePort(), readyTimeoutMs: 15_000 });
    const refused = await second.then(
      (started) => {
        children.push(started); // not refused: stopped after the test, which fails below
        return undefined;
      },
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/server exited before it was ready \(code 1/);
    expect(refused).toContain(`elitewebchat: another EliteWebChat process uses this store alone (`);
    expect(refused).toContain(`, pid ${first.proc.pid} on `);
    expect(refused).toContain('Run one process per store');
    // kill -9: no shutdown code ran, its row stays; a restart on this machine takes over at once.
    await first.kill9();
    const restarted = await startChildServer({ env: store.env, port: await freePort() });
    children.push(restarted);
    expect((await fetch(`${restarted.url}/readyz`)).status).toBe(200);
    // A graceful stop leaves the store too.
    await restarted.stop();
    const third = await startChildServer({ env: store.env, port: await freePort() });
    children.push(third);
    expect((await fetch(`${third.url}/readyz`)).status).toBe(200);
  });

  it('refuses a process of another machine until its heartbeat is stale, and two in one process likewise', async () => {
    store = await freshStore();
    const config = testConfig(store);
    const one = await buildApp(config);
    platforms.push(one);
    // A second platform on the same store, even in this process: refused.
    await expect(buildApp(config)).rejects.toThrow(StoreInUseError);
    await platforms.pop()!.close();
    // A row of this very pid that this process does not hold is an earlier life of it (a
    // container whose server is always pid 1, killed and started again): taken over.
    const earlier = await buildApp(config);
    await earlier.store.db.updateTable('nodes').set({ id: 'earlier-life' }).execute();
    const reborn = await buildApp(config);
    await reborn.close();
    await earlier.close();
    // A process elsewhere that beat a moment ago holds the store; one silent for longer does not.
    const probe = await buildApp(config);
    await probe.store.db.updateTable('nodes').set({ host: 'elsewhere', heartbeat_at: Date.now() }).execute();
    const held = await buildApp(config).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(held).toMatch(/^another EliteWebChat process uses this store alone \(test, pid \d+ on elsewhere, started .*, last seen \d s ago\)/);
    await probe.store.db.updateTable('nodes').set({ heartbeat_at: Date.now() - STALE_MS - 1_000 }).execute();
    const taken = await buildApp(config);
    platforms.push(taken);
    expect(await taken.store.db.selectFrom('nodes').select(['host', 'pid']).execute()).toEqual([{ host: expect.not.stringMatching(/^elsewhere$/), pid: process.pid }]);
    // The probe's own close must not remove the new holder's row.
    await probe.close();
    expect(await taken.store.db.selectFrom('nodes').select('pid').execute()).toHaveLength(1);
  });
});

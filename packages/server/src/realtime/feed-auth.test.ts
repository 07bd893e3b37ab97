/**
 * A live feed is only for an agent in good standing: a one-time password gets none, and a
 * token revoked by another process (`npm run reset-password`) ends the feed it opened.
 */
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { resetToOneTimePassword } from '../auth/one-time-password.js';
import { connectAgent } from '../test-support/agent-client.js';
import { eventually } from '../test-support/platform.js';
import { startWorld, type World } from '../test-support/world.js';

const connectError = (url: string, token: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false });
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the feed connected'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });

describe('who gets a live feed', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('refuses a feed to an agent whose password is a one-time one, and gives one after the change', async () => {
    w = await startWorld();
    const { p } = w;
    const oneTime = await resetToOneTimePassword(p.platform.store.db, 'a', Date.now());
    const token = await p.login('a', oneTime!);
    expect(await connectError(p.url, token)).toMatch(/^password change required/);
    expect((await p.api('POST', '/api/v1/agent/password', token, { currentPassword: oneTime, newPassword: 'my-own-password' })).status).toBe(204);
    const feed = await connectAgent(p.url, token);
    expect(feed.socket.connected).toBe(true);
    feed.close();
  });

  it('ends a feed whose token another process revoked', async () => {
    w = await startWorld({ config: { feedRecheckMs: 100 } });
    const { p } = w;
    const token = await w.login('a');
    const feed = await connectAgent(p.url, token);
    let ended = false;
    feed.socket.on('disconnect', () => (ended = true));
    // What `npm run reset-password -- a` does, on the same store, without this process's events.
    await resetToOneTimePassword(p.platform.store.db, 'a', Date.now());
    await eventually(() => ended, 5_000, 'the feed to end');
    expect(await connectError(p.url, token)).toMatch(/^unauthenticated/);
    feed.close();
  });
});

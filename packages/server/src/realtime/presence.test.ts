/**
 * Presence: an online agent whose every live feed is gone (a closed tab, a crashed browser, a
 * lost network) is set away after AGENT_AWAY_AFTER_SECONDS, so that new chats stop going to
 * nobody; a feed that comes back in time changes nothing. A restart, even a kill -9, does not
 * make the platform forget an agent whose feed was live: it gets the same time to come back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { InMemoryPresenceStore, type PresenceStore } from '../cluster/presence-store.js';
import { openStore, type Store } from '../db/database.js';
import { applyProvisioning } from '../provisioning/apply.js';
import { connectAgent, type AgentFeed } from '../test-support/agent-client.js';
import { openChat } from '../test-support/chat.js';
import { freePort, HttpClient, startChildServer, type ChildServer } from '../test-support/child-server.js';
import { eventually, startTestPlatform, type TestPlatform } from '../test-support/platform.js';
import { StorePresence } from './presence.js';
import { freshStore, type TestStore } from '../test-support/stores.js';
import { ThirdParty } from '../test-support/third-party.js';

const AWAY_AFTER_MS = 300;

describe('agent presence', () => {
  let tp: ThirdParty;
  let p: TestPlatform;

  beforeEach(async () => {
    tp = new ThirdParty();
    const base = await tp.start();
    p = await startTestPlatform({
      config: { awayAfterMs: AWAY_AFTER_MS },
      provisioning: {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
        agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
        channels: [{ id: 'ch', callbackBase: base }],
      },
    });
  });

  afterEach(async () => {
    await p.close();
    await tp.stop();
  });

  const statusOf = async (token: string) => (await p.api<{ status: string }>('GET', '/api/v1/agent/me', token)).body.status;
  const online = async () => {
    const token = await p.login('a', 'pw');
    await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' });
    return token;
  };
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('sets an agent away once their last feed has been gone a while, and routes nothing to them', async () => {
    const token = await online();
    const feed = await connectAgent(p.url, token);
    feed.close();
    expect(await statusOf(token)).toBe('online');
    await eventually(async () => (await statusOf(token)) === 'away', 5_000, 'the agent to be set away');

    const { requestId } = await p.tpi({ type: 1000, clientId: 'after-the-crash', queueId: 1 });
    await wait(200);
    expect(await p.tpi({ type: 1001, requestId })).toMatchObject({ result: 1, requestStatus: 0, queueLength: 1 });
    expect(tp.ofName('create')).toHaveLength(0);

    // Back, and online again: the waiting customer is served.
    await connectAgent(p.url, token);
    await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' });
    await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'after-the-crash'));
  });

  it('changes nothing when the feed comes back in time, or another tab stays', async () => {
    const token = await online();
    const first = await connectAgent(p.url, token);
    first.close();
    await wait(AWAY_AFTER_MS / 3);
    const second = await connectAgent(p.url, token);
    await wait(AWAY_AFTER_MS * 2);
    expect(await statusOf(token)).toBe('online');

    const third = await connectAgent(p.url, token);
    second.close();
    await wait(AWAY_AFTER_MS * 2);
    expect(await statusOf(token)).toBe('online');
    third.close();
    await eventually(async () => (await statusOf(token)) === 'away', 5_000, 'the agent to be set away');
  });

  it('leaves alone agents who work through the API alone, and agents who chose another status', async () => {
    const token = await online();
    await openChat(p, tp, 'api-customer');
    await wait(AWAY_AFTER_MS * 2);
    expect(await statusOf(token)).toBe('online');

    const feed = await connectAgent(p.url, token);
    await p.api('PUT', '/api/v1/agent/status', token, { status: 'offline' });
    feed.close();
    await wait(AWAY_AFTER_MS * 2);
    expect(await statusOf(token)).toBe('offline');
  });

  it('leaves alone an agent who, their console closed, chose online again through the API; a feed that connects again brings presence back', async () => {
    const token = await online();
    const feed = await connectAgent(p.url, token);
    feed.close();
    await wait(AWAY_AFTER_MS / 3);
    expect((await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    await wait(AWAY_AFTER_MS * 3);
    expect(await statusOf(token)).toBe('online');
    // An API agent from now: not caught up at a restart either.
    expect((await p.platform.store.db.selectFrom('agents').select('feed_seen_at').where('id', '=', 'A').executeTakeFirstOrThrow()).feed_seen_at).toBeNull();
    // The console again, closed again: set away as before.
    (await connectAgent(p.url, token)).close();
    await eventually(async () => (await statusOf(token)) === 'away', 5_000, 'the agent to be set away');
  });
});

// Two server starts each, on a busy machine: more time than a test usually gets.
describe('agent presence across a restart', { timeout: 90_000 }, () => {
  /** The restarted process's window; the first one runs with the default (60 s). */
  const AWAY_AFTER_SECONDS = 2;
  let tp: ThirdParty;
  let store: TestStore;
  let port: number;
  let env: Record<string, string>;
  let child: ChildServer | undefined;
  let http: HttpClient | undefined;
  const feeds: AgentFeed[] = [];

  beforeEach(async () => {
    tp = new ThirdParty();
    const callbackBase = await tp.start();
    store = await freshStore();
    const configFile = path.join(store.dataDir, 'webchat.yaml');
    // JSON is YAML.
    const provisioning = {
      queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
      agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }],
      channels: [{ id: 'ch', callbackBase }],
    };
    fs.writeFileSync(configFile, JSON.stringify(provisioning));
    env = { ...store.env, LOG_LEVEL: 'warn', WEBCHAT_CONFIG: configFile, CALLBACK_POLL_MS: '50', SWEEP_INTERVAL_MS: '50' };
    port = await freePort();
    await startServer({});
  });

  afterEach(async () => {
    for (const f of feeds.splice(0)) f.close();
    await child?.kill9();
    await http?.close();
    await tp.stop();
    await store.drop();
    child = undefined;
    http = undefined;
  });

  const startServer = async (extra: Record<string, string>) => {
    child = await startChildServer({ env: { ...env, ...extra }, port });
    http = new HttpClient(child.url);
    return http;
  };
  /** kill -9, then the same store again with a short window. */
  const killAndRestart = async () => {
    await child!.kill9();
    await http!.close();
    return startServer({ AGENT_AWAY_AFTER_SECONDS: String(AWAY_AFTER_SECONDS) });
  };
  const feed = async (token: string) => {
    const f = await connectAgent(child!.url, token);
    feeds.push(f);
    return f;
  };
  const online = async () => {
    const token = await http!.login('a', 'pw');
    expect((await http!.api('PUT', '/api/v1/agent/status', token, { status: 'online' })).status).toBe(200);
    return token;
  };
  const statusOf = async (token: string) => (await http!.api<{ status: string }>('GET', '/api/v1/agent/me', token)).body.status;
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** The feed's connection is recorded a moment after it is accepted: a kill -9 must come after. */
  const feedRecorded = async () => {
    const reader = await openStore(store.config);
    try {
      await eventually(
        async () => (await reader.db.selectFrom('agents').select('feed_seen_at').where('id', '=', 'A').executeTakeFirstOrThrow()).feed_seen_at !== null,
        5_000,
        'the feed to be recorded',
      );
    } finally {
      await reader.close();
    }
  };

  it('sets away an agent whose feed died with the server and did not come back, and routes nothing to them', async () => {
    const token = await online();
    await feed(token);
    await feedRecorded();

    const c = await killAndRestart();
    const restartedAt = Date.now();
    expect(await statusOf(token)).toBe('online');
    await eventually(async () => (await statusOf(token)) === 'away', 10_000, 'the agent to be set away');
    expect(Date.now() - restartedAt).toBeGreaterThanOrEqual(AWAY_AFTER_SECONDS * 1000 - 500);

    const { requestId } = await c.tpi({ type: 1000, clientId: 'after-the-restart', queueId: 1 });
    await wait(300);
    expect(await c.tpi({ type: 1001, requestId })).toMatchObject({ result: 1, requestStatus: 0, queueLength: 1 });
    expect(tp.ofName('create')).toHaveLength(0);
  });

  it('changes nothing when the feed comes back within the window', async () => {
    const token = await online();
    await feed(token);
    await feedRecorded();

    await killAndRestart();
    await feed(token);
    await wait(AWAY_AFTER_SECONDS * 1000 * 2);
    expect(await statusOf(token)).toBe('online');
  });

  it('leaves alone an agent who went online through the API alone, however long after the restart', async () => {
    const token = await online();

    const c = await killAndRestart();
    await wait(AWAY_AFTER_SECONDS * 1000 * 2);
    expect(await statusOf(token)).toBe('online');
    // And they still get chats.
    await c.tpi({ type: 1000, clientId: 'rest-only', queueId: 1 });
    expect((await tp.waitFor(() => tp.ofName('create')[0])).body).toMatchObject({ clientId: 'rest-only' });
  });
});

// The presence store may fail (in a cluster: Redis away) and come back having lost what it knew
// (Redis restarted): the agents online with a feed seen and none now are caught up as at a start.
describe('agent presence when its store fails', () => {
  const AWAY_MS = 200;
  let store: TestStore;
  let opened: Store;
  let presence: StorePresence | undefined;

  beforeEach(async () => {
    store = await freshStore();
    opened = await openStore(store.config);
    await applyProvisioning(opened.db, { queues: [{ id: 1, name: 'q' }], agents: [{ id: 'A', username: 'a', password: 'pw', name: 'A', queues: [1] }] }, Date.now());
    await opened.db.updateTable('agents').set({ status: 'online' }).where('id', '=', 'A').execute();
  });

  afterEach(async () => {
    await presence?.close();
    await opened.close();
    await store.drop();
  });

  /** Presence on this store, noting when it sets agent A away. */
  const presenceOn = (presenceStore: PresenceStore, aways: number[]) =>
    new StorePresence({
      db: opened.db,
      agents: { awayIfOnline: async () => aways.push(Date.now()) > 0 },
      clock: Date.now,
      log: pino({ level: 'silent' }),
      awayAfterMs: AWAY_MS,
      store: presenceStore,
    });

  it('sets away an agent whose absence the store lost while it failed, awayAfterMs after it answers again', async () => {
    /** In memory, but failing on demand, and forgetting everything when it does. */
    let inner = new InMemoryPresenceStore();
    let failing = false;
    const fails = <T>(work: () => Promise<T>): Promise<T> => (failing ? Promise.reject(new Error('store away')) : work());
    const flaky: PresenceStore = {
      hold: (agentId) => fails(() => inner.hold(agentId)),
      release: (agentId) => fails(() => inner.release(agentId)),
      absentFromNow: (agentIds, dueMs) => fails(() => inner.absentFromNow(agentIds, dueMs)),
      due: (ms) => fails(() => inner.due(ms)),
      settle: (absence) => fails(() => inner.settle(absence)),
      forget: (agentId) => fails(() => inner.forget(agentId)),
    };
    const aways: number[] = [];
    presence = presenceOn(flaky, aways);
    await presence.start();
    await presence.feedOpened('A', 'feed-1');
    await presence.feedClosed('A', 'feed-1');
    // Before its window is over, the store goes away for longer than the window, and comes
    // back empty.
    failing = true;
    inner = new InMemoryPresenceStore();
    await new Promise((resolve) => setTimeout(resolve, AWAY_MS * 2));
    expect(aways).toEqual([]);
    failing = false;
    const back = Date.now();
    await eventually(() => aways.length > 0, 5_000, 'the agent set away');
    expect(aways[0]! - back).toBeGreaterThanOrEqual(AWAY_MS - 10);
    expect(aways).toHaveLength(1);
  });

  it('sets away an agent whose absence the store lost without a failure this node saw, awayAfterMs after recover()', async () => {
    // As a Redis restarted empty between two of this node's commands: nothing failed here, so
    // only the platform's word that Redis is back (recover) can start the catch-up.
    let inner = new InMemoryPresenceStore();
    const forgetful: PresenceStore = {
      hold: (agentId) => inner.hold(agentId),
      release: (agentId) => inner.release(agentId),
      absentFromNow: (agentIds, dueMs) => inner.absentFromNow(agentIds, dueMs),
      due: (ms) => inner.due(ms),
      settle: (absence) => inner.settle(absence),
      forget: (agentId) => inner.forget(agentId),
    };
    const aways: number[] = [];
    presence = presenceOn(forgetful, aways);
    await presence.start();
    await presence.feedOpened('A', 'feed-1');
    await presence.feedClosed('A', 'feed-1');
    inner = new InMemoryPresenceStore();
    await new Promise((resolve) => setTimeout(resolve, AWAY_MS * 2));
    expect(aways).toEqual([]);
    const back = Date.now();
    await presence.recover();
    await eventually(() => aways.length > 0, 5_000, 'the agent set away');
    expect(aways[0]! - back).toBeGreaterThanOrEqual(AWAY_MS - 10);
    expect(aways).toHaveLength(1);
  });
});

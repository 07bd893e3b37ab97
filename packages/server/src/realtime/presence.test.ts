/**
 * Presence: an online agent whose every live feed is gone (a closed tab, a crashed browser, a
 * lost network) is set away after AGENT_AWAY_AFTER_SECONDS, so that new chats stop going to
 * nobody; a feed that comes back in time changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAgent } from '../test-support/agent-client.js';
import { openChat } from '../test-support/chat.js';
import { eventually, startTestPlatform, type TestPlatform } from '../test-support/platform.js';
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
});

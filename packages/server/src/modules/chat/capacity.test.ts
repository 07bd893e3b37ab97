/**
 * Capacity holds when two routers run at once on one store (as two server processes would):
 * every accept re-checks the agent's open chats in its own transaction. On PostgreSQL each
 * router has its own connection pool; on SQLite, where one process has one connection and
 * transactions take turns, the two routers share it.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryEventBus } from '../../cluster/event-bus.js';
import { LocalRoutingLock } from '../../cluster/routing-lock.js';
import { openStore, type Store } from '../../db/database.js';
import { applyProvisioning } from '../../provisioning/apply.js';
import { testConfig } from '../../test-support/platform.js';
import { freshStore, type TestStore } from '../../test-support/stores.js';
import type { ChatContext } from './context.js';
import { RequestService } from './requests.js';
import { BridgeNotices } from './bridge-notices.js';
import { Router } from './router.js';
import { SessionService } from './sessions.js';

const MAX = { A: 3, B: 1 } as const;

describe('two routers on one store', () => {
  let test: TestStore;
  let stores: Store[];
  let contexts: ChatContext[];

  beforeEach(async () => {
    test = await freshStore();
    const config = testConfig(test);
    const first = await openStore(config.store);
    // SQLite: one connection per process; PostgreSQL: a second pool, as a second process has.
    stores = test.config.kind === 'postgres' ? [first, await openStore(config.store)] : [first];
    await applyProvisioning(
      first.db,
      {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait', maxLength: 1000 }],
        agents: [
          { id: 'A', username: 'a', password: 'pw', name: 'A', maxChats: MAX.A, queues: [1] },
          { id: 'B', username: 'b', password: 'pw', name: 'B', maxChats: MAX.B, queues: [1] },
        ],
        channels: [{ id: 'ch', callbackBase: 'http://127.0.0.1:9' }],
      },
      Date.now(),
    );
    const log = pino({ level: 'silent' });
    contexts = [0, 1].map((i) => {
      const store = stores[i] ?? first;
      return {
        db: store.db,
        dialect: store.dialect,
        sqlite: store.sqlite,
        config,
        events: new InMemoryEventBus(),
        routingLock: new LocalRoutingLock(),
        log,
        clock: Date.now,
      };
    });
  });

  afterEach(async () => {
    for (const s of stores) await s.close();
    await test.drop();
  });

  const ctx = () => contexts[0]!;
  const channel = () => ctx().db.selectFrom('channels').selectAll().where('id', '=', 'ch').executeTakeFirstOrThrow();
  const online = (...ids: string[]) => ctx().db.updateTable('agents').set({ status: 'online' }).where('id', 'in', ids).execute();
  const ask = async (n: number, prefix: string) => {
    const requests = new RequestService(ctx());
    const ch = await channel();
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push((await requests.create(ch, { type: 1000, clientId: `${prefix}${i}`, queueId: 1 })).requestId);
    return ids;
  };
  const openChats = async () => {
    const rows = await ctx().db.selectFrom('sessions').select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'open').groupBy('agent_id').execute();
    return Object.fromEntries(rows.map((r) => [r.agent_id, Number(r.n)]));
  };

  it('never gives an agent more than maxChats when two accepts for them race', async () => {
    await online('B');
    const [r1, r2] = contexts.map((c) => new Router(c, new BridgeNotices(c)));
    for (let round = 0; round < 5; round++) {
      const [one, two] = await ask(2, `race${round}-`);
      const outcomes = await Promise.all([r1!.accept(one!, 'B'), r2!.accept(two!, 'B')]);
      expect(outcomes.filter((o) => o.accepted), `round ${round}: exactly one accept goes through`).toHaveLength(1);
      expect(await openChats()).toEqual({ B: 1 });
      // The refused request still waits, untouched; B's chat ends for the next round.
      const states = await ctx().db.selectFrom('chat_requests').select(['id', 'status']).where('id', 'in', [one!, two!]).orderBy('id').execute();
      expect(states.map((s) => s.status).sort()).toEqual([RequestStatus.WAITING, RequestStatus.ACCEPTED].sort());
      await ctx().db.updateTable('chat_requests').set({ status: RequestStatus.CANCELED_BY_CLIENT }).where('id', 'in', [one!, two!]).where('status', '=', RequestStatus.WAITING).execute();
      const agent = await ctx().db.selectFrom('agents').selectAll().where('id', '=', 'B').executeTakeFirstOrThrow();
      const session = await ctx().db.selectFrom('sessions').select('id').where('agent_id', '=', 'B').where('status', '=', 'open').executeTakeFirstOrThrow();
      await new SessionService(ctx(), new BridgeNotices(ctx())).agentClose(agent, session.id);
    }
  });

  it('routes a busy queue with two routers woken together, never past any agent\'s maxChats', async () => {
    await online('A', 'B');
    const waiting = await ask(24, 'busy-');
    const routers = contexts.map((c) => new Router(c, new BridgeNotices(c)));
    const sessions = new SessionService(ctx(), new BridgeNotices(ctx()));
    let served = 0;
    for (let round = 0; round < 20 && served < waiting.length; round++) {
      await Promise.all(routers.flatMap((r) => [r.wake(), r.wake()]));
      const open = await openChats();
      expect(open.A ?? 0, `round ${round}`).toBeLessThanOrEqual(MAX.A);
      expect(open.B ?? 0, `round ${round}`).toBeLessThanOrEqual(MAX.B);
      // Both agents were given all they can take while requests wait.
      expect(open, `round ${round}`).toEqual({ A: MAX.A, B: MAX.B });
      const agents = await ctx().db.selectFrom('agents').selectAll().execute();
      for (const s of await ctx().db.selectFrom('sessions').select(['id', 'agent_id']).where('status', '=', 'open').execute()) {
        await sessions.agentClose(agents.find((a) => a.id === s.agent_id)!, s.id);
        served += 1;
      }
      if (waiting.length - served < MAX.A + MAX.B) break;
    }
    const accepted = await ctx().db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(accepted.n)).toBe(served);
    const perRequest = await ctx().db.selectFrom('sessions').select(['request_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('request_id').execute();
    expect(perRequest.filter((r) => Number(r.n) > 1), 'a request accepted twice').toEqual([]);
  });
});

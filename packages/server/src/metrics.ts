/** Prometheus metrics, one registry per app so that several apps can live in one test process. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RequestStatus } from '@elitewebchat/protocol';
import type { Db } from './db/database.js';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(db: Db, node: string) {
  const registry = new Registry();
  // Every series says which process it is from: several may serve one platform (cluster mode).
  registry.setDefaultLabels({ node });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    tpiCalls: new Counter({ name: 'webchat_tpi_calls_total', help: 'TPI calls by type and result', labelNames: ['type', 'result'], registers }),
    tpiRefused: new Counter({
      name: 'webchat_tpi_refused_total',
      help: 'TPI calls refused before reaching a queue, by reason (key, address, signature, stale, replay, rate)',
      labelNames: ['reason'],
      registers,
    }),
    tpiSeconds: new Histogram({
      name: 'webchat_tpi_duration_seconds',
      help: 'Time to answer a TPI call',
      labelNames: ['type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    requestsEnded: new Counter({ name: 'webchat_requests_ended_total', help: 'Chat requests by final state', labelNames: ['queue', 'state'], registers }),
    offers: new Counter({ name: 'webchat_offers_total', help: 'Offers to agents by how they ended (offered: made)', labelNames: ['outcome'], registers }),
    messages: new Counter({ name: 'webchat_messages_total', help: 'Messages stored, by sender and kind', labelNames: ['sender', 'kind'], registers }),
    callbackAttempts: new Counter({ name: 'webchat_callback_attempts_total', help: 'Callback attempts by name and outcome', labelNames: ['name', 'outcome'], registers }),
    channelFailing: new Gauge({
      name: 'webchat_channel_consecutive_callback_failures',
      help: 'Failed callback attempts of a channel since its last success',
      labelNames: ['channel'],
      registers,
    }),
    callbackSeconds: new Histogram({ name: 'webchat_callback_duration_seconds', help: 'Time of one callback attempt', labelNames: ['name'], registers }),
    waiting: new Gauge({
      name: 'webchat_queue_waiting',
      help: 'Requests waiting, per queue',
      labelNames: ['queue'],
      registers,
      async collect() {
        const rows = await db
          .selectFrom('queues')
          .leftJoin('chat_requests', (j) => j.onRef('chat_requests.queue_id', '=', 'queues.id').on('chat_requests.status', '=', RequestStatus.WAITING))
          .select(['queues.id', (eb) => eb.fn.count<number>('chat_requests.id').as('n')])
          .groupBy('queues.id')
          .execute();
        this.reset();
        for (const r of rows) this.set({ queue: String(r.id) }, Number(r.n));
      },
    }),
    agentsOnline: new Gauge({
      name: 'webchat_queue_agents_online',
      help: 'Agents online, per queue',
      labelNames: ['queue'],
      registers,
      async collect() {
        const rows = await db
          .selectFrom('queues')
          .leftJoin('agent_queues', 'agent_queues.queue_id', 'queues.id')
          .leftJoin('agents', (j) => j.onRef('agents.id', '=', 'agent_queues.agent_id').on('agents.status', '=', 'online').on('agents.enabled', '=', 1))
          .select(['queues.id', (eb) => eb.fn.count<number>('agents.id').as('n')])
          .groupBy('queues.id')
          .execute();
        this.reset();
        for (const r of rows) this.set({ queue: String(r.id) }, Number(r.n));
      },
    }),
    pendingCallbacks: new Gauge({
      name: 'webchat_callbacks_pending',
      help: 'Callbacks written but not yet delivered',
      registers,
      async collect() {
        const row = await db.selectFrom('callbacks').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
        this.set(Number(row.n));
      },
    }),
    deadCallbacks: new Gauge({
      name: 'webchat_callbacks_dead',
      help: 'Callbacks that failed past their retry window (see the admin API)',
      registers,
      async collect() {
        const row = await db.selectFrom('callbacks').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'dead').executeTakeFirstOrThrow();
        this.set(Number(row.n));
      },
    }),
  };
}

/**
 * Waiting counts (`queues.changed`: to each agent with a feed, its own queues) and the board
 * (`board.changed`, to supervisors and admins: fetch it again) change with almost every event,
 * so they are recomputed at most every COALESCE_MS: once per burst.
 */
import { ServerEvent } from '@elitewebchat/protocol';
import type { Logger } from 'pino';
import type { ChatEvent, EventBus } from '../cluster/event-bus.js';
import type { Db } from '../db/database.js';
import { agentRoom, agentsWithFeeds, SUPERVISORS, type AgentServer } from './io.js';

export const COALESCE_MS = 500;

const QUIET: ReadonlySet<ChatEvent['type']> = new Set(['message', 'outbox', 'typing', 'read', 'visitor-message']);
const changesBoard = (event: ChatEvent) => !QUIET.has(event.type);
const changesCounts = (event: ChatEvent) => event.type === 'capacity' || event.type === 'request-ended' || event.type === 'assigned';

/** Returns what stops it. */
export function pushCountsAndBoard(io: AgentServer, deps: { db: Db; events: EventBus; log: Logger }): () => void {
  let countsDirty = false;
  let boardDirty = false;
  const stopListening = deps.events.on((event) => {
    if (changesBoard(event)) boardDirty = true;
    if (changesCounts(event)) countsDirty = true;
  });

  const pushQueueCounts = async () => {
    const agentIds = agentsWithFeeds(io);
    if (agentIds.length === 0) return;
    const [counts, members] = await Promise.all([
      deps.db
        .selectFrom('queues')
        .leftJoin('chat_requests', (j) => j.onRef('chat_requests.queue_id', '=', 'queues.id').on('chat_requests.status', '=', 0))
        .select(['queues.id', 'queues.name', (eb) => eb.fn.count<number>('chat_requests.id').as('waiting')])
        .groupBy(['queues.id', 'queues.name'])
        .orderBy('queues.id')
        .execute(),
      deps.db.selectFrom('agent_queues').selectAll().where('agent_id', 'in', agentIds).execute(),
    ]);
    for (const agentId of agentIds) {
      const mine = new Set(members.filter((m) => m.agent_id === agentId).map((m) => m.queue_id));
      const queues = counts.filter((c) => mine.has(c.id)).map((c) => ({ id: c.id, name: c.name, waiting: Number(c.waiting) }));
      io.to(agentRoom(agentId)).emit(ServerEvent.QUEUES_CHANGED, { queues });
    }
  };

  const flush = setInterval(() => {
    if (boardDirty) {
      boardDirty = false;
      io.to(SUPERVISORS).emit(ServerEvent.BOARD_CHANGED);
    }
    if (countsDirty) {
      countsDirty = false;
      void pushQueueCounts().catch((error: unknown) => deps.log.error({ err: error }, 'queue counts push failed'));
    }
  }, COALESCE_MS);
  flush.unref();

  return () => {
    clearInterval(flush);
    stopListening();
  };
}

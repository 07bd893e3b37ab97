/**
 * Offers to the agent's room (every tab): `offer.new` with what is offered (who, from where,
 * the pre-messages, the deadline) and `offer.ended` when it is accepted, declined, runs out or
 * is withdrawn. A console that missed one reads GET /api/v1/agent/offers again on reconnect.
 */
import { ServerEvent } from '@elitewebchat/protocol';
import type { Logger } from 'pino';
import type { EventBus } from '../cluster/event-bus.js';
import type { Db } from '../db/database.js';
import { openOffers } from '../modules/agent/index.js';
import { agentRoom, hasMembers, type AgentServer } from './io.js';

/** Returns what stops it. */
export function pushOffers(io: AgentServer, deps: { db: Db; events: EventBus; log: Logger }): () => void {
  return deps.events.on((event) => {
    if (event.type !== 'offer') return;
    const room = agentRoom(event.agentId);
    if (!hasMembers(io, room)) return;
    if (event.change !== 'new') {
      io.to(room).emit(ServerEvent.OFFER_ENDED, { requestId: event.requestId, reason: event.change });
      return;
    }
    openOffers(deps.db, event.agentId, event.requestId)
      .then(([offer]) => {
        if (offer) io.to(room).emit(ServerEvent.OFFER_NEW, offer);
      })
      .catch((error: unknown) => deps.log.error({ err: error, requestId: event.requestId }, 'offer push failed'));
  });
}

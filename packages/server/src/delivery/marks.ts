/**
 * Delivery marks: whether the customer's side has an agent's reply. A TPI reply's mark is the
 * state of the `msg` callback that carries it (callbacks.message_id); a web-chat reply's is how
 * far the visitor's pages have received and read the agent's messages (sessions.visitor_received_id
 * and visitor_read_id). Read a batch of messages at a time; a change is told on the event bus as a
 * `delivery` event, which the agent's feed turns into `message.delivery`.
 */
import type { DeliveryView } from '@elitewebchat/protocol';
import type { EventBus } from '../cluster/event-bus.js';
import type { Db } from '../db/database.js';
import type { CallbackRow, MessageRow } from '../db/schema.js';
import { sql } from 'kysely';

/** A message as the agent API loads it: with its mark, when it carries one. */
export type MarkedMessage = MessageRow & { delivery?: DeliveryView };

/** Stored, nothing heard back yet: every reply starts so. */
export const SENT: DeliveryView = { state: 'sent', attempts: 0, lastError: null, callbackId: null };

/** Only an agent's text goes to the customer as a reply of theirs (rating requests are events). */
export const carriesMark = (m: Pick<MessageRow, 'sender' | 'kind'>): boolean => m.sender === 'agent' && (m.kind === 'text' || m.kind === 'image' || m.kind === 'file');

export function callbackDelivery(c: Pick<CallbackRow, 'id' | 'status' | 'attempts' | 'last_error'>): DeliveryView {
  switch (c.status) {
    case 'delivered':
      return { state: 'delivered', attempts: c.attempts, lastError: null, callbackId: c.id };
    case 'dead':
      return { state: 'failed', attempts: c.attempts, lastError: c.last_error, callbackId: c.id };
    case 'pending':
      return c.attempts === 0
        ? { state: 'sent', attempts: 0, lastError: null, callbackId: c.id }
        : { state: 'retrying', attempts: c.attempts, lastError: c.last_error, callbackId: c.id };
  }
}

export function webDelivery(messageId: number, receivedUpTo: number, readUpTo: number): DeliveryView {
  if (messageId <= readUpTo) return { ...SENT, state: 'read' };
  if (messageId <= receivedUpTo) return { ...SENT, state: 'delivered' };
  return SENT;
}

/** Far below both stores' limits on bound parameters; a whole long session is a few chunks. */
const CHUNK = 1_000;

/**
 * The messages with the marks of the replies among them: one query per chunk of replies, however
 * many sessions they belong to. A TPI reply without a callback (its channel calls nobody back)
 * stays sent.
 */
export async function withDeliveries(db: Db, messages: MessageRow[]): Promise<MarkedMessage[]> {
  const ids = messages.filter(carriesMark).map((m) => m.id);
  if (ids.length === 0) return messages;
  const marks = new Map<number, DeliveryView>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('messages as m')
      .innerJoin('sessions as s', 's.id', 'm.session_id')
      .leftJoin('callbacks as c', 'c.message_id', 'm.id')
      .select([
        'm.id as messageId',
        sql<number>`case when s.visitor is null then 0 else 1 end`.as('web'),
        's.visitor_received_id as receivedUpTo',
        's.visitor_read_id as readUpTo',
        'c.id as callbackId',
        'c.status',
        'c.attempts',
        'c.last_error',
      ])
      .where('m.id', 'in', ids.slice(i, i + CHUNK))
      // A message's latest callback last, so that it wins.
      .orderBy('c.id')
      .execute();
    for (const r of rows) {
      if (Number(r.web) === 1) marks.set(r.messageId, webDelivery(r.messageId, r.receivedUpTo, r.readUpTo));
      else if (r.callbackId !== null && r.status !== null && r.attempts !== null) {
        marks.set(r.messageId, callbackDelivery({ id: r.callbackId, status: r.status, attempts: r.attempts, last_error: r.last_error }));
      }
    }
  }
  return messages.map((m) => (carriesMark(m) ? { ...m, delivery: marks.get(m.id) ?? SENT } : m));
}

/**
 * Tells the agent who has the session now (and whoever watches it) that these replies' marks
 * changed. Looked up at the time of telling: a transferred chat's marks go to its new agent.
 */
export async function announceDelivery(db: Db, events: Pick<EventBus, 'emit'>, sessionId: number, messageIds: number[], delivery: DeliveryView): Promise<void> {
  if (messageIds.length === 0) return;
  const session = await db.selectFrom('sessions').select('agent_id').where('id', '=', sessionId).executeTakeFirst();
  if (session) events.emit({ type: 'delivery', sessionId, agentId: session.agent_id, messageIds, delivery });
}

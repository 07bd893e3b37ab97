/**
 * What an agent's console says about a chat besides messages: that the agent is typing
 * (`chat.typing`, shown by the web chat, and a notice to TPI channels that asked: AgentTyping)
 * and how far the agent has read the customer's messages (`chat.read`, the web chat's read
 * mark). Both are answered with a WatchAnswer. And what agents hear besides chat events: the
 * customer typing, and messages left in their queues.
 */
import { ClientEvent, ReadBody, ServerEvent, TypingBody, type WatchAnswer } from '@elitewebchat/protocol';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import type { EventBus } from '../cluster/event-bus.js';
import type { Db } from '../db/database.js';
import type { AgentTyping } from '../modules/chat/index.js';
import { agentRoom, type AgentServer, type AgentSocket } from './io.js';

const typingBody = Compile(TypingBody);
const readBody = Compile(ReadBody);
const answerer = (ack: unknown) => (typeof ack === 'function' ? (ack as (answer: WatchAnswer) => void) : () => undefined);

export function handleChatSignals(socket: AgentSocket, deps: { db: Db; events: EventBus; log: Logger; typing: AgentTyping }): void {
  const { agent } = socket.data;

  // As POST /api/v1/agent/sessions/:id/typing: the web chat shows it, a TPI channel that asked gets a notice.
  socket.on(ClientEvent.CHAT_TYPING, (body: unknown, ack?: unknown) => {
    const reply = answerer(ack);
    if (!typingBody.Check(body)) return reply({ ok: false, error: 'send {sessionId, typing}' });
    deps.typing
      .typing(agent, body.sessionId, body.typing)
      .then((found) => reply(found ? { ok: true } : { ok: false, error: `no open session ${body.sessionId} of yours` }))
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'chat.typing failed');
        reply({ ok: false, error: 'internal error' });
      });
  });

  socket.on(ClientEvent.CHAT_READ, (body: unknown, ack?: unknown) => {
    const reply = answerer(ack);
    if (!readBody.Check(body)) return reply({ ok: false, error: 'send {sessionId, upTo}' });
    markRead(deps.db, agent.id, body.sessionId, body.upTo)
      .then((upTo) => {
        if (upTo === undefined) return reply({ ok: false, error: `no session ${body.sessionId} of yours` });
        if (upTo > 0) deps.events.emit({ type: 'read', sessionId: body.sessionId, upTo });
        reply({ ok: true });
      })
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'chat.read failed');
        reply({ ok: false, error: 'internal error' });
      });
  });
}

/**
 * Moves the read mark forward only, and never past the customer's newest message: a console
 * cannot mark as read what has not arrived. Answers the new mark (0: unchanged), or undefined
 * when the session is not the agent's.
 */
async function markRead(db: Db, agentId: string, sessionId: number, upTo: number): Promise<number | undefined> {
  const session = await db.selectFrom('sessions').select(['id', 'agent_read_id']).where('id', '=', sessionId).where('agent_id', '=', agentId).executeTakeFirst();
  if (!session) return undefined;
  const newest = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('session_id', '=', sessionId)
    .where('sender', '=', 'customer')
    .where('id', '<=', upTo)
    .executeTakeFirst();
  const mark = Number(newest?.id ?? 0);
  if (mark <= Number(session.agent_read_id)) return 0;
  const updated = await db.updateTable('sessions').set({ agent_read_id: mark }).where('id', '=', sessionId).where('agent_read_id', '<', mark).executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0 ? mark : 0;
}

/** The customer typing, to the agent's tabs; left messages, to the agents of the queue. Returns what stops it. */
export function fanOutSignals(io: AgentServer, deps: { db: Db; events: EventBus; log: Logger }): () => void {
  return deps.events.on((event) => {
    if (event.type === 'typing' && event.party === 'customer') {
      io.to(agentRoom(event.agentId)).emit(ServerEvent.CHAT_TYPING, { sessionId: event.sessionId, typing: event.typing });
    } else if (event.type === 'preview') {
      io.to(agentRoom(event.agentId)).emit(ServerEvent.CHAT_PREVIEW, { sessionId: event.sessionId, text: event.text });
    } else if (event.type === 'left-messages') {
      deps.db
        .selectFrom('agent_queues')
        .select('agent_id')
        .where('queue_id', '=', event.queueId)
        .execute()
        .then((rows) => {
          if (rows.length > 0) io.to(rows.map((r) => agentRoom(r.agent_id))).emit(ServerEvent.LEFT_MESSAGES_CHANGED);
        })
        .catch((error: unknown) => deps.log.error({ err: error }, 'left-messages push failed'));
    }
  });
}

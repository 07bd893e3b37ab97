/**
 * Supervisors and admins follow any session read-only: `session.watch` joins the session's
 * room, whose messages and closing then reach them as they reach its agent; `session.unwatch`
 * leaves it. Both take a WatchBody and are answered with a WatchAnswer.
 */
import { ClientEvent, WatchBody, type WatchAnswer } from '@elitewebchat/protocol';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import type { Db } from '../db/database.js';
import { sessionRoom, type AgentSocket } from './io.js';

const watchBody = Compile(WatchBody);

/** The acknowledgement a client may pass; without one, answers go nowhere. */
const answerer = (ack: unknown) => (typeof ack === 'function' ? (ack as (answer: WatchAnswer) => void) : () => undefined);

export function handleWatching(socket: AgentSocket, deps: { db: Db; log: Logger }): void {
  const { agent } = socket.data;

  // What arrives is checked, whatever the typed map says.
  socket.on(ClientEvent.SESSION_WATCH, (body: unknown, ack?: unknown) => {
    const reply = answerer(ack);
    if (agent.role === 'agent') return reply({ ok: false, error: 'only supervisors and admins watch sessions' });
    if (!watchBody.Check(body)) return reply({ ok: false, error: 'sessionId must be a positive integer' });
    const { sessionId } = body;
    deps.db
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', sessionId)
      .executeTakeFirst()
      .then(async (row) => {
        if (!row) return reply({ ok: false, error: `no session ${sessionId}` });
        await socket.join(sessionRoom(sessionId));
        reply({ ok: true });
      })
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'session.watch failed');
        reply({ ok: false, error: 'internal error' });
      });
  });

  socket.on(ClientEvent.SESSION_UNWATCH, (body: unknown, ack?: unknown) => {
    if (watchBody.Check(body)) void socket.leave(sessionRoom(body.sessionId));
    answerer(ack)({ ok: true });
  });
}

/**
 * The agent is typing in a chat. One way in for the console's socket (`chat.typing`) and the
 * agent API (POST /api/v1/agent/sessions/:id/typing): the web chat shows it (a `typing` event),
 * and a TPI channel whose laterCallbacks ask for `typing` gets a `msg` notice of type 5, at most
 * one per TYPING_NOTICE_MS per session: more are dropped, not delayed (the console says it at
 * most every 3 s while the agent types, and a notice that comes late says nothing).
 */
import type { AgentRow } from '../../db/schema.js';
import { asksFor, enqueueCallback, typingNoticeCallback } from '../../delivery/outbox.js';
import type { ChatContext } from './context.js';

export const TYPING_NOTICE_MS = 3_000;
/** Past this many sessions remembered, those whose notice is older than TYPING_NOTICE_MS are forgotten. */
const REMEMBERED = 1_000;

export class AgentTyping {
  /** When each session's last typing notice was written (by this process). */
  private readonly noticed = new Map<number, number>();

  constructor(private readonly ctx: ChatContext) {}

  /** The agent started (or stopped) typing in an open session of theirs; false when it is not one. */
  async typing(agent: AgentRow, sessionId: number, typing: boolean): Promise<boolean> {
    const { db, events, clock } = this.ctx;
    const session = await db
      .selectFrom('sessions as s')
      .leftJoin('channels as c', 'c.id', 's.channel_id')
      .select(['s.id', 's.client_id', 's.channel_id', 's.callback_base', 'c.later_callbacks', 'c.language'])
      .where('s.id', '=', sessionId)
      .where('s.agent_id', '=', agent.id)
      .where('s.status', '=', 'open')
      .executeTakeFirst();
    if (!session) return false;
    events.emit({ type: 'typing', sessionId: session.id, agentId: agent.id, party: 'agent', typing });
    const now = clock();
    if (typing && session.callback_base !== null && asksFor(session, 'typing') && this.due(session.id, now)) {
      await enqueueCallback(db, session, 'msg', typingNoticeCallback(agent, session, session.language, now), now);
      events.emit({ type: 'outbox' });
    }
    return true;
  }

  /** Whether a notice may go now; if so, it counts as sent (checked and marked at once: two calls at the same time send one). */
  private due(sessionId: number, now: number): boolean {
    const last = this.noticed.get(sessionId);
    // (A clock set back does not silence a session.)
    if (last !== undefined && now - last < TYPING_NOTICE_MS && now >= last) return false;
    if (this.noticed.size >= REMEMBERED) {
      for (const [id, at] of this.noticed) if (now - at >= TYPING_NOTICE_MS) this.noticed.delete(id);
    }
    this.noticed.set(sessionId, now);
    return true;
  }
}

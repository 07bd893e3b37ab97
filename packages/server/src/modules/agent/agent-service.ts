/** The agent's own affairs: logging in, status, and reading their sessions. */
import { LATEST_MESSAGES } from '@elitewebchat/protocol';
import type { AgentRow, AgentStatus, MessageRow, SessionRow } from '../../db/schema.js';
import { withDeliveries, type MarkedMessage } from '../../delivery/marks.js';
import { DomainError } from '../../common/domain-error.js';
import type { ChatContext } from '../chat/index.js';
import { dummyHash, hashPassword, verifyPassword } from '../../auth/passwords.js';
import { issueToken } from '../../auth/tokens.js';

export class AgentService {
  constructor(private readonly ctx: ChatContext) {}

  /** The same answer for an unknown user and a wrong password, after the same work. */
  async login(username: string, password: string): Promise<{ token: string; expiresAt: number; agent: AgentRow }> {
    const { db, clock, config } = this.ctx;
    const agent = await db.selectFrom('agents').selectAll().where('username', '=', username).executeTakeFirst();
    const ok = await verifyPassword(agent?.password_hash ?? (await dummyHash()), password);
    if (!agent || !ok || !agent.enabled) throw new DomainError('BAD_CREDENTIALS', 'wrong username or password');
    const token = await issueToken(db, agent.id, clock(), config.tokenTtlMs);
    return { ...token, agent };
  }

  /** A new password of the agent's own choosing; the one-time one, if it was, is used up. */
  async changePassword(agent: AgentRow, current: string, next: string): Promise<void> {
    if (!(await verifyPassword(agent.password_hash, current))) throw new DomainError('BAD_CREDENTIALS', 'the current password is wrong');
    if (current === next) throw new DomainError('INVALID_INPUT', 'the new password must differ from the current one');
    const hash = await hashPassword(next);
    await this.ctx.db
      .updateTable('agents')
      .set({ password_hash: hash, must_change_password: 0, updated_at: this.ctx.clock() })
      .where('id', '=', agent.id)
      .execute();
  }

  async queueIds(agentId: string): Promise<number[]> {
    const rows = await this.ctx.db.selectFrom('agent_queues').select('queue_id').where('agent_id', '=', agentId).orderBy('queue_id').execute();
    return rows.map((r) => r.queue_id);
  }

  async setStatus(agent: AgentRow, status: AgentStatus): Promise<AgentRow> {
    const now = this.ctx.clock();
    const updated = await this.ctx.db
      .updateTable('agents')
      // A status the agent chose is no longer the platform's "not responding".
      .set(status === 'online' && agent.status !== 'online' ? { status, idle_since: now, updated_at: now, away_reason: null, missed_offers: 0 } : { status, updated_at: now, away_reason: null })
      .where('id', '=', agent.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    this.ctx.events.emit({ type: 'agent-status', agentId: agent.id, status });
    return updated;
  }

  /** Sets an agent away if they are online (presence: their live feeds are gone); says whether it did. */
  async awayIfOnline(agentId: string): Promise<boolean> {
    const now = this.ctx.clock();
    const updated = await this.ctx.db
      .updateTable('agents')
      .set({ status: 'away', updated_at: now })
      .where('id', '=', agentId)
      .where('status', '=', 'online')
      .returning('id')
      .executeTakeFirst();
    if (updated) this.ctx.events.emit({ type: 'agent-status', agentId, status: 'away' });
    return updated !== undefined;
  }

  /** Open sessions, oldest first, or a page of closed ones, newest first. */
  async sessions(agentId: string, status: 'open' | 'closed', limit: number, before?: number): Promise<SessionRow[]> {
    return this.ctx.db
      .selectFrom('sessions')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('status', '=', status)
      .$if(before !== undefined, (q) => q.where('id', '<', before!))
      .orderBy('id', status === 'open' ? 'asc' : 'desc')
      .$if(status === 'closed', (q) => q.limit(limit))
      .execute();
  }

  async session(agentId: string, sessionId: number): Promise<SessionRow> {
    const row = await this.ctx.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    if (!row || row.agent_id !== agentId) throw new DomainError('SESSION_NOT_FOUND', `no session ${sessionId} of yours`);
    return row;
  }

  /** Every message of these sessions, in order, replies with their delivery marks. */
  async messagesOf(sessionIds: number[]): Promise<Map<number, MarkedMessage[]>> {
    const bySession = new Map<number, MarkedMessage[]>(sessionIds.map((id) => [id, []]));
    if (sessionIds.length === 0) return bySession;
    const rows = await this.ctx.db.selectFrom('messages').selectAll().where('session_id', 'in', sessionIds).orderBy('id').execute();
    for (const row of await withDeliveries(this.ctx.db, rows)) bySession.get(row.session_id!)?.push(row);
    return bySession;
  }

  /**
   * The latest `limit` messages of each session, in order, and whether it has earlier ones
   * (paged with messagePage's `before`). What lists several sessions uses this, so that long
   * chats cost the same as short ones. The marks of all their replies are read at once.
   */
  async latestMessagesOf(sessionIds: number[], limit = LATEST_MESSAGES): Promise<Map<number, { messages: MarkedMessage[]; hasEarlier: boolean }>> {
    const pages = await Promise.all(sessionIds.map((id) => this.page(id, { before: Number.MAX_SAFE_INTEGER, limit })));
    const marked = await withDeliveries(this.ctx.db, pages.flatMap((p) => p.messages));
    let at = 0;
    return new Map(
      sessionIds.map((id, i) => {
        const n = pages[i]!.messages.length;
        at += n;
        return [id, { messages: marked.slice(at - n, at), hasEarlier: pages[i]!.hasMore }];
      }),
    );
  }

  /** A page of one session's messages: after an id (oldest first) or before one (the page before it). */
  async messagePage(sessionId: number, opts: { after?: number | undefined; before?: number | undefined; limit: number }): Promise<{ messages: MarkedMessage[]; hasMore: boolean }> {
    const page = await this.page(sessionId, opts);
    return { messages: await withDeliveries(this.ctx.db, page.messages), hasMore: page.hasMore };
  }

  private async page(sessionId: number, opts: { after?: number | undefined; before?: number | undefined; limit: number }): Promise<{ messages: MessageRow[]; hasMore: boolean }> {
    const { db } = this.ctx;
    let q = db.selectFrom('messages').selectAll().where('session_id', '=', sessionId);
    if (opts.before !== undefined) {
      const rows = await q.where('id', '<', opts.before).orderBy('id', 'desc').limit(opts.limit + 1).execute();
      return { messages: rows.slice(0, opts.limit).reverse(), hasMore: rows.length > opts.limit };
    }
    if (opts.after !== undefined) q = q.where('id', '>', opts.after);
    const rows = await q.orderBy('id', 'asc').limit(opts.limit + 1).execute();
    return { messages: rows.slice(0, opts.limit), hasMore: rows.length > opts.limit };
  }

  async image(agentId: string, imageId: number): Promise<{ mime: string; name: string; data: Buffer }> {
    const row = await this.ctx.db
      .selectFrom('images')
      .innerJoin('sessions', 'sessions.id', 'images.session_id')
      .select(['images.mime', 'images.name', 'images.data', 'sessions.agent_id'])
      .where('images.id', '=', imageId)
      .executeTakeFirst();
    if (!row || row.agent_id !== agentId) throw new DomainError('NOT_FOUND', `no image ${imageId} in your sessions`);
    return { mime: row.mime, name: row.name, data: Buffer.from(row.data) };
  }

  /** A customer's voice, video or file, in a session the agent has. */
  async file(agentId: string, fileId: number): Promise<{ mime: string; name: string; type: string; data: Buffer }> {
    const row = await this.ctx.db
      .selectFrom('messages')
      .innerJoin('sessions', 'sessions.id', 'messages.session_id')
      .innerJoin('files', 'files.id', 'messages.file_id')
      .select(['files.mime', 'files.name', 'files.type', 'files.data'])
      .where('messages.file_id', '=', fileId)
      .where('sessions.agent_id', '=', agentId)
      .executeTakeFirst();
    if (!row) throw new DomainError('NOT_FOUND', `no file ${fileId} in your sessions`);
    return { mime: row.mime, name: row.name, type: row.type, data: Buffer.from(row.data) };
  }
}

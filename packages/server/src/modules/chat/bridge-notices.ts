/**
 * What an agent bridge is told about its agents' chats: offers, assignments, the customer's
 * messages and the end of a chat, as callbacks written in the transaction of the change (offer,
 * assigned, closed) or, for messages, relayed from the store: each bridged session remembers
 * the last customer message sent to its bridge (`sessions.bridge_relayed_id`), so a message
 * stored just before a crash is relayed after the restart, once.
 */
import { messageSummary, SUMMARISED_KINDS } from '../../files/media-summary.js';
import type { ClientSource, MessageView } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { AgentBridgeRow, AgentRow, ChatRequestRow, Party, SessionRow } from '../../db/schema.js';
import { bridgeOrderKey, enqueueBridgeCallback } from '../../delivery/bridge-outbox.js';
import type { ChatContext } from './context.js';

/** Customer messages per relay transaction; more are relayed by the next one. */
const RELAY_BATCH = 100;

export class BridgeNotices {
  /** agent id → its bridge id, or null for a console agent; dropped when agents change. */
  private readonly bridgeOf = new Map<string, string | null>();

  constructor(private readonly ctx: ChatContext) {
    ctx.events.on((event) => {
      if (event.type === 'channels-changed') this.bridgeOf.clear();
      else if (event.type === 'message' && event.message.sender === 'customer') {
        void this.isBridged(event.agentId)
          .then((bridged) => (bridged ? this.relay(event.sessionId) : undefined))
          .catch((error: unknown) => ctx.log.error({ err: error, sessionId: event.sessionId }, 'bridge relay failed'));
      }
    });
  }

  private async isBridged(agentId: string): Promise<boolean> {
    let bridge = this.bridgeOf.get(agentId);
    if (bridge === undefined) {
      const row = await this.ctx.db.selectFrom('agents').select('bridge_id').where('id', '=', agentId).executeTakeFirst();
      bridge = row?.bridge_id ?? null;
      this.bridgeOf.set(agentId, bridge);
    }
    return bridge !== null;
  }

  private bridge(trx: Db, id: string): Promise<AgentBridgeRow | undefined> {
    return trx.selectFrom('agent_bridges').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async offer(trx: Db, agent: AgentRow, request: ChatRequestRow, deadline: number, now: number): Promise<void> {
    const bridge = agent.bridge_id === null ? undefined : await this.bridge(trx, agent.bridge_id);
    if (!bridge) return;
    const pre = await trx.selectFrom('messages').select(['text', 'created_at']).where('request_id', '=', request.id).where('kind', '=', 'pre').orderBy('id').execute();
    await enqueueBridgeCallback(trx, bridge, bridgeOrderKey.offer(request.id), 'offer', {
      agentId: agent.id,
      requestId: request.id,
      clientId: request.client_id,
      nickname: request.nickname,
      from: request.source as ClientSource,
      queueId: request.queue_id,
      waitingSince: request.created_at,
      deadline,
      preMessages: pre.map((m) => ({ text: m.text ?? '', time: m.created_at })),
      time: now,
    }, now);
  }

  async assigned(trx: Db, agent: AgentRow, request: ChatRequestRow, session: SessionRow, now: number): Promise<void> {
    const bridge = agent.bridge_id === null ? undefined : await this.bridge(trx, agent.bridge_id);
    if (!bridge) return;
    await enqueueBridgeCallback(trx, bridge, bridgeOrderKey.session(session.id), 'assigned', {
      agentId: agent.id,
      requestId: request.id,
      sessionId: session.id,
      clientId: session.client_id,
      nickname: session.nickname,
      from: session.source as ClientSource,
      queueId: session.queue_id,
      time: now,
    }, now);
  }

  /** The chat ended, or left the bridged agent (reason 'transferred'). */
  async closed(trx: Db, session: SessionRow, by: Party, reason: string | null, now: number): Promise<void> {
    const agent = await trx.selectFrom('agents').select('bridge_id').where('id', '=', session.agent_id).executeTakeFirst();
    const bridge = agent?.bridge_id ? await this.bridge(trx, agent.bridge_id) : undefined;
    if (!bridge) return;
    // Whatever the customer wrote before the end still reaches the bridge, ahead of `closed`.
    await this.relayIn(trx, session, bridge, now);
    await enqueueBridgeCallback(trx, bridge, bridgeOrderKey.session(session.id), 'closed', {
      agentId: session.agent_id,
      sessionId: session.id,
      clientId: session.client_id,
      by,
      reason,
      time: now,
    }, now);
  }

  /** Sends a bridged session's customer messages not yet sent to its bridge. */
  async relay(sessionId: number): Promise<void> {
    const now = this.ctx.clock();
    const relayed = await this.ctx.db.transaction().execute(async (trx) => {
      const session = await trx
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', sessionId)
        .where('status', '=', 'open')
        .$if(this.ctx.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!session) return 0;
      const agent = await trx.selectFrom('agents').select('bridge_id').where('id', '=', session.agent_id).executeTakeFirst();
      const bridge = agent?.bridge_id ? await this.bridge(trx, agent.bridge_id) : undefined;
      return bridge ? this.relayIn(trx, session, bridge, now) : 0;
    });
    if (relayed > 0) this.ctx.events.emit({ type: 'outbox' });
    if (relayed === RELAY_BATCH) await this.relay(sessionId);
  }

  /** After a restart: every open bridged session with customer messages its bridge has not had. */
  async catchUp(): Promise<void> {
    const behind = await this.ctx.db
      .selectFrom('sessions as s')
      .innerJoin('agents as a', 'a.id', 's.agent_id')
      .select('s.id')
      .where('s.status', '=', 'open')
      .where('a.bridge_id', 'is not', null)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('messages as m').select('m.id').whereRef('m.session_id', '=', 's.id').whereRef('m.id', '>', 's.bridge_relayed_id').where('m.sender', '=', 'customer')),
      )
      .execute();
    for (const s of behind) await this.relay(s.id);
  }

  private async relayIn(trx: Db, session: SessionRow, bridge: AgentBridgeRow, now: number): Promise<number> {
    const rows = await trx
      .selectFrom('messages')
      .select(['id', 'kind', 'text', 'image_id', 'media', 'created_at'])
      .where('session_id', '=', session.id)
      .where('id', '>', session.bridge_relayed_id)
      .where('sender', '=', 'customer')
      .where('kind', 'in', SUMMARISED_KINDS)
      .orderBy('id')
      .limit(RELAY_BATCH)
      .execute();
    if (rows.length === 0) return 0;
    for (const m of rows) {
      const content: Pick<MessageView, 'text'> & { imageUrl?: string } =
        m.kind === 'image' ? { imageUrl: `/api/v1/bridge/images/${m.image_id}` } : { text: messageSummary(m) };
      await enqueueBridgeCallback(trx, bridge, bridgeOrderKey.session(session.id), 'message', {
        agentId: session.agent_id,
        sessionId: session.id,
        clientId: session.client_id,
        messageId: m.id,
        ...content,
        time: m.created_at,
      }, now);
    }
    await trx.updateTable('sessions').set({ bridge_relayed_id: rows[rows.length - 1]!.id }).where('id', '=', session.id).execute();
    return rows.length;
  }
}

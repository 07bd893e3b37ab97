/**
 * An open chat between a customer and an agent, and everything either side does to it. Each
 * change is one transaction together with the callback it causes; listeners hear of it after.
 */
import { formatMessage, IMAGE_UPLOAD_TYPES, NoticeType, parseMessage, RequestStatus, type CallbackBodies, type CallbackName, type SessionEventView } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { AgentRow, ChannelRow, MessageMedia, MessageRow, NewMessage, Party, SessionRow } from '../../db/schema.js';
import { asksFor, enqueueCallback, msgCallback } from '../../delivery/outbox.js';
import { agentFilePath } from '../../files/file-store.js';
import { DomainError } from '../../common/domain-error.js';
import { decodeImageBytes, decodeImageDataUri, ImageError, type DecodedImage } from '../../images/image-data.js';
import type { ChatContext } from './context.js';

import { CustomerMessageWriter, type Stored } from './customer-messages.js';
import { isUniqueViolation } from '../../common/store-errors.js';
import { ratingScale } from '../directory/index.js';
import type { BridgeNotices } from './bridge-notices.js';

/** A file an agent sends, as kept, and the platform's origin its link starts with. */
export interface AgentFile {
  id: number;
  publicId: string;
  name: string;
  type: string;
  size: number;
  origin: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Lookup = { kind: 'customer'; channel: ChannelRow } | { kind: 'agent'; agent: AgentRow };

export class SessionService {
  // ---- the customer's side (TPI) ----

  private readonly texts: CustomerMessageWriter;

  constructor(
    private readonly ctx: ChatContext,
    private readonly bridges: BridgeNotices,
  ) {
    this.texts = new CustomerMessageWriter(ctx);
  }

  customerText(channel: ChannelRow, sessionId: number, clientId: string, text: string, clientTime?: number, msgId?: string, extra?: string): Promise<Stored> {
    return this.texts.write({ channel, sessionId, clientId, text, clientTime, msgId, extra });
  }

  /** 2002: an image, from a data URI (seed) or read by `source` (a later call's imageUri), once the session is known to be right. */
  customerImage(
    channel: ChannelRow,
    sessionId: number,
    clientId: string,
    name: string | undefined,
    source: string | (() => Promise<Buffer>),
    clientTime?: number,
    msgId?: string,
    extra?: string,
  ): Promise<Stored> {
    return this.customerAttachment(
      channel,
      sessionId,
      clientId,
      { kind: 'image', clientTime, msgId, extra },
      async () => {
        try {
          return typeof source === 'string' ? decodeImageDataUri(source, this.ctx.config.maxImageBytes) : decodeImageBytes(await source(), this.ctx.config.maxImageBytes);
        } catch (error) {
          if (error instanceof ImageError) throw new DomainError('INVALID_INPUT', error.message);
          throw error;
        }
      },
      async (trx, session, image) => ({ image_id: await this.keepImage(trx, session.id, name || 'image', image), text: name || null }),
    );
  }

  /** An image kept for a session (a customer's image, a thumbnail): its id in `images`. */
  async keepImage(trx: Db, sessionId: number, name: string, image: DecodedImage): Promise<number> {
    const row = await trx
      .insertInto('images')
      .values({ session_id: sessionId, name, mime: image.mime, size: image.bytes.length, width: image.width, height: image.height, data: image.bytes, created_at: this.ctx.clock() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * A customer's message that carries more than text (an image, voice, a location, a file, a
   * video). The session is checked first, so that a wrong session answers -11/-9 and not a file
   * error (and again under lock when the message is written); a retry of a stored msgId is
   * answered without loading anything again; `prepare` loads and checks what the message carries,
   * outside any transaction; `write` stores it with the message.
   */
  async customerAttachment<T>(
    channel: ChannelRow,
    sessionId: number,
    clientId: string,
    message: { kind: NewMessage['kind']; clientTime?: number | undefined; msgId?: string | undefined; extra?: string | undefined },
    prepare: () => Promise<T>,
    write: (trx: Db, session: SessionRow, prepared: T) => Promise<Partial<NewMessage>>,
  ): Promise<Stored> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const session = await this.openSession(trx, sessionId, { kind: 'customer', channel });
      if (session.client_id !== clientId) {
        throw new DomainError('NOT_THE_CUSTOMER', `clientId ${clientId} is not the customer of session ${sessionId}`);
      }
    });
    const { msgId } = message;
    if (msgId !== undefined && (await this.hasMsgId(sessionId, msgId))) return 'duplicate';
    const prepared = await prepare();
    try {
      await this.customerMessage(
        channel,
        sessionId,
        clientId,
        { kind: message.kind, client_time: message.clientTime ?? null, client_msg_id: msgId ?? null, extra: message.extra ?? null },
        (trx, session) => write(trx, session, prepared),
      );
    } catch (error) {
      // The same msgId written by a concurrent retry.
      if (msgId !== undefined && isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
    return 'stored';
  }

  private async hasMsgId(sessionId: number, msgId: string): Promise<boolean> {
    const row = await this.ctx.db.selectFrom('messages').select('id').where('session_id', '=', sessionId).where('client_msg_id', '=', msgId).executeTakeFirst();
    return row !== undefined;
  }

  private async customerMessage(
    channel: ChannelRow,
    sessionId: number,
    clientId: string,
    message: Pick<NewMessage, 'kind' | 'client_time'> & Partial<NewMessage>,
    before?: (trx: Db, session: SessionRow) => Promise<Partial<NewMessage>>,
  ): Promise<void> {
    const now = this.ctx.clock();
    const done = await this.ctx.db.transaction().execute(async (trx) => {
      const session = await this.openSession(trx, sessionId, { kind: 'customer', channel });
      if (session.client_id !== clientId) {
        throw new DomainError('NOT_THE_CUSTOMER', `clientId ${clientId} is not the customer of session ${sessionId}`);
      }
      const extra = before ? await before(trx, session) : {};
      const row = await this.insertMessage(trx, { ...message, ...extra, session_id: session.id, sender: 'customer', created_at: now });
      return { session, row };
    });
    this.ctx.events.emit({ type: 'message', agentId: done.session.agent_id, sessionId, message: done.row });
  }

  /** 4001: the customer ends the chat. The agent is told; no callback goes back. */
  async customerClose(channel: ChannelRow, sessionId: number): Promise<void> {
    await this.close({ kind: 'customer', channel }, sessionId, 'customer');
  }

  /**
   * 5001. A rating usually arrives after the agent has asked for it and often after the chat
   * has ended, so a closed session takes one too; the latest rating is the session's.
   */
  /** `extensions`: a later 5001's ratingExtends, kept with the rating. */
  async rate(channel: ChannelRow, sessionId: number, ratingId: number, comments: string, extensions?: Record<string, unknown>): Promise<void> {
    const now = this.ctx.clock();
    const scale = await ratingScale(this.ctx.db);
    if (scale.length > 0 && !scale.some((r) => r.id === ratingId)) {
      throw new DomainError('INVALID_INPUT', `ratingId ${ratingId} is not on this platform's rating scale; allowed: ${scale.map((r) => r.id).join(', ')}`);
    }
    const done = await this.ctx.db.transaction().execute(async (trx) => {
      const session = await this.findSession(trx, sessionId, { kind: 'customer', channel });
      await trx
        .updateTable('sessions')
        .set({ rating_id: ratingId, rating_comments: comments, rated_at: now, rating_extends: extensions === undefined ? null : JSON.stringify(extensions) })
        .where('id', '=', session.id)
        .execute();
      const row = await this.insertEvent(trx, session.id, 'customer', { event: 'rated', ratingId, comments, ...(extensions === undefined ? {} : { extends: extensions as Record<string, string | number | boolean> }) }, now);
      return { session, row };
    });
    this.ctx.events.emit({ type: 'message', agentId: done.session.agent_id, sessionId, message: done.row });
  }

  /** 5002: the customer's id changes (e.g. the third party re-identified them). */
  async changeClient(channel: ChannelRow, sessionId: number, clientId: string): Promise<void> {
    const now = this.ctx.clock();
    let done;
    try {
      done = await this.ctx.db.transaction().execute(async (trx) => {
        const session = await this.openSession(trx, sessionId, { kind: 'customer', channel });
        if (session.client_id === clientId) return undefined;
        await trx.updateTable('sessions').set({ client_id: clientId }).where('id', '=', session.id).execute();
        const row = await this.insertEvent(trx, session.id, 'customer', { event: 'client-changed', from: session.client_id, to: clientId }, now);
        return { session, row };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new DomainError('CLIENT_ID_TAKEN', `client ${clientId} already has another open session`);
    }
    if (done) this.ctx.events.emit({ type: 'message', agentId: done.session.agent_id, sessionId, message: done.row });
  }

  /**
   * 2022 and 2021 (later wire): the customer is typing, and what, not yet sent. Nothing is
   * stored; the session's agent hears it. A queued session (no agent yet) takes it silently.
   */
  async customerSignal(channel: ChannelRow, sessionId: number, preview?: string): Promise<void> {
    const session = await this.ctx.db.selectFrom('sessions').select(['id', 'channel_id', 'status', 'agent_id']).where('id', '=', sessionId).executeTakeFirst();
    if (!session || session.channel_id !== channel.id) throw new DomainError('SESSION_NOT_FOUND', `no session ${sessionId} for this channel`);
    if (session.status === 'closed') throw new DomainError('SESSION_CLOSED', `session ${sessionId} is closed`);
    if (session.status !== 'open') return;
    if (preview === undefined) this.ctx.events.emit({ type: 'typing', sessionId, agentId: session.agent_id, party: 'customer', typing: true });
    else this.ctx.events.emit({ type: 'preview', sessionId, agentId: session.agent_id, text: preview });
  }

  /**
   * 2024 (later wire): a notice from the customer's side, kept in the session's stream. Type 6
   * takes back the customer's message whose messageId (msgId) is `notice`: it stays stored,
   * marked, and agents see it withdrawn. Answers false when there is no such message to take back.
   */
  async customerNotice(channel: ChannelRow, sessionId: number, noticeType: number, notice: string): Promise<boolean> {
    const now = this.ctx.clock();
    const done = await this.ctx.db.transaction().execute(async (trx) => {
      const session = await this.openSession(trx, sessionId, { kind: 'customer', channel });
      let event: SessionEventView;
      if (noticeType === NoticeType.REVOKE_MESSAGE) {
        const taken = await trx
          .updateTable('messages')
          .set({ revoked_at: now })
          .where('session_id', '=', session.id)
          .where('client_msg_id', '=', notice)
          .where('sender', '=', 'customer')
          .where('revoked_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!taken) return undefined;
        event = { event: 'revoked', messageId: Number(taken.id) };
      } else {
        event = { event: 'notice', noticeType, notice };
      }
      return { session, row: await this.insertEvent(trx, session.id, 'customer', event, now) };
    });
    if (!done) return false;
    this.ctx.events.emit({ type: 'message', agentId: done.session.agent_id, sessionId, message: done.row });
    return true;
  }

  // ---- the agent's side (agent API) ----

  async agentText(agent: AgentRow, sessionId: number, typed: string): Promise<MessageRow> {
    const now = this.ctx.clock();
    // Emoticons leave in their canonical spelling (code 17's en-dash form becomes /:--b).
    const text = formatMessage(parseMessage(typed));
    const row = await this.withCallback(agent, sessionId, 'msg', async (trx, session) => {
      const message = await this.insertMessage(trx, { session_id: session.id, sender: 'agent', kind: 'text', text, created_at: now });
      return { message, body: msgCallback(agent, session, text, now) };
    });
    return row;
  }

  /**
   * An image or a file the agent sends (kept already, see FileStore.keepAgentFile). The third
   * party gets it in a `msg`: as `<img>` or `<a>` to a channel that asked for rich content, as
   * the name and the link to the others; the web chat shows the image, or the name and the link.
   */
  async agentFile(agent: AgentRow, sessionId: number, file: AgentFile): Promise<MessageRow> {
    const now = this.ctx.clock();
    const image = (IMAGE_UPLOAD_TYPES as readonly string[]).includes(file.type);
    return this.withCallback(agent, sessionId, 'msg', async (trx, session) => {
      const media: MessageMedia = { file: { name: file.name, type: file.type, size: file.size, publicId: file.publicId } };
      const message = await this.insertMessage(trx, { session_id: session.id, sender: 'agent', kind: image ? 'image' : 'file', text: file.name, file_id: file.id, media: JSON.stringify(media), created_at: now });
      const channel = await trx.selectFrom('channels').select('later_callbacks').where('id', '=', session.channel_id).executeTakeFirst();
      const link = `${file.origin}${agentFilePath(file.publicId)}`;
      const content = asksFor(channel, 'richContent')
        ? image
          ? `<img src="${escapeHtml(link)}" alt="${escapeHtml(file.name)}">`
          : `<a href="${escapeHtml(link)}" download="${escapeHtml(file.name)}">${escapeHtml(file.name)}</a>`
        : `${file.name} ${link}`;
      return { message, body: msgCallback(agent, session, content, now) };
    });
  }

  async agentRatingRequest(agent: AgentRow, sessionId: number): Promise<MessageRow> {
    const now = this.ctx.clock();
    return this.withCallback(agent, sessionId, 'pushRating', async (trx, session) => ({
      message: await this.insertEvent(trx, session.id, 'agent', { event: 'rating-requested' }, now),
      body: { sessionId: session.id, agentId: agent.id, clientId: session.client_id },
    }));
  }

  async agentClose(agent: AgentRow, sessionId: number): Promise<void> {
    await this.close({ kind: 'agent', agent }, sessionId, 'agent');
  }

  private async withCallback<N extends CallbackName>(
    agent: AgentRow,
    sessionId: number,
    name: N,
    work: (trx: Db, session: SessionRow) => Promise<{ message: MessageRow; body: CallbackBodies[N] }>,
  ): Promise<MessageRow> {
    const now = this.ctx.clock();
    const done = await this.ctx.db.transaction().execute(async (trx) => {
      const session = await this.openSession(trx, sessionId, { kind: 'agent', agent });
      const { message, body } = await work(trx, session);
      await enqueueCallback(trx, session, name, body, now, name === 'msg' ? message.id : undefined);
      return message;
    });
    this.ctx.events.emit({ type: 'outbox' });
    this.ctx.events.emit({ type: 'message', agentId: agent.id, sessionId, message: done });
    return done;
  }

  private async close(who: Lookup, sessionId: number, by: Party): Promise<void> {
    const now = this.ctx.clock();
    const done = await this.ctx.db.transaction().execute(async (trx) => {
      const session = await this.openSession(trx, sessionId, who);
      await this.bridges.closed(trx, session, by, null, now);
      await trx
        .updateTable('sessions')
        .set({ status: 'closed', closed_at: now, closed_by: by })
        .where('id', '=', session.id)
        .execute();
      if (session.status === 'queued') {
        // Transferred to a queue and waiting there: its request no longer waits either.
        await trx
          .updateTable('chat_requests')
          .set({ status: RequestStatus.CANCELED_BY_CLIENT, ended_at: now })
          .where('id', '=', session.request_id)
          .where('status', '=', RequestStatus.WAITING)
          .execute();
      } else {
        await trx.updateTable('agents').set({ idle_since: now }).where('id', '=', session.agent_id).execute();
      }
      const row = await this.insertEvent(trx, session.id, by, { event: 'closed', by }, now);
      if (by === 'agent') {
        await enqueueCallback(trx, session, 'close', { sessionId: session.id, agentId: session.agent_id, clientId: session.client_id, time: now }, now);
      }
      return { session, row };
    });
    const { agent_id: agentId } = done.session;
    this.ctx.events.emit({ type: 'message', agentId, sessionId, message: done.row });
    this.ctx.events.emit({ type: 'closed', agentId, sessionId, by });
    if (by === 'agent') this.ctx.events.emit({ type: 'outbox' });
    this.ctx.events.emit({ type: 'capacity' });
  }

  // ---- shared ----

  /** The session, locked for this transaction on PostgreSQL, if the caller may touch it. */
  private async findSession(trx: Db, sessionId: number, who: Lookup): Promise<SessionRow> {
    const session = await trx
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .$if(this.ctx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (who.kind === 'customer') {
      if (!session || session.channel_id !== who.channel.id) {
        throw new DomainError('SESSION_NOT_FOUND', `no session ${sessionId} for this channel`);
      }
    } else if (!session || session.agent_id !== who.agent.id) {
      throw new DomainError('SESSION_NOT_FOUND', `no session ${sessionId} of yours`);
    }
    return session;
  }

  /**
   * A session the caller may still write to: open, or for the customer also queued (transferred
   * to a queue: what they write waits there for the next agent).
   */
  private async openSession(trx: Db, sessionId: number, who: Lookup): Promise<SessionRow> {
    const session = await this.findSession(trx, sessionId, who);
    if (session.status === 'closed' || (session.status === 'queued' && who.kind === 'agent')) {
      throw new DomainError('SESSION_CLOSED', `session ${sessionId} is ${session.status}`);
    }
    return session;
  }

  private insertMessage(trx: Db, values: NewMessage): Promise<MessageRow> {
    return trx.insertInto('messages').values(values).returningAll().executeTakeFirstOrThrow();
  }

  private insertEvent(trx: Db, sessionId: number, sender: Party, event: SessionEventView, now: number): Promise<MessageRow> {
    return this.insertMessage(trx, { session_id: sessionId, sender, kind: 'event', event: JSON.stringify(event), created_at: now });
  }
}

/**
 * Customers' text messages (2001), written in groups: every message that arrives while the
 * previous group is being written goes into the next one, in one transaction with one session
 * read and one insert. Each message is still checked on its own, answered only after its group
 * has committed, and stored in arrival order. Under load this turns a commit per message into
 * a commit per group; with one message at a time it is the same as writing it alone.
 *
 * This is the platform's hottest path (the ingest benchmark), so on SQLite the group is
 * written with statements prepared here once instead of through the query builder, and, when
 * no transaction of Kysely's is open on the connection, at once and synchronously: begin to
 * commit without giving up the thread, so nothing else can run on the connection meanwhile.
 */
import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { Pool as PgPool } from 'pg';
import type { ChannelRow, MessageRow, NewMessage, SessionRow } from '../../db/schema.js';
import { DomainError } from '../../common/domain-error.js';
import type { ChatContext } from './context.js';

export interface CustomerText {
  channel: ChannelRow;
  sessionId: number;
  clientId: string;
  text: string;
  clientTime?: number | undefined;
  msgId?: string | undefined;
  /** TPI `extra` (later calls): kept with the message. */
  extra?: string | undefined;
}

/** 'duplicate': a message with this msgId is already stored in the session. */
export type Stored = 'stored' | 'duplicate';

interface Pending {
  message: CustomerText;
  resolve(outcome: Stored): void;
  reject(error: unknown): void;
}

type Row = Pick<NewMessage, 'session_id' | 'text' | 'client_time' | 'client_msg_id' | 'extra' | 'created_at'>;
type SessionFacts = Pick<SessionRow, 'id' | 'channel_id' | 'client_id' | 'status' | 'agent_id'>;
type KnownMsgId = { session_id: number | null; client_msg_id: string | null };

const MAX_GROUP = 256;

/**
 * PostgreSQL, a group without msgIds (the common case): one statement, so one round trip and one
 * commit instead of four. It locks the group's sessions, inserts the messages whose session takes
 * them (checkSession's checks, in SQL), in arrival order, and returns the sessions it read and the
 * new ids; decide() then gives each message the outcome the statement gave it.
 */
const PG_CUSTOMER_TEXTS = `
  with s as (
    select id, channel_id, client_id, status, agent_id from sessions where id = any($1::bigint[]) for update
  ),
  v as (
    select * from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
      with ordinality as v(session_id, channel_id, client_id, text, client_time, extra, ord)
  ),
  ins as (
    insert into messages (session_id, sender, kind, text, client_time, extra, created_at)
    select v.session_id, 'customer', 'text', v.text, v.client_time, v.extra, $8::bigint
    from v join s on s.id = v.session_id
    where s.channel_id = v.channel_id and s.status <> 'closed' and s.client_id = v.client_id
    order by v.ord
    returning id
  )
  select (select json_agg(s) from s) as sessions, (select json_agg(ins.id) from ins) as ids`;

export class CustomerMessageWriter {
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;
  private readonly sqliteStatements = new Map<string, Statement>();

  constructor(private readonly ctx: ChatContext) {}

  write(message: CustomerText): Promise<Stored> {
    return new Promise<Stored>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.writing) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the messages of this turn of the event loop join the first group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      try {
        await this.writeGroup(group);
      } catch (error) {
        if (group.length === 1) {
          group[0]!.reject(error);
          continue;
        }
        // One message the store refused must not fail the others written with it: each again, alone.
        for (const m of group) await this.writeGroup([m]).catch((e: unknown) => m.reject(e));
      }
    }
    this.writing = undefined;
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    const now = this.ctx.clock();
    const messages = group.map((p) => p.message);
    const written = await this.store(messages, now);
    group.forEach((pending, i) => {
      const outcome = written[i]!;
      if (outcome instanceof DomainError) pending.reject(outcome);
      else if (outcome === 'duplicate') pending.resolve('duplicate');
      else {
        this.ctx.events.emit({ type: 'message', agentId: outcome.agentId, sessionId: pending.message.sessionId, message: outcome.row });
        pending.resolve('stored');
      }
    });
  }

  /** Writes a group on whichever store this is; every message's outcome, in order. */
  private store(messages: CustomerText[], now: number): Outcome[] | Promise<Outcome[]> {
    const { sqlite } = this.ctx;
    if (!sqlite) return this.ctx.pg && !msgIdsOf(messages) ? this.writePostgres(this.ctx.pg, messages, now) : this.writeKysely(messages, now);
    if (!sqlite.inTransaction) return this.writeSqlite(sqlite, messages, now);
    // A transaction of Kysely's is open: wait for its lock, then the same.
    return this.ctx.db.connection().execute(async () => this.writeSqlite(sqlite, messages, now));
  }

  /** Begin to commit with no await: nothing else runs on the connection meanwhile. */
  private writeSqlite(sqlite: SQLiteDatabase, messages: CustomerText[], now: number): Outcome[] {
    const statement = (sql: string) => {
      let s = this.sqliteStatements.get(sql);
      if (!s) {
        // IN lists of every length make many variants: bounded, as in database.ts.
        if (this.sqliteStatements.size >= 2_000) this.sqliteStatements.clear();
        this.sqliteStatements.set(sql, (s = sqlite.prepare(sql)));
      }
      return s;
    };
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
    statement('begin').run();
    try {
      const ids = sessionIdsOf(messages);
      const sessions = statement(`select id, channel_id, client_id, status, agent_id from sessions where id in (${marks(ids.length)})`).all(ids) as SessionFacts[];
      const asked = msgIdsOf(messages);
      const known = asked
        ? (statement(`select session_id, client_msg_id from messages where session_id in (${marks(asked.sessionIds.length)}) and client_msg_id in (${marks(asked.msgIds.length)})`).all([
            ...asked.sessionIds,
            ...asked.msgIds,
          ]) as KnownMsgId[])
        : [];
      const plan = decide(messages, sessions, known, now);
      let inserted: number[] = [];
      if (plan.rows.length > 0) {
        const sql = `insert into messages (session_id, sender, kind, text, client_time, client_msg_id, extra, created_at) values ${plan.rows
          .map(() => "(?, 'customer', 'text', ?, ?, ?, ?, ?)")
          .join(', ')} returning id`;
        const params = plan.rows.flatMap((r) => [r.session_id, r.text, r.client_time ?? null, r.client_msg_id ?? null, r.extra ?? null, r.created_at]);
        inserted = (statement(sql).all(params) as { id: number }[]).map((r) => r.id);
      }
      statement('commit').run();
      return plan.complete(inserted);
    } catch (error) {
      if (sqlite.inTransaction) statement('rollback').run();
      throw error;
    }
  }

  /**
   * PostgreSQL, a group without msgIds (the common case): one statement, so one round trip and
   * one commit instead of four round trips. It locks the group's sessions, inserts the messages
   * whose session takes them (the checks of checkSession, in SQL), and returns the sessions it
   * read and the new ids; decide() then gives each message the outcome the statement gave it.
   */
  private async writePostgres(pg: PgPool, messages: CustomerText[], now: number): Promise<Outcome[]> {
    const values = [
      sessionIdsOf(messages),
      messages.map((m) => m.sessionId),
      messages.map((m) => m.channel.id),
      messages.map((m) => m.clientId),
      messages.map((m) => m.text),
      messages.map((m) => m.clientTime ?? null),
      messages.map((m) => m.extra ?? null),
      now,
    ];
    type Result = { sessions: SessionFacts[] | null; ids: number[] | null };
    // Prepared once per connection (its text is the same for every group size: the group is arrays).
    const { rows } = await pg.query<Result>({ name: 'ewc_customer_texts', text: PG_CUSTOMER_TEXTS, values });
    const row = rows[0];
    const plan = decide(messages, (row?.sessions ?? []).map((r) => ({ ...r, id: Number(r.id) })), [], now);
    return plan.complete((row?.ids ?? []).map(Number));
  }

  private writeKysely(messages: CustomerText[], now: number): Promise<Outcome[]> {
    const { db, dialect } = this.ctx;
    return db.transaction().execute(async (trx) => {
      const ids = sessionIdsOf(messages);
      const sessions = await trx
        .selectFrom('sessions')
        .select(['id', 'channel_id', 'client_id', 'status', 'agent_id'])
        .where('id', 'in', ids)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .execute();
      const asked = msgIdsOf(messages);
      const known = asked
        ? await trx
            .selectFrom('messages')
            .select(['session_id', 'client_msg_id'])
            .where('session_id', 'in', asked.sessionIds)
            .where('client_msg_id', 'in', asked.msgIds)
            .execute()
        : [];
      const plan = decide(messages, sessions, known, now);
      if (plan.rows.length === 0) return plan.complete([]);
      const inserted = await trx
        .insertInto('messages')
        .values(plan.rows.map((r) => ({ ...r, sender: 'customer' as const, kind: 'text' as const })))
        .returning('id')
        .execute();
      return plan.complete(inserted.map((r) => r.id));
    });
  }
}

/** What became of one message: stored (with its row and the agent to tell), a retry, or refused. */
type Outcome = { row: MessageRow; agentId: string } | 'duplicate' | DomainError;

function sessionIdsOf(messages: CustomerText[]): number[] {
  return [...new Set(messages.map((m) => m.sessionId))];
}

/** The sessions and msgIds to look up for retries; undefined when no message has a msgId. */
function msgIdsOf(messages: CustomerText[]): { sessionIds: number[]; msgIds: string[] } | undefined {
  const withMsgId = messages.filter((m) => m.msgId !== undefined);
  if (withMsgId.length === 0) return undefined;
  return { sessionIds: sessionIdsOf(withMsgId), msgIds: [...new Set(withMsgId.map((m) => m.msgId!))] };
}

/**
 * Checks each message of the group against its session and the msgIds already stored, and
 * says which rows to insert, in order; `complete` takes their new ids and gives every
 * message's outcome.
 */
function decide(messages: CustomerText[], sessionRows: SessionFacts[], knownRows: KnownMsgId[], now: number): { rows: Row[]; complete(ids: number[]): Outcome[] } {
  const sessions = new Map(sessionRows.map((s) => [s.id, s]));
  const known = new Set(knownRows.map((r) => `${r.session_id}\u0000${r.client_msg_id}`));
  // Per message: refused, a retry, or its session (stored, once the ids are known).
  const outcomes: ('duplicate' | DomainError | SessionFacts)[] = [];
  const rows: Row[] = [];
  for (const message of messages) {
    const session = sessions.get(message.sessionId);
    const problem = checkSession(session, message);
    if (problem) {
      outcomes.push(problem);
      continue;
    }
    if (message.msgId !== undefined) {
      const key = `${message.sessionId}\u0000${message.msgId}`;
      if (known.has(key)) {
        outcomes.push('duplicate');
        continue;
      }
      known.add(key);
    }
    outcomes.push(session!);
    rows.push({ session_id: message.sessionId, text: message.text, client_time: message.clientTime ?? null, client_msg_id: message.msgId ?? null, extra: message.extra ?? null, created_at: now });
  }
  return {
    rows,
    complete(inserted) {
      if (inserted.length !== rows.length) throw new Error(`inserted ${rows.length} messages but got ${inserted.length} ids back`);
      // Ids grow in insertion order, whatever order RETURNING hands them back in.
      const ids = [...inserted].sort((a, b) => a - b);
      let next = 0;
      return outcomes.map((o, i) => {
        if (o === 'duplicate' || o instanceof DomainError) return o;
        const message = messages[i]!;
        const row: MessageRow = {
          id: ids[next++]!,
          request_id: null,
          session_id: message.sessionId,
          sender: 'customer',
          kind: 'text',
          text: message.text,
          image_id: null,
          file_id: null,
          media: null,
          extra: message.extra ?? null,
          event: null,
          revoked_at: null,
          client_time: message.clientTime ?? null,
          client_msg_id: message.msgId ?? null,
          created_at: now,
        };
        return { row, agentId: o.agent_id };
      });
    },
  };
}

function checkSession(session: SessionFacts | undefined, message: CustomerText): DomainError | undefined {
  if (!session || session.channel_id !== message.channel.id) {
    return new DomainError('SESSION_NOT_FOUND', `no session ${message.sessionId} for this channel`);
  }
  // Queued (transferred to a queue): kept for the next agent.
  if (session.status === 'closed') return new DomainError('SESSION_CLOSED', `session ${message.sessionId} is closed`);
  if (session.client_id !== message.clientId) {
    return new DomainError('NOT_THE_CUSTOMER', `clientId ${message.clientId} is not the customer of session ${message.sessionId}`);
  }
  return undefined;
}

/**
 * Customers' text messages (2001), written in groups: every message that arrives while the
 * previous group is being written goes into the next one, in one transaction with one session
 * read and one insert. Each message is still checked on its own, answered only after its group
 * has committed, and stored in arrival order. Under load this turns a commit per message into
 * a commit per group; with one message at a time it is the same as writing it alone.
 *
 * This is the platform's hottest path (the ingest benchmark), so on SQLite the group is
 * written with statements prepared here once, under Kysely's connection lock, instead of
 * through the query builder: the same three statements, without building them per group.
 */
import { ResultCode } from '@elitewebchat/protocol';
import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { ChannelRow, MessageRow, NewMessage, SessionRow } from '../../db/schema.js';
import { TpiError } from '../../errors.js';
import type { ChatContext } from './context.js';

export interface CustomerText {
  channel: ChannelRow;
  sessionId: number;
  clientId: string;
  text: string;
  clientTime?: number | undefined;
  msgId?: string | undefined;
}

/** 'duplicate': a message with this msgId is already stored in the session. */
export type Stored = 'stored' | 'duplicate';

interface Pending extends CustomerText {
  resolve(outcome: Stored): void;
  reject(error: unknown): void;
}

type Row = Pick<NewMessage, 'session_id' | 'text' | 'client_time' | 'client_msg_id' | 'created_at'>;
type SessionFacts = Pick<SessionRow, 'id' | 'channel_id' | 'client_id' | 'status' | 'agent_id'>;

/** The three reads and writes of a group, inside one transaction. */
interface GroupAccess {
  sessions(ids: number[]): Promise<SessionFacts[]> | SessionFacts[];
  knownMsgIds(sessionIds: number[], msgIds: string[]): Promise<{ session_id: number | null; client_msg_id: string | null }[]> | { session_id: number | null; client_msg_id: string | null }[];
  /** Inserts in order; the ids, in the same order. */
  insert(rows: Row[]): Promise<number[]> | number[];
}

const MAX_GROUP = 256;

export class CustomerMessageWriter {
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;
  private readonly sqliteStatements = new Map<string, Statement>();

  constructor(private readonly ctx: ChatContext) {}

  write(message: CustomerText): Promise<Stored> {
    return new Promise<Stored>((resolve, reject) => {
      this.queue.push({ ...message, resolve, reject });
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
    const outcome = await this.inTransaction((access) => decide(group, access, now));
    for (const [message, problem] of outcome.refused) message.reject(problem);
    for (const message of outcome.duplicates) message.resolve('duplicate');
    for (const { message, session, row } of outcome.written) {
      this.ctx.events.emit({ type: 'message', agentId: session.agent_id, sessionId: session.id, message: row });
      message.resolve('stored');
    }
  }

  private async inTransaction<T>(work: (access: GroupAccess) => Promise<T>): Promise<T> {
    const { db, dialect, sqlite } = this.ctx;
    if (sqlite) {
      // Kysely's lock on its one connection: nothing else runs on it until this returns.
      return db.connection().execute(async () => {
        this.statement(sqlite, 'begin').run();
        try {
          const result = await work(this.sqliteAccess(sqlite));
          this.statement(sqlite, 'commit').run();
          return result;
        } catch (error) {
          if (sqlite.inTransaction) this.statement(sqlite, 'rollback').run();
          throw error;
        }
      });
    }
    return db.transaction().execute((trx) =>
      work({
        sessions: (ids) =>
          trx
            .selectFrom('sessions')
            .select(['id', 'channel_id', 'client_id', 'status', 'agent_id'])
            .where('id', 'in', ids)
            .$if(dialect === 'postgres', (q) => q.forUpdate())
            .execute(),
        knownMsgIds: (sessionIds, msgIds) =>
          trx.selectFrom('messages').select(['session_id', 'client_msg_id']).where('session_id', 'in', sessionIds).where('client_msg_id', 'in', msgIds).execute(),
        insert: async (rows) => {
          const inserted = await trx
            .insertInto('messages')
            .values(rows.map((r) => ({ ...r, sender: 'customer' as const, kind: 'text' as const })))
            .returning('id')
            .execute();
          // Ids grow in insertion order, whatever order RETURNING hands them back in.
          return inserted.map((r) => r.id).sort((a, b) => a - b);
        },
      }),
    );
  }

  private statement(sqlite: SQLiteDatabase, sql: string): Statement {
    let s = this.sqliteStatements.get(sql);
    if (!s) {
      s = sqlite.prepare(sql);
      this.sqliteStatements.set(sql, s);
    }
    return s;
  }

  private sqliteAccess(sqlite: SQLiteDatabase): GroupAccess {
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
    return {
      sessions: (ids) =>
        this.statement(sqlite, `select id, channel_id, client_id, status, agent_id from sessions where id in (${marks(ids.length)})`).all(ids) as SessionFacts[],
      knownMsgIds: (sessionIds, msgIds) =>
        this.statement(
          sqlite,
          `select session_id, client_msg_id from messages where session_id in (${marks(sessionIds.length)}) and client_msg_id in (${marks(msgIds.length)})`,
        ).all([...sessionIds, ...msgIds]) as { session_id: number; client_msg_id: string }[],
      insert: (rows) => {
        const sql = `insert into messages (session_id, sender, kind, text, client_time, client_msg_id, created_at) values ${rows
          .map(() => "(?, 'customer', 'text', ?, ?, ?, ?)")
          .join(', ')} returning id`;
        const params = rows.flatMap((r) => [r.session_id, r.text, r.client_time ?? null, r.client_msg_id ?? null, r.created_at]);
        return (this.statement(sqlite, sql).all(params) as { id: number }[]).map((r) => r.id).sort((a, b) => a - b);
      },
    };
  }
}

interface Decided {
  written: { message: Pending; session: SessionFacts; row: MessageRow }[];
  refused: Map<Pending, TpiError>;
  duplicates: Set<Pending>;
}

/** Checks each message of the group, then writes the good ones in order. */
async function decide(group: Pending[], access: GroupAccess, now: number): Promise<Decided> {
  const sessions = new Map((await access.sessions([...new Set(group.map((m) => m.sessionId))])).map((s) => [s.id, s]));
  const withMsgId = group.filter((m) => m.msgId !== undefined);
  const known = new Set<string>();
  if (withMsgId.length > 0) {
    const rows = await access.knownMsgIds([...new Set(withMsgId.map((m) => m.sessionId))], [...new Set(withMsgId.map((m) => m.msgId!))]);
    for (const r of rows) known.add(`${r.session_id}\u0000${r.client_msg_id}`);
  }
  const decided: Decided = { written: [], refused: new Map(), duplicates: new Set() };
  const accepted: { message: Pending; session: SessionFacts; row: Row }[] = [];
  for (const message of group) {
    const session = sessions.get(message.sessionId);
    const problem = checkSession(session, message);
    if (problem) {
      decided.refused.set(message, problem);
      continue;
    }
    if (message.msgId !== undefined) {
      const key = `${message.sessionId}\u0000${message.msgId}`;
      if (known.has(key)) {
        decided.duplicates.add(message);
        continue;
      }
      known.add(key);
    }
    accepted.push({
      message,
      session: session!,
      row: { session_id: message.sessionId, text: message.text, client_time: message.clientTime ?? null, client_msg_id: message.msgId ?? null, created_at: now },
    });
  }
  if (accepted.length === 0) return decided;
  const ids = await access.insert(accepted.map((a) => a.row));
  accepted.forEach((a, i) =>
    decided.written.push({
      message: a.message,
      session: a.session,
      row: {
        id: ids[i]!,
        request_id: null,
        session_id: a.session.id,
        sender: 'customer',
        kind: 'text',
        text: a.row.text ?? null,
        image_id: null,
        event: null,
        client_time: a.row.client_time ?? null,
        client_msg_id: a.row.client_msg_id ?? null,
        created_at: now,
      },
    }),
  );
  return decided;
}

function checkSession(session: SessionFacts | undefined, message: CustomerText): TpiError | undefined {
  if (!session || session.channel_id !== message.channel.id) {
    return new TpiError(ResultCode.INVALID_CHAT_SESSION_ID, `no session ${message.sessionId} for this channel`);
  }
  if (session.status !== 'open') return new TpiError(ResultCode.INVALID_CHAT_SESSION_ID, `session ${message.sessionId} is closed`);
  if (session.client_id !== message.clientId) {
    return new TpiError(ResultCode.INVALID_TO_USER_ID, `clientId ${message.clientId} is not the customer of session ${message.sessionId}`);
  }
  return undefined;
}

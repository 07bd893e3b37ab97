/**
 * One routing pass at a time across the processes on one PostgreSQL database: a session-level
 * advisory lock, named by the schema, held on one pooled connection while the pass runs (on
 * other connections). A process that dies drops its connection and with it the lock. A process
 * that finds the lock taken skips its pass: whatever woke it is a cluster-wide event, which wakes
 * the process routing too, and that one runs once more after its current pass.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { RoutingLock } from './routing-lock.js';

export class PgRoutingLock implements RoutingLock {
  constructor(private readonly db: Db) {}

  tryRun(pass: () => Promise<void>): Promise<boolean> {
    return this.db.connection().execute(async (conn) => {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext('ewc:routing:' || current_schema())) as ok`.execute(conn);
      if (!got.rows[0]?.ok) return false;
      try {
        await pass();
      } finally {
        await sql`select pg_advisory_unlock(hashtext('ewc:routing:' || current_schema()))`.execute(conn);
      }
      return true;
    });
  }
}

/**
 * A lock across every process of a store, for work that must not run twice at once (nodes of a
 * cluster starting together apply the provisioning file one after another). PostgreSQL: a
 * session advisory lock, named per schema, held on a connection of its own while `work` runs on
 * the others. SQLite: one process per store, so `work` just runs.
 */
import { sql } from 'kysely';
import type { Db, Dialect } from './database.js';

export async function withStoreLock<T>(db: Db, dialect: Dialect, name: string, work: () => Promise<T>): Promise<T> {
  if (dialect !== 'postgres') return work();
  const key = `ewc:${name}:`;
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${key} || current_schema()))`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key} || current_schema()))`.execute(conn);
    }
  });
}

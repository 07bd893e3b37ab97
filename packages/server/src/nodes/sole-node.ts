/**
 * One server process per store, until cluster mode: a second process on the same SQLite file or
 * PostgreSQL database would over-assign chats, send callbacks twice and keep dead feeds online,
 * so it is refused at start with a message that says which process holds the store.
 *
 * Each process registers itself in `nodes` and beats every few seconds. At start, the others'
 * rows are read under an exclusive lock: a row whose heartbeat is stale, or whose process is gone
 * from this machine (a crash or `kill -9`, then a restart), is taken over; a live one refuses.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import type { Db, Dialect } from '../db/database.js';
import type { NodeTable } from '../db/schema.js';

export const HEARTBEAT_MS = 5_000;
/** A row not beaten for this long is a process that is gone. */
export const STALE_MS = 20_000;

export class StoreInUseError extends Error {}

export interface NodeLease {
  id: string;
  /** Stops beating and leaves the store to the next process. */
  release(): Promise<void>;
}

export async function claimStore(db: Db, dialect: Dialect, name: string, onBeatFailed: (error: unknown) => void): Promise<NodeLease> {
  // Real time, whatever clock the platform's logic runs on: heartbeats are compared across processes.
  const clock = Date.now;
  const me: NodeTable = { id: randomBytes(9).toString('base64url'), name, host: os.hostname(), pid: process.pid, started_at: clock(), heartbeat_at: clock() };
  await db.transaction().execute(async (trx) => {
    // Two processes starting at once: the second waits here for the first to commit.
    if (dialect === 'postgres') await sql`lock table nodes in exclusive mode`.execute(trx);
    // SQLite: a write first takes the database's write lock (a read first could deadlock).
    await trx.deleteFrom('nodes').where('heartbeat_at', '<', clock() - STALE_MS).execute();
    const others = await trx.selectFrom('nodes').selectAll().execute();
    const live = others.filter((n) => !(n.host === me.host && gone(n)));
    const holder = live[0];
    if (holder) {
      const seen = Math.max(0, Math.round((clock() - Number(holder.heartbeat_at)) / 1000));
      throw new StoreInUseError(
        `another EliteWebChat process uses this store (${holder.name}, pid ${holder.pid} on ${holder.host}, started ${new Date(Number(holder.started_at)).toISOString()}, last seen ${seen} s ago). ` +
          `Run one process per store: several processes on one database need cluster mode, which is not available yet (docs/operations.md, "Scaling"). ` +
          `If that process is gone, start again within ${Math.ceil(STALE_MS / 1000)} s.`,
      );
    }
    await trx.deleteFrom('nodes').where('id', 'in', others.length > 0 ? others.map((n) => n.id) : ['']).execute();
    await trx.insertInto('nodes').values(me).execute();
  });
  held.add(me.id);
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = db
      .updateTable('nodes')
      .set({ heartbeat_at: clock() })
      .where('id', '=', me.id)
      .execute()
      .catch(onBeatFailed);
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    id: me.id,
    async release() {
      clearInterval(timer);
      held.delete(me.id);
      await beating;
      await db.deleteFrom('nodes').where('id', '=', me.id).execute();
    },
  };
}

/** The leases this process holds (a test may build several platforms in one process). */
const held = new Set<string>();

/**
 * Whether the process of a row of this machine is gone. A row with this process's own pid that
 * it does not hold is an earlier life of the same pid: a container whose server is always pid 1,
 * killed and started again.
 */
function gone(node: NodeTable): boolean {
  if (node.pid === process.pid) return !held.has(node.id);
  try {
    process.kill(node.pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

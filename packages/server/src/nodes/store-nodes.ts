/**
 * The server processes using a store. A sole process (no REDIS_URL) must be the only one: a
 * second process on the same SQLite file or PostgreSQL database would over-assign chats, send
 * callbacks twice and keep dead feeds online, so it is refused at start with a message that says
 * which process holds the store. Nodes of a cluster (REDIS_URL) share the store with each other,
 * never with a sole process.
 *
 * Each process registers itself in `nodes` and beats every few seconds. At start, the others'
 * rows are read under an exclusive lock: a row whose heartbeat is stale, or whose process is gone
 * from this machine (a crash or `kill -9`, then a restart), is removed; a live one that may not
 * share the store with this process refuses it.
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

/** A sole process, or a node of a cluster with its REDIS_PREFIX. */
export type NodeMode = { kind: 'sole' } | { kind: 'cluster'; redisPrefix: string };

export async function claimStore(db: Db, dialect: Dialect, name: string, mode: NodeMode, onBeatFailed: (error: unknown) => void): Promise<NodeLease> {
  // Real time, whatever clock the platform's logic runs on: heartbeats are compared across processes.
  const clock = Date.now;
  const cluster = mode.kind === 'cluster' ? 1 : 0;
  const me: NodeTable = {
    id: randomBytes(9).toString('base64url'),
    name,
    host: os.hostname(),
    pid: process.pid,
    started_at: clock(),
    heartbeat_at: clock(),
    cluster,
    redis_prefix: mode.kind === 'cluster' ? mode.redisPrefix : null,
  };
  await db.transaction().execute(async (trx) => {
    // Two processes starting at once: the second waits here for the first to commit.
    if (dialect === 'postgres') await sql`lock table nodes in exclusive mode`.execute(trx);
    // SQLite: a write first takes the database's write lock (a read first could deadlock).
    await trx.deleteFrom('nodes').where('heartbeat_at', '<', clock() - STALE_MS).execute();
    const others = await trx.selectFrom('nodes').selectAll().execute();
    const dead = others.filter((n) => n.host === me.host && gone(n));
    const live = others.filter((n) => !dead.includes(n));
    // A cluster's nodes share the store with each other (under one Redis prefix); a sole process with nobody.
    const holder = live.find((n) => !(cluster && Number(n.cluster) === 1 && n.redis_prefix === me.redis_prefix));
    if (holder) throw new StoreInUseError(refusal(holder, mode, live.length, clock()));
    await trx.deleteFrom('nodes').where('id', 'in', dead.length > 0 ? dead.map((n) => n.id) : ['']).execute();
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

function refusal(holder: NodeTable, mode: NodeMode, live: number, now: number): string {
  const seen = Math.max(0, Math.round((now - Number(holder.heartbeat_at)) / 1000));
  const who = `${holder.name}, pid ${holder.pid} on ${holder.host}, started ${new Date(Number(holder.started_at)).toISOString()}, last seen ${seen} s ago`;
  const gone = `If that process is gone, start again within ${Math.ceil(STALE_MS / 1000)} s.`;
  if (Number(holder.cluster) === 1 && mode.kind === 'cluster') {
    return `the cluster on this store uses REDIS_PREFIX "${holder.redis_prefix}" (${who}), this process "${mode.redisPrefix}": nodes with different prefixes would not share their rate limits, events and presence. Start every node with the same REDIS_URL and REDIS_PREFIX. ${gone}`;
  }
  if (Number(holder.cluster) === 1) {
    return `this store belongs to a cluster (${live} node${live === 1 ? '' : 's'}, among them ${who}): start this process as one of its nodes, with the same REDIS_URL and REDIS_PREFIX as they have (docs/operations.md, "Cluster mode"). ${gone}`;
  }
  const advice =
    mode.kind === 'cluster'
      ? 'A cluster node cannot share the store with a process that runs alone: stop it, then start every process with REDIS_URL.'
      : 'Run one process per store, or several in cluster mode: DATABASE_URL (PostgreSQL) and REDIS_URL on every process (docs/operations.md, "Cluster mode").';
  return `another EliteWebChat process uses this store alone (${who}). ${advice} ${gone}`;
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

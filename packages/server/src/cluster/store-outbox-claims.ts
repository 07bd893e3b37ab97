/**
 * Outbox claims shared through the store, for several processes on one database: a session's
 * callbacks are sent by the process holding its claim, a lease that ends by itself (a process
 * that dies mid-send has its claims taken over once they run out).
 *
 * Time is the database's clock, never a node's: a lease is written by one node and judged by the
 * others, and a node whose clock ran ahead would see a live holder's lease as over and send the
 * same callback at the same time. The worker renews its lease just before each send, and the
 * lease outlasts one attempt (CALLBACK_TIMEOUT_MS) by a margin, so a live holder keeps the claim
 * for the whole send; the worker records the attempt only if no other node recorded one since
 * (worker.ts), so even a holder that stalled past its lease cannot overwrite a later outcome.
 */
import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../db/database.js';
import type { OutboxClaims } from './outbox-claims.js';

/** The database's time in whole ms since the epoch. */
function storeNow(dialect: Dialect): RawBuilder<number> {
  return dialect === 'postgres' ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint` : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}

export class StoreOutboxClaims implements OutboxClaims {
  readonly shared = true;
  /** This process in the claims: its node name and a part of its own, unique even if two nodes were given one name. */
  private readonly holder: string;
  private readonly mine = new Set<number>();
  private readonly now: RawBuilder<number>;

  constructor(
    private readonly db: Db,
    node: string,
    private readonly leaseMs: number,
    dialect: Dialect,
  ) {
    this.holder = `${node}#${randomBytes(4).toString('hex')}`;
    this.now = storeNow(dialect);
  }

  async claim(sessionId: number): Promise<boolean> {
    const until = sql<number>`${this.now} + ${this.leaseMs}`;
    const row = await this.db
      .insertInto('outbox_claims')
      .values({ session_id: sessionId, node: this.holder, until })
      // Taken over only when the holder's lease has run out.
      .onConflict((oc) => oc.column('session_id').doUpdateSet({ node: this.holder, until }).where('outbox_claims.until', '<', this.now))
      .returning('session_id')
      .executeTakeFirst();
    if (row === undefined) return false;
    this.mine.add(sessionId);
    return true;
  }

  async renew(sessionId: number): Promise<boolean> {
    const row = await this.db
      .updateTable('outbox_claims')
      .set({ until: sql<number>`${this.now} + ${this.leaseMs}` })
      .where('session_id', '=', sessionId)
      .where('node', '=', this.holder)
      .returning('session_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async release(sessionId: number): Promise<void> {
    this.mine.delete(sessionId);
    await this.db.deleteFrom('outbox_claims').where('session_id', '=', sessionId).where('node', '=', this.holder).execute();
  }

  held(): number[] {
    return [...this.mine];
  }
}

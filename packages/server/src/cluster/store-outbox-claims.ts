/**
 * Outbox claims shared through the store, for several processes on one database: a session's
 * callbacks are sent by the process holding its claim, a lease that ends by itself (a process
 * that dies mid-send has its claims taken over once they run out). The lease outlasts any one
 * attempt (CALLBACK_TIMEOUT_MS), so a live holder never loses a claim it is using.
 */
import type { Db } from '../db/database.js';
import type { OutboxClaims } from './outbox-claims.js';

export class StoreOutboxClaims implements OutboxClaims {
  readonly shared = true;
  private readonly mine = new Set<number>();

  constructor(
    private readonly db: Db,
    /** This process's name in the claims. */
    private readonly node: string,
    private readonly leaseMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async claim(sessionId: number): Promise<boolean> {
    const now = this.clock();
    const row = await this.db
      .insertInto('outbox_claims')
      .values({ session_id: sessionId, node: this.node, until: now + this.leaseMs })
      // Taken over only when the holder's lease has run out.
      .onConflict((oc) => oc.column('session_id').doUpdateSet({ node: this.node, until: now + this.leaseMs }).where('outbox_claims.until', '<', now))
      .returning('session_id')
      .executeTakeFirst();
    if (row === undefined) return false;
    this.mine.add(sessionId);
    return true;
  }

  async release(sessionId: number): Promise<void> {
    this.mine.delete(sessionId);
    await this.db.deleteFrom('outbox_claims').where('session_id', '=', sessionId).where('node', '=', this.node).execute();
  }

  held(): number[] {
    return [...this.mine];
  }
}

/**
 * Presence: an online agent whose every live feed has been gone `awayAfterMs` is set away, so
 * that a closed or crashed browser stops receiving chats. A feed that comes back within that
 * time changes nothing; agents who never connected a feed (REST-only clients) are not affected,
 * nor are agents who, with no feed left, chose `online` again through the API (choseOnline);
 * feeds that end because the server stops set nobody away here (in a cluster, the other nodes give
 * those agents awayAfterMs to come back to one of them).
 *
 * A restart forgets who was connected, so a feed that connects is also recorded in the store
 * (`agents.feed_seen_at`), and at start every agent online, enabled and with a feed seen gets
 * the same time to connect a feed again as if its feed had just closed (unless it has one on
 * another node).
 *
 * The socket layer only says when feeds open and close. StorePresence counts this process's
 * feeds and tells a PresenceStore (cluster/presence-store.ts) when it holds an agent's first feed
 * and lets go of the last one; the store, in memory for one process or in Redis for a cluster,
 * knows which agents have a feed on some node and since when those that had one have none. Every
 * process asks it which agents have been absent `awayAfterMs`, sets them away with a conditional
 * update (`where status = 'online'`, so several processes deciding at once set an agent away
 * once) and settles them. So an agent with a feed on any node is never set away, and one whose
 * only feeds were on a node that died is set away by the others once that node's leases end
 * (redis-presence.ts).
 *
 * The check runs every awayAfterMs / 10, at least every second and at most every 25 ms: an agent
 * is set away between awayAfterMs and awayAfterMs plus that after their last feed ended (plus the
 * lease when their node died).
 */
import type { Logger } from 'pino';
import { InMemoryPresenceStore, type PresenceStore } from '../cluster/presence-store.js';
import type { Db } from '../db/database.js';
import type { AgentService } from '../modules/agent/index.js';

export interface Presence {
  /** A live feed of this agent connected; `feedId` is unique per feed (the socket's id). */
  feedOpened(agentId: string, feedId: string): Promise<void>;
  /** That feed ended. */
  feedClosed(agentId: string, feedId: string): Promise<void>;
  /**
   * The agent chose to be online (their own call, on any node). With no live feed anywhere, they
   * work through the API alone from now on, as one who never had a feed: not set away, also not
   * after a restart, until a feed connects again.
   */
  choseOnline(agentId: string): Promise<void>;
  /** Once, when the platform starts, before it takes feeds: catches up on feeds a restart lost. */
  start(): Promise<void>;
  /**
   * The shared store is reachable again after this node lost it (Redis back): catches up on
   * feeds it may have lost meanwhile (a Redis that restarted empty knows of no absence).
   */
  recover(): Promise<void>;
  /** The process stops: it lets go of its agents and sets nobody away any more. Waits for work under way. */
  close(): Promise<void>;
}

export interface PresenceDeps {
  db: Db;
  agents: Pick<AgentService, 'awayIfOnline'>;
  clock: () => number;
  log: Logger;
  /** 0: nobody is ever set away. */
  awayAfterMs: number;
  /** What the processes share; default: this process alone. */
  store?: PresenceStore;
}

/** This process's feeds, told to the (shared) presence store; the away check, run by every process. */
export class StorePresence implements Presence {
  /** agent id → ids of its live feeds in this process. */
  private readonly feeds = new Map<string, Set<string>>();
  private readonly store: PresenceStore;
  private readonly checkMs: number;
  private checking: NodeJS.Timeout | undefined;
  /** A check under way (a slow store): no second one meanwhile. */
  private check$: Promise<void> | undefined;
  /** A check failed (the store away?): once one works again, catch up as at a start (the store may have lost absences). */
  private checkFailed = false;
  private readonly underway = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly deps: PresenceDeps) {
    this.store = deps.store ?? new InMemoryPresenceStore();
    this.checkMs = Math.min(1_000, Math.max(25, Math.floor(deps.awayAfterMs / 10)));
  }

  async feedOpened(agentId: string, feedId: string): Promise<void> {
    if (this.closed) return;
    let feeds = this.feeds.get(agentId);
    const first = !feeds;
    if (!feeds) this.feeds.set(agentId, (feeds = new Set()));
    feeds.add(feedId);
    // Sent before anything is awaited, so a quick close's release follows it.
    const held = first ? this.track(this.store.hold(agentId)) : undefined;
    await Promise.all([held, this.track(this.deps.db.updateTable('agents').set({ feed_seen_at: this.deps.clock() }).where('id', '=', agentId).execute())]);
  }

  async feedClosed(agentId: string, feedId: string): Promise<void> {
    const feeds = this.feeds.get(agentId);
    if (!feeds?.delete(feedId) || feeds.size > 0) return;
    this.feeds.delete(agentId);
    if (this.closed) return;
    await this.track(this.store.release(agentId));
  }

  async choseOnline(agentId: string): Promise<void> {
    if (this.closed || this.deps.awayAfterMs <= 0 || this.connected(agentId)) return;
    if (!(await this.track(this.store.forget(agentId)))) return;
    await this.track(this.deps.db.updateTable('agents').set({ feed_seen_at: null }).where('id', '=', agentId).execute());
  }

  async start(): Promise<void> {
    if (this.deps.awayAfterMs <= 0) return;
    await this.catchUp('agents online with a feed before the start: set away unless a feed connects');
    this.checking = setInterval(() => void this.check(), this.checkMs);
    this.checking.unref();
  }

  async recover(): Promise<void> {
    if (this.deps.awayAfterMs <= 0 || this.closed) return;
    await this.catchUp('presence store back: agents online with a feed seen and none now are set away unless a feed connects');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.checking);
    await Promise.allSettled([...this.underway]);
    // This process lets go of its agents: the others (a cluster) give them awayAfterMs to come
    // back on another node; this one sets nobody away any more.
    const held = [...this.feeds.keys()];
    this.feeds.clear();
    const released = await Promise.allSettled(held.map((agentId) => this.store.release(agentId)));
    const failed = released.find((r) => r.status === 'rejected');
    if (failed) this.deps.log.warn({ err: failed.reason, agents: held.length }, 'presence: could not let go of the agents on closing (their leases end by themselves)');
  }

  private connected(agentId: string): boolean {
    return (this.feeds.get(agentId)?.size ?? 0) > 0;
  }

  /** Every agent online, enabled and with a feed seen, and with no feed anywhere, gets awayAfterMs from now. */
  private async catchUp(why: string): Promise<void> {
    const rows = await this.track(
      this.deps.db
        .selectFrom('agents')
        .select('id')
        .where('status', '=', 'online')
        .where('enabled', '=', 1)
        .where('feed_seen_at', 'is not', null)
        .execute(),
    );
    const waiting = rows.map((r) => r.id).filter((id) => !this.connected(id));
    if (waiting.length === 0) return;
    await this.track(this.store.absentFromNow(waiting, this.deps.awayAfterMs));
    this.deps.log.info({ agents: waiting.length, afterMs: this.deps.awayAfterMs }, why);
  }

  /** Sets away the agents absent awayAfterMs (one check at a time). */
  private check(): Promise<void> {
    this.check$ ??= this.track(this.checkOnce()).finally(() => (this.check$ = undefined));
    return this.check$;
  }

  private async checkOnce(): Promise<void> {
    const { agents, awayAfterMs, log } = this.deps;
    try {
      const due = await this.store.due(awayAfterMs);
      if (this.checkFailed) {
        this.checkFailed = false;
        log.warn('presence check works again');
        await this.catchUp('presence check back: agents online with a feed seen and none now are set away unless a feed connects');
      }
      for (const absence of due) {
        // This process holds a feed (the store lost it): its next renewal tells the store again.
        if (this.closed || this.connected(absence.agentId)) continue;
        if (await agents.awayIfOnline(absence.agentId)) log.info({ agentId: absence.agentId, afterMs: awayAfterMs }, 'agent set away: no live feed');
        await this.store.settle(absence);
      }
    } catch (error) {
      if (!this.checkFailed) log.error({ err: error }, 'presence check failed (tried again, said once until it works)');
      this.checkFailed = true;
    }
  }

  /** Work that close() waits for. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.underway.add(work);
    void work.then(
      () => this.underway.delete(work),
      () => this.underway.delete(work),
    );
    return work;
  }
}

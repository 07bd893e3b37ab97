/**
 * Presence: an online agent whose every live feed has been gone `awayAfterMs` is set away, so
 * that a closed or crashed browser stops receiving chats. A feed that comes back within that
 * time changes nothing; agents who never connected a feed (REST-only clients) are not affected;
 * feeds that end because the server stops set nobody away.
 *
 * A restart forgets who was connected, so a feed that connects is also recorded in the store
 * (`agents.feed_seen_at`), and at start every agent online, enabled and with a feed seen gets
 * the same time to connect a feed again as if its feed had just closed.
 *
 * The socket layer only says when feeds open and close. One process: InMemoryPresence. Several
 * processes on one store must share who is connected and who is due to be set away (an agent's
 * feed may live in another process, a restarting one must not set away agents whose feeds
 * moved elsewhere): a shared implementation of the same interface.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { AgentService } from '../modules/agent/index.js';

export interface Presence {
  /** A live feed of this agent connected; `feedId` is unique per feed (the socket's id). */
  feedOpened(agentId: string, feedId: string): Promise<void>;
  /** That feed ended. */
  feedClosed(agentId: string, feedId: string): Promise<void>;
  /** Once, when the platform starts, before it takes feeds: catches up on feeds a restart lost. */
  start(): Promise<void>;
  /** The process stops: from now on, feeds that end set nobody away. Waits for work under way. */
  close(): Promise<void>;
}

export interface PresenceDeps {
  db: Db;
  agents: Pick<AgentService, 'awayIfOnline'>;
  clock: () => number;
  log: Logger;
  /** 0: nobody is ever set away. */
  awayAfterMs: number;
}

/** One process: the feeds it holds and the timers it runs, plus the store's feed marker. */
export class InMemoryPresence implements Presence {
  /** agent id → ids of its live feeds. */
  private readonly feeds = new Map<string, Set<string>>();
  /** agent id → when it is set away unless a feed connects first. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly underway = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly deps: PresenceDeps) {}

  async feedOpened(agentId: string, feedId: string): Promise<void> {
    if (this.closed) return;
    let feeds = this.feeds.get(agentId);
    if (!feeds) this.feeds.set(agentId, (feeds = new Set()));
    feeds.add(feedId);
    clearTimeout(this.timers.get(agentId));
    this.timers.delete(agentId);
    await this.track(this.deps.db.updateTable('agents').set({ feed_seen_at: this.deps.clock() }).where('id', '=', agentId).execute());
  }

  async feedClosed(agentId: string, feedId: string): Promise<void> {
    const feeds = this.feeds.get(agentId);
    feeds?.delete(feedId);
    if (feeds?.size === 0) this.feeds.delete(agentId);
    if (this.closed || this.connected(agentId)) return;
    this.awayLater(agentId);
  }

  async start(): Promise<void> {
    if (this.deps.awayAfterMs <= 0) return;
    const rows = await this.track(
      this.deps.db
        .selectFrom('agents')
        .select('id')
        .where('status', '=', 'online')
        .where('enabled', '=', 1)
        .where('feed_seen_at', 'is not', null)
        .execute(),
    );
    const waiting = rows.filter((r) => !this.connected(r.id));
    for (const { id } of waiting) this.awayLater(id);
    if (waiting.length > 0) {
      this.deps.log.info({ agents: waiting.length, afterMs: this.deps.awayAfterMs }, 'agents online with a feed before the start: set away unless a feed connects');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.underway]);
  }

  private connected(agentId: string): boolean {
    return (this.feeds.get(agentId)?.size ?? 0) > 0;
  }

  /** Sets the agent away in awayAfterMs, unless a feed connects first (or one is already due). */
  private awayLater(agentId: string): void {
    const { awayAfterMs, agents, log } = this.deps;
    if (awayAfterMs <= 0 || this.timers.has(agentId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(agentId);
      if (this.closed || this.connected(agentId)) return;
      void this.track(
        agents
          .awayIfOnline(agentId)
          .then((changed) => {
            if (changed) log.info({ agentId, afterMs: awayAfterMs }, 'agent set away: no live feed');
          })
          .catch((error: unknown) => log.error({ err: error, agentId }, 'setting an agent away failed')),
      );
    }, awayAfterMs);
    timer.unref();
    this.timers.set(agentId, timer);
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

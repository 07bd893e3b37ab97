/**
 * What presence (realtime/presence.ts) shares between processes: which agents have a live feed
 * on some node, and since when one that had none. Each node tells the store when it holds a
 * feed of an agent (its first one there opened) and when it lets go (its last one there
 * ended); every node asks it which agents have been absent long enough to be set away, sets
 * them away with a conditional update in the database (`where status = 'online'`, so several
 * nodes deciding at once set an agent away once), then says it settled them.
 *
 * An agent is present while some node holds it, and absent from the moment the last holder let
 * go (or, in a cluster, from the moment the last holder stopped vouching for it: a node that
 * died). An absence is forgotten once settled, or once the agent is held again.
 *
 * One process: InMemoryPresenceStore (here). A cluster: RedisPresenceStore (redis-presence.ts),
 * where a node vouches for its agents with leases it renews, so a node that dies lets go of them
 * by itself when its leases run out.
 */

/** An agent nobody holds, since `since` (a time of the store's own clock; only for settle). */
export interface Absence {
  agentId: string;
  since: number;
}

export interface PresenceStore {
  /** This node holds a live feed of the agent: present, and no longer absent, until it lets go. */
  hold(agentId: string): Promise<void>;
  /** This node holds no feed of the agent any more: absent from now unless another node holds it. */
  release(agentId: string): Promise<void>;
  /**
   * Absent from now, each of these agents that no node holds (a start, or Redis back, catching
   * up on feeds that were lost). An agent already absent for less than `dueMs` keeps its time:
   * the running nodes are counting it (a node restarting must not push back the away of the
   * agents of a node that died). One absent for `dueMs` or longer, and not settled, was counted
   * by nobody (the whole platform was down, or cut off from Redis): from now, so that consoles
   * get the whole wait to reconnect.
   */
  absentFromNow(agentIds: readonly string[], dueMs: number): Promise<void>;
  /** Agents absent for at least `ms`, until settled (so every node may see the same ones). */
  due(ms: number): Promise<Absence[]>;
  /** That absence was dealt with: forgotten, unless the agent was held or let go again since. */
  settle(absence: Absence): Promise<void>;
  /**
   * The agent chose to be online with no feed (an API client): unless some node holds it, its
   * absence is forgotten, and true is answered; false while it is held.
   */
  forget(agentId: string): Promise<boolean>;
}

/**
 * One process (or several platforms in one test process, each holding its own feeds): counts of
 * holders and absences in memory, on a monotonic clock (real time, as timers are; not the
 * platform's clock, which tests may stop).
 */
export class InMemoryPresenceStore implements PresenceStore {
  /** agent id → how many holders (platforms sharing this store) hold a feed of it. */
  private readonly holders = new Map<string, number>();
  /** agent id → since when nobody holds it. */
  private readonly absent = new Map<string, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  async hold(agentId: string): Promise<void> {
    this.holders.set(agentId, (this.holders.get(agentId) ?? 0) + 1);
    this.absent.delete(agentId);
  }

  async release(agentId: string): Promise<void> {
    const left = (this.holders.get(agentId) ?? 0) - 1;
    if (left > 0) {
      this.holders.set(agentId, left);
      return;
    }
    this.holders.delete(agentId);
    this.absent.set(agentId, this.now());
  }

  async absentFromNow(agentIds: readonly string[], dueMs: number): Promise<void> {
    const now = this.now();
    for (const agentId of agentIds) {
      if (this.holders.has(agentId)) continue;
      const since = this.absent.get(agentId);
      if (since === undefined || since <= now - dueMs) this.absent.set(agentId, now);
    }
  }

  async due(ms: number): Promise<Absence[]> {
    const by = this.now() - ms;
    const due: Absence[] = [];
    for (const [agentId, since] of this.absent) if (since <= by) due.push({ agentId, since });
    return due;
  }

  async settle({ agentId, since }: Absence): Promise<void> {
    if (this.absent.get(agentId) === since) this.absent.delete(agentId);
  }

  async forget(agentId: string): Promise<boolean> {
    if (this.holders.has(agentId)) return false;
    this.absent.delete(agentId);
    return true;
  }
}

/**
 * The estimated wait of a request in a queue, from the queue's recent acceptances (docs/tpi.md,
 * "Estimated wait"): one place in the queue is worth the average time between consecutive
 * acceptances of the last hour (at most the last 20), or the one recent request's wait; the
 * estimate is that times the place, in whole seconds, rounded up.
 */
import type { Db } from '../../db/database.js';

/** Requests accepted this long ago or less count. */
export const WAIT_HISTORY_MS = 60 * 60_000;
/** At most this many of the most recent acceptances count. */
export const WAIT_HISTORY_MAX = 20;
/** The time one place is worth is reused for this long (of the clock), per queue. */
export const WAIT_CACHE_MS = 2_000;

/** One accepted request: when it arrived (sessions.requested_at) and was accepted (sessions.created_at), ms. */
export interface Acceptance {
  requestedAt: number;
  acceptedAt: number;
}

/**
 * What one place in the queue is worth, as a fraction `ms / places` (kept apart so that the
 * estimate is rounded once, exactly); null when the history says nothing.
 */
export interface PlaceTime {
  ms: number;
  places: number;
}

/**
 * From the recent acceptances (any order): with two or more, the time from the oldest to the
 * newest acceptance over the gaps between them; with one, that request's wait; with none, null.
 */
export function placeTime(history: readonly Acceptance[]): PlaceTime | null {
  if (history.length === 0) return null;
  if (history.length === 1) {
    const only = history[0]!;
    return { ms: Math.max(0, only.acceptedAt - only.requestedAt), places: 1 };
  }
  let oldest = Infinity;
  let newest = -Infinity;
  for (const a of history) {
    oldest = Math.min(oldest, a.acceptedAt);
    newest = Math.max(newest, a.acceptedAt);
  }
  return { ms: newest - oldest, places: history.length - 1 };
}

/** The estimate for a place (1 is next; 0 is not waiting) in whole seconds, rounded up; null when unknown. */
export function estimateSeconds(perPlace: PlaceTime | null, place: number): number | null {
  if (place <= 0) return 0;
  if (!perPlace) return null;
  // Integers on both sides: the quotient is exact whenever it is whole, so ceil never overshoots.
  return Math.ceil((place * perPlace.ms) / (perPlace.places * 1000));
}

export class WaitEstimator {
  /** Per queue: when the time of a place was asked for, and the answer (shared by the calls of a burst while it is read). */
  private readonly cache = new Map<number, { at: number; perPlace: Promise<PlaceTime | null> }>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  /** Seconds a request at `place` in queue `queueId` is estimated to wait; 0 at place 0; null with no recent history. */
  async estimate(queueId: number, place: number): Promise<number | null> {
    if (place <= 0) return 0;
    return estimateSeconds(await this.perPlace(queueId), place);
  }

  private perPlace(queueId: number): Promise<PlaceTime | null> {
    const now = this.clock();
    const cached = this.cache.get(queueId);
    if (cached && now >= cached.at && now - cached.at < WAIT_CACHE_MS) return cached.perPlace;
    const perPlace = this.history(queueId, now).then(placeTime);
    const entry = { at: now, perPlace };
    this.cache.set(queueId, entry);
    // A failed read is not kept: the next call asks the store again.
    perPlace.catch(() => {
      if (this.cache.get(queueId) === entry) this.cache.delete(queueId);
    });
    return perPlace;
  }

  /** The queue's acceptances of the last hour, the most recent first, at most WAIT_HISTORY_MAX (index sessions_by_queue_start). */
  private async history(queueId: number, now: number): Promise<Acceptance[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(['requested_at', 'created_at'])
      .where('queue_id', '=', queueId)
      .where('created_at', '>=', now - WAIT_HISTORY_MS)
      .orderBy('created_at', 'desc')
      .limit(WAIT_HISTORY_MAX)
      .execute();
    return rows.map((r) => ({ requestedAt: Number(r.requested_at), acceptedAt: Number(r.created_at) }));
  }
}

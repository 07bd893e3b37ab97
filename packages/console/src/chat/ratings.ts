/**
 * The operator's rating scale (what a rating id means), fetched once per login, and a rating's
 * label in the console's language; an id the scale does not hold is shown as the bare number.
 */
import type { RatingOption } from '@elitewebchat/protocol/browser';
import { createStore, type Store } from '../app/store';
import { agentApi } from '../api/agent';

export function ratingLabel(scale: readonly RatingOption[] | null, ratingId: number, lng: string): string {
  const option = scale?.find((r) => r.id === ratingId);
  if (!option) return String(ratingId);
  const first = lng === 'en' ? option.label.en : option.label['zh-CN'];
  const other = lng === 'en' ? option.label['zh-CN'] : option.label.en;
  return first.trim() || other.trim() || String(ratingId);
}

export class RatingScale {
  /** null until fetched (ratings show as numbers meanwhile). */
  readonly store: Store<readonly RatingOption[] | null> = createStore<readonly RatingOption[] | null>(null);
  private loading = false;

  /** Fetches the scale unless it is already held (a failed fetch is tried again on the next call). */
  async load(): Promise<void> {
    if (this.store.get() !== null || this.loading) return;
    this.loading = true;
    try {
      this.store.set(await agentApi.ratings());
    } catch {
      // Numbers until the next (re)connect asks again.
    } finally {
      this.loading = false;
    }
  }
}

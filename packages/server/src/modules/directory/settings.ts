/** Platform-wide settings kept in the store: the rating scale. */
import type { RatingOption } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';

const RATINGS = 'ratings';

/** The operator's rating scale; empty: any integer is taken as a rating (the seed's behaviour). */
export async function ratingScale(db: Db): Promise<RatingOption[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', RATINGS).executeTakeFirst();
  return row ? (JSON.parse(row.value) as RatingOption[]) : [];
}

export async function setRatingScale(trx: Db, ratings: RatingOption[], now: number): Promise<void> {
  const value = JSON.stringify(ratings);
  await trx
    .insertInto('settings')
    .values({ key: RATINGS, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

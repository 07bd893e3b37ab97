/** A rating id as people read it: the scale's label in the console's language, or the bare number. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { ratingLabel } from './ratings';

export function useRatingLabel(): (ratingId: number) => string {
  const { ratings } = useServices();
  const scale = useStore(ratings.store, (s) => s);
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useCallback((ratingId: number) => ratingLabel(scale, ratingId, lng), [scale, lng]);
}

import type { TFunction } from 'i18next';

/** "★ 3 and up", and "★ 5 only" for the top one: the words of the rating select and of its chip. */
export function minRatingLabel(t: TFunction, rating: number): string {
  return rating >= 5 ? t('filters.ratingOnlyFive') : t('filters.ratingAtLeast', { rating });
}

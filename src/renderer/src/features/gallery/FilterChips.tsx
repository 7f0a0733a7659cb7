import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isDateSort, type GalleryAlbum, type ImageQuery } from '@shared/domain/image';
import { MODELS } from '@shared/domain/models';
import { useGallery } from '../../store/gallery';
import { hasFilters } from '../../store/galleryPages';
import { useLibrary } from '../../store/library';
import { minRatingLabel } from './filterLabels';

interface Chip {
  filter: string;
  label: string;
  /** What removing the chip changes in the query. */
  clear: Partial<ImageQuery>;
  /** What the chip's button says it does, for screen readers and as its tooltip. */
  action: string;
}

function formatDay(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso));
}

/** One chip per active filter, and one for a rating or model sort, in the order of the filter bar. */
export function filterChips(
  query: ImageQuery,
  albums: readonly GalleryAlbum[],
  t: TFunction,
  language: string,
): Chip[] {
  const chips: Omit<Chip, 'action'>[] = [];
  const text = (query.text ?? '').trim();
  if (text !== '')
    chips.push({ filter: 'text', label: t('filters.chipText', { text }), clear: { text: undefined } });
  if (query.favouritesOnly)
    chips.push({
      filter: 'favourites',
      label: t('filters.favourites'),
      clear: { favouritesOnly: undefined },
    });
  if (query.minRating)
    chips.push({
      filter: 'rating',
      label: minRatingLabel(t, query.minRating),
      clear: { minRating: undefined },
    });
  for (const model of query.models ?? []) {
    const rest = (query.models ?? []).filter((item) => item !== model);
    chips.push({ filter: 'model', label: t(`models.${MODELS[model].labelKey}`), clear: { models: rest } });
  }
  for (const ratio of query.aspectRatios ?? []) {
    const rest = (query.aspectRatios ?? []).filter((item) => item !== ratio);
    const label = ratio === 'auto' ? t('compose.auto') : ratio;
    chips.push({ filter: 'aspect', label, clear: { aspectRatios: rest } });
  }
  if (query.origin) {
    chips.push({
      filter: 'origin',
      label: t(`filters.origins.${query.origin}`),
      clear: { origin: undefined },
    });
  }
  if (query.albumId) {
    const name = albums.find((album) => album.id === query.albumId)?.name ?? '…';
    chips.push({ filter: 'album', label: t('filters.chipAlbum', { name }), clear: { albumId: undefined } });
  }
  if (query.tag)
    chips.push({ filter: 'tag', label: t('filters.chipTag', { tag: query.tag }), clear: { tag: undefined } });
  if (query.from)
    chips.push({
      filter: 'from',
      label: t('filters.chipFrom', { date: formatDay(query.from, language) }),
      clear: { from: undefined },
    });
  if (query.to)
    chips.push({
      filter: 'to',
      label: t('filters.chipTo', { date: formatDay(query.to, language) }),
      clear: { to: undefined },
    });
  if (query.status === 'missing')
    chips.push({ filter: 'status', label: t('filters.chipMissing'), clear: { status: undefined } });
  const filters = chips.map((chip) => ({ ...chip, action: t('filters.removeChip', { label: chip.label }) }));
  const sort = query.sort ?? 'newest';
  if (isDateSort(sort)) return filters;
  const label = sort === 'rating' ? t('filters.chipSortRating') : t('filters.chipSortModel');
  return [
    ...filters,
    { filter: 'sort', label, clear: { sort: 'newest' }, action: t('filters.resetSort', { label }) },
  ];
}

export function FilterChips() {
  const { t, i18n } = useTranslation();
  const query = useGallery((state) => state.query);
  const total = useGallery((state) => state.total);
  const setQuery = useGallery((state) => state.setQuery);
  const clearFilters = useGallery((state) => state.clearFilters);
  const albums = useLibrary((state) => state.albums);
  if (!hasFilters(query) && isDateSort(query.sort ?? 'newest')) return null;
  const chips = filterChips(query, albums, t, i18n.language);
  return (
    <div className="filter-chips" data-testid="filter-chips" aria-label={t('filters.active')} role="group">
      {chips.map((chip) => (
        <button
          key={`${chip.filter}:${chip.label}`}
          type="button"
          className="chip"
          data-testid="filter-chip"
          data-filter={chip.filter}
          aria-label={chip.action}
          title={chip.action}
          onClick={() => setQuery(chip.clear)}
        >
          {chip.label} <span aria-hidden="true">×</span>
        </button>
      ))}
      <button type="button" className="link-button" data-testid="filter-clear" onClick={clearFilters}>
        {t('filters.clearAll')}
      </button>
      {total !== null && (
        <span className="filter-count" data-testid="filter-count">
          {t('filters.matches', { count: total })}
        </span>
      )}
    </div>
  );
}

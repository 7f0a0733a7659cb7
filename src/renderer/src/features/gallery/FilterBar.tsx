import { useTranslation } from 'react-i18next';
import { GALLERY_ORIGIN_FILTERS, type GalleryOriginFilter, type GallerySort } from '@shared/domain/image';
import { ASPECT_RATIOS, MODEL_IDS, MODELS, type AspectRatio, type ModelId } from '@shared/domain/models';
import { THUMB_SIZE, useGallery } from '../../store/gallery';
import { SelectField } from '../../components/SelectField';
import { useLibrary } from '../../store/library';
import { fromDateInput, toDateInput } from './dates';
import { minRatingLabel } from './filterLabels';
import { SearchBox } from './SearchBox';

/** Search, filters, sort and tile size for the library view. */
export function FilterBar() {
  const { t } = useTranslation();
  const query = useGallery((state) => state.query);
  const setQuery = useGallery((state) => state.setQuery);
  const thumbSize = useGallery((state) => state.thumbSize);
  const setThumbSize = useGallery((state) => state.setThumbSize);
  const albums = useLibrary((state) => state.albums);
  const tags = useLibrary((state) => state.tags);
  const loadTags = useLibrary((state) => state.loadTags);
  return (
    <div className="filter-bar" role="search" aria-label={t('filters.label')} data-testid="filter-bar">
      <SearchBox />
      <button
        type="button"
        className="toggle-button"
        data-testid="filter-favourites"
        aria-pressed={query.favouritesOnly === true}
        onClick={() => setQuery({ favouritesOnly: !query.favouritesOnly })}
      >
        <span aria-hidden="true">♥</span> {t('filters.favourites')}
      </button>
      <SelectField<number>
        hideLabel
        label={t('filters.minRating')}
        testId="filter-rating"
        value={query.minRating ?? 0}
        options={[
          { value: 0, label: t('filters.anyRating') },
          ...[1, 2, 3, 4, 5].map((rating) => ({ value: rating, label: minRatingLabel(t, rating) })),
        ]}
        onChange={(rating) => setQuery({ minRating: rating > 0 ? rating : undefined })}
      />
      <SelectField<ModelId | ''>
        hideLabel
        label={t('filters.model')}
        testId="filter-model"
        value={query.models?.[0] ?? ''}
        options={[
          { value: '', label: t('filters.anyModel') },
          ...MODEL_IDS.map((model) => ({ value: model, label: t(`models.${MODELS[model].labelKey}`) })),
        ]}
        onChange={(model) => setQuery({ models: model ? [model] : undefined })}
      />
      <SelectField<AspectRatio | ''>
        hideLabel
        label={t('filters.aspectRatio')}
        testId="filter-aspect"
        value={query.aspectRatios?.[0] ?? ''}
        options={[
          { value: '', label: t('filters.anyAspect') },
          ...ASPECT_RATIOS.map((ratio) => ({
            value: ratio,
            label: ratio === 'auto' ? t('compose.auto') : ratio,
          })),
        ]}
        onChange={(ratio) => setQuery({ aspectRatios: ratio ? [ratio] : undefined })}
      />
      <SelectField<GalleryOriginFilter | ''>
        hideLabel
        label={t('filters.origin')}
        testId="filter-origin"
        value={query.origin ?? ''}
        options={[
          { value: '', label: t('filters.anyOrigin') },
          ...GALLERY_ORIGIN_FILTERS.map((origin) => ({
            value: origin,
            label: t(`filters.origins.${origin}`),
          })),
        ]}
        onChange={(origin) => setQuery({ origin: origin || undefined })}
      />
      <SelectField
        hideLabel
        label={t('filters.album')}
        testId="filter-album"
        value={query.albumId ?? ''}
        options={[
          { value: '', label: t('filters.anyAlbum') },
          ...albums.map((album) => ({ value: album.id, label: album.name })),
        ]}
        onChange={(albumId) => setQuery({ albumId: albumId || undefined })}
      />
      <SelectField
        hideLabel
        label={t('filters.tag')}
        testId="filter-tag"
        value={query.tag ?? ''}
        onFocus={() => void loadTags()}
        options={[
          { value: '', label: t('filters.anyTag') },
          // A tag chosen before (a chip, another window) that the loaded list does not have yet.
          ...(query.tag !== undefined && !tags.some((tag) => tag.name === query.tag)
            ? [{ value: query.tag, label: query.tag }]
            : []),
          ...tags.map((tag) => ({ value: tag.name, label: `${tag.name} (${tag.count})` })),
        ]}
        onChange={(tag) => setQuery({ tag: tag || undefined })}
      />
      <DateFilter
        label={t('filters.from')}
        testId="filter-from"
        value={query.from}
        max={query.to}
        onChange={(value) => setQuery({ from: fromDateInput(value, 'start') })}
      />
      <DateFilter
        label={t('filters.to')}
        testId="filter-to"
        value={query.to}
        min={query.from}
        onChange={(value) => setQuery({ to: fromDateInput(value, 'end') })}
      />
      <span className="toolbar-spacer" />
      <SelectField<GallerySort>
        hideLabel
        label={t('filters.sort')}
        testId="sort-select"
        value={query.sort ?? 'newest'}
        options={[
          { value: 'newest', label: t('filters.newest') },
          { value: 'oldest', label: t('filters.oldest') },
          { value: 'rating', label: t('filters.byRating') },
          { value: 'model', label: t('filters.byModel') },
        ]}
        onChange={(sort) => setQuery({ sort })}
      />
      <label className="thumb-size" title={t('filters.thumbSize')}>
        <span aria-hidden="true">▦</span>
        <input
          type="range"
          data-testid="thumb-size"
          aria-label={t('filters.thumbSize')}
          min={THUMB_SIZE.min}
          max={THUMB_SIZE.max}
          step={THUMB_SIZE.step}
          value={thumbSize}
          onChange={(event) => setThumbSize(Number(event.target.value))}
        />
      </label>
    </div>
  );
}

interface DateFilterProps {
  label: string;
  testId: string;
  /** ISO times from the query; the field shows their day. */
  value: string | undefined;
  min?: string | undefined;
  max?: string | undefined;
  /** The field's `YYYY-MM-DD`, or '' when cleared. */
  onChange(value: string): void;
}

/** One end of the date range. */
function DateFilter({ label, testId, value, min, max, onChange }: DateFilterProps) {
  return (
    <label className="date-field">
      <span>{label}</span>
      <input
        type="date"
        data-testid={testId}
        value={toDateInput(value)}
        min={toDateInput(min) || undefined}
        max={toDateInput(max) || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}

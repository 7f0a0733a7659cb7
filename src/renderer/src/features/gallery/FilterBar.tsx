import { useTranslation } from 'react-i18next';
import { GALLERY_ORIGIN_FILTERS, type GalleryOriginFilter, type GallerySort } from '@shared/domain/image';
import { ASPECT_RATIOS, MODEL_IDS, MODELS, type AspectRatio, type ModelId } from '@shared/domain/models';
import { THUMB_SIZE, useGallery } from '../../store/gallery';
import { useLibrary } from '../../store/library';
import { fromDateInput, toDateInput } from './dates';
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
        <span aria-hidden="true">★</span> {t('filters.favourites')}
      </button>
      <select
        data-testid="filter-model"
        aria-label={t('filters.model')}
        value={query.models?.[0] ?? ''}
        onChange={(event) =>
          setQuery({ models: event.target.value ? [event.target.value as ModelId] : undefined })
        }
      >
        <option value="">{t('filters.anyModel')}</option>
        {MODEL_IDS.map((model) => (
          <option key={model} value={model}>
            {t(`models.${MODELS[model].labelKey}`)}
          </option>
        ))}
      </select>
      <select
        data-testid="filter-aspect"
        aria-label={t('filters.aspectRatio')}
        value={query.aspectRatios?.[0] ?? ''}
        onChange={(event) =>
          setQuery({ aspectRatios: event.target.value ? [event.target.value as AspectRatio] : undefined })
        }
      >
        <option value="">{t('filters.anyAspect')}</option>
        {ASPECT_RATIOS.map((ratio) => (
          <option key={ratio} value={ratio}>
            {ratio === 'auto' ? t('compose.auto') : ratio}
          </option>
        ))}
      </select>
      <select
        data-testid="filter-origin"
        aria-label={t('filters.origin')}
        value={query.origin ?? ''}
        onChange={(event) =>
          setQuery({ origin: (event.target.value || undefined) as GalleryOriginFilter | undefined })
        }
      >
        <option value="">{t('filters.anyOrigin')}</option>
        {GALLERY_ORIGIN_FILTERS.map((origin) => (
          <option key={origin} value={origin}>
            {t(`filters.origins.${origin}`)}
          </option>
        ))}
      </select>
      <select
        data-testid="filter-album"
        aria-label={t('filters.album')}
        value={query.albumId ?? ''}
        onChange={(event) => setQuery({ albumId: event.target.value || undefined })}
      >
        <option value="">{t('filters.anyAlbum')}</option>
        {albums.map((album) => (
          <option key={album.id} value={album.id}>
            {album.name}
          </option>
        ))}
      </select>
      <select
        data-testid="filter-tag"
        aria-label={t('filters.tag')}
        value={query.tag ?? ''}
        onFocus={() => void loadTags()}
        onChange={(event) => setQuery({ tag: event.target.value || undefined })}
      >
        <option value="">{t('filters.anyTag')}</option>
        {query.tag !== undefined && !tags.some((tag) => tag.name === query.tag) && (
          <option value={query.tag}>{query.tag}</option>
        )}
        {tags.map((tag) => (
          <option key={tag.name} value={tag.name}>
            {tag.name} ({tag.count})
          </option>
        ))}
      </select>
      <label className="date-field">
        <span>{t('filters.from')}</span>
        <input
          type="date"
          data-testid="filter-from"
          value={toDateInput(query.from)}
          max={toDateInput(query.to) || undefined}
          onChange={(event) => setQuery({ from: fromDateInput(event.target.value, 'start') })}
        />
      </label>
      <label className="date-field">
        <span>{t('filters.to')}</span>
        <input
          type="date"
          data-testid="filter-to"
          value={toDateInput(query.to)}
          min={toDateInput(query.from) || undefined}
          onChange={(event) => setQuery({ to: fromDateInput(event.target.value, 'end') })}
        />
      </label>
      <span className="toolbar-spacer" />
      <select
        data-testid="sort-select"
        aria-label={t('filters.sort')}
        value={query.sort ?? 'newest'}
        onChange={(event) => setQuery({ sort: event.target.value as GallerySort })}
      >
        <option value="newest">{t('filters.newest')}</option>
        <option value="oldest">{t('filters.oldest')}</option>
      </select>
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

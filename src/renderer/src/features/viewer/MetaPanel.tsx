import { useTranslation } from 'react-i18next';
import { UNKNOWN_MODEL, type GalleryImage } from '@shared/domain/image';
import { MODELS } from '@shared/domain/models';
import { useViewer } from '../../store/viewer';

/** Prompt, model, parameters, task id, size and file of the open image. */
export function MetaPanel({ image }: { image: GalleryImage }) {
  const { t, i18n } = useTranslation();
  const detail = useViewer((state) => (state.detail?.image.id === image.id ? state.detail : null));
  const created = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(image.createdAt),
  );
  const size = new Intl.NumberFormat(i18n.language, {
    style: 'unit',
    unit: image.bytes >= 1024 * 1024 ? 'megabyte' : 'kilobyte',
    maximumFractionDigits: image.bytes >= 1024 * 1024 ? 1 : 0,
  }).format(image.bytes >= 1024 * 1024 ? image.bytes / (1024 * 1024) : image.bytes / 1024);
  const { params } = image;
  return (
    <dl className="viewer-meta" data-testid="viewer-meta">
      <dt>{t('viewer.prompt')}</dt>
      <dd className="viewer-prompt" data-testid="viewer-prompt">
        {params.prompt}
      </dd>
      <dt>{t('viewer.model')}</dt>
      <dd>
        {params.model === UNKNOWN_MODEL ? t('models.unknown') : t(`models.${MODELS[params.model].labelKey}`)}
        {image.demo && <span className="badge badge-demo">{t('gallery.demoTag')}</span>}
        {image.origin === 'imported' && (
          <span className="badge badge-imported">{t('gallery.importedTag')}</span>
        )}
      </dd>
      <dt>{t('viewer.parameters')}</dt>
      <dd>
        {[
          params.aspectRatio === 'auto' ? t('compose.auto') : params.aspectRatio,
          t(`formats.${params.outputFormat}`),
          params.resolution,
          params.googleSearch === true ? t('compose.googleSearch') : null,
        ]
          .filter((part): part is string => !!part)
          .join(' · ')}
      </dd>
      <dt>{t('viewer.size')}</dt>
      <dd>
        {image.width} × {image.height} · {size}
      </dd>
      <dt>{t('viewer.created')}</dt>
      <dd>{created}</dd>
      {image.kieTaskId && (
        <>
          <dt>{t('viewer.taskId')}</dt>
          <dd className="mono" data-testid="viewer-task-id">
            {image.kieTaskId}
          </dd>
        </>
      )}
      <dt>{t('viewer.file')}</dt>
      <dd className="viewer-file" data-testid="viewer-file-path">
        {detail?.filePath ?? image.fileName}
      </dd>
      {detail && detail.albums.length > 0 && (
        <>
          <dt>{t('viewer.albums')}</dt>
          <dd>
            {detail.albums.map((album) => (
              <span key={album.id} className="chip chip-static">
                {album.name}
              </span>
            ))}
          </dd>
        </>
      )}
    </dl>
  );
}

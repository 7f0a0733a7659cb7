import { useTranslation } from 'react-i18next';
import { zoomLevel, type Size } from '../viewer/useZoom';
import type { ComparePicture } from './useCompareImages';

interface NoteProps {
  picture: ComparePicture;
  scale: number;
  pane: Size;
  className?: string;
}

/**
 * What is written under a picture: its caption (an A/B run's varying value, "Original"…), its
 * own pixel size (pictures of different sizes are fitted into the same box, so the box says
 * nothing about it) and, while zoomed, how big it is drawn against its own pixels.
 */
export function PictureNote({ picture, scale, pane, className = 'compare-note' }: NoteProps) {
  const { t, i18n } = useTranslation();
  const { image, item } = picture;
  const level = image ? zoomLevel(scale, { width: image.width, height: image.height }, pane) : null;
  const numbers = new Intl.NumberFormat(i18n.language);
  const percent =
    typeof level === 'number'
      ? new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(level)
      : null;
  return (
    <div className={className} data-testid="compare-note">
      {item.caption && (
        <span className="compare-caption" data-testid="compare-caption" title={item.caption}>
          {item.caption}
        </span>
      )}
      {image && (
        <span className="compare-size" data-testid="compare-size">
          {t('compare.size', { width: numbers.format(image.width), height: numbers.format(image.height) })}
          {percent !== null && ` · ${percent}`}
        </span>
      )}
    </div>
  );
}

/** A picture drawn into its box with the shared zoom, or what stands in for it. */
export function PictureImage({
  picture,
  transform,
  testId = 'compare-image',
}: {
  picture: ComparePicture;
  transform: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { image, error } = picture;
  if (error) {
    return (
      <div className="compare-missing" role="alert" data-testid="compare-missing">
        {t('compare.gone')}
      </div>
    );
  }
  if (!image) return <div className="compare-loading" aria-busy="true" />;
  return (
    <img
      src={image.url}
      alt={picture.item.caption ?? image.params.prompt}
      data-testid={testId}
      data-image-id={image.id}
      draggable={false}
      style={{ transform }}
    />
  );
}

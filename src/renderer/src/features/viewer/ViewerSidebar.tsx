import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { RatingStars } from '../../components/RatingStars';
import { runsInElectron } from '../../ipc/pickBridge';
import {
  forgetImages,
  imageCommand,
  reuseSettings,
  setFavourite,
  setRating,
  trashImages,
  addAsReference,
} from '../../store/galleryActions';
import { useLibrary } from '../../store/library';
import { toastError, useToasts } from '../../store/toasts';
import { useViewer } from '../../store/viewer';
import { Lineage } from './Lineage';
import { MetaPanel } from './MetaPanel';
import { TagEditor } from './TagEditor';
import { CloseButton } from '../../components/CloseButton';
import { copyImageInBrowser } from './copyInBrowser';
import { ViewerRunActions } from '../runs/ViewerRunActions';

interface SidebarProps {
  image: GalleryImage;
  closeRef: RefObject<HTMLButtonElement | null>;
}

export function ViewerSidebar({ image, closeRef }: SidebarProps) {
  const { t } = useTranslation();
  const close = useViewer((state) => state.close);
  return (
    <aside className="viewer-info" aria-label={t('viewer.details')}>
      <div className="viewer-head">
        <button
          type="button"
          className={image.favourite ? 'fav-toggle fav-on' : 'fav-toggle'}
          data-testid="viewer-favourite"
          aria-pressed={image.favourite}
          aria-label={t('gallery.favouriteToggle')}
          title={image.favourite ? t('gallery.unfavourite') : t('gallery.favourite')}
          onClick={() => void setFavourite([image.id], !image.favourite)}
        >
          {/* A heart, so it never reads as one more rating star beside the five. */}
          {image.favourite ? '♥' : '♡'}
        </button>
        <RatingStars
          value={image.rating}
          testId="viewer-rating"
          onChange={(rating) => void setRating([image.id], rating)}
        />
        <CloseButton
          ref={closeRef}
          label={t('viewer.close')}
          testId="viewer-close"
          onClick={close}
          className="icon-button viewer-close"
        />
      </div>
      {image.status === 'missing' && <MissingNotice id={image.id} />}
      <ViewerActions image={image} />
      <MetaPanel image={image} />
      <TagEditor imageId={image.id} />
      <Lineage imageId={image.id} />
    </aside>
  );
}

/** Copy through core (the OS clipboard) on the desktop, through the browser's clipboard on the web. */
async function copyImage(image: GalleryImage): Promise<void> {
  if (runsInElectron()) return imageCommand('gallery.copyImage', image.id);
  try {
    await copyImageInBrowser(image.url);
    useToasts.getState().show({ kind: 'copied' });
  } catch (error) {
    toastError({ code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  }
}

function ViewerActions({ image }: { image: GalleryImage }) {
  const { t } = useTranslation();
  const missing = image.status === 'missing';
  // A browser cannot show a folder or start an app on this computer: the web version offers a
  // download instead, and says where the desktop actions are.
  const desktop = runsInElectron();
  return (
    <div className="viewer-actions" role="group" aria-label={t('viewer.actions')}>
      <button
        type="button"
        className="primary"
        data-testid="viewer-reuse"
        onClick={() => reuseSettings(image)}
      >
        {t('viewer.reuse')}
      </button>
      <ViewerRunActions image={image} />
      <button
        type="button"
        data-testid="viewer-reference"
        title={t('viewer.referenceHint')}
        disabled={missing}
        onClick={() => void addAsReference(image)}
      >
        {t('viewer.reference')}
      </button>
      <button
        type="button"
        data-testid="viewer-copy"
        disabled={missing}
        onClick={() => void copyImage(image)}
      >
        {t('viewer.copy')}
      </button>
      {desktop && (
        <>
          <button
            type="button"
            data-testid="viewer-reveal"
            disabled={missing}
            onClick={() => void imageCommand('gallery.reveal', image.id)}
          >
            {t('viewer.reveal')}
          </button>
          <button
            type="button"
            data-testid="viewer-open"
            disabled={missing}
            onClick={() => void imageCommand('gallery.open', image.id)}
          >
            {t('viewer.openWith')}
          </button>
        </>
      )}
      {!desktop && !missing && (
        <a
          className="viewer-download"
          data-testid="viewer-download"
          href={image.url}
          download={image.fileName}
        >
          {t('viewer.download')}
        </a>
      )}
      <button
        type="button"
        className="danger-button"
        data-testid="viewer-trash"
        onClick={() => void trashImages([image.id])}
      >
        {t('viewer.trash')}
      </button>
      {!desktop && (
        <p className="help viewer-desktop-only" data-testid="viewer-desktop-only">
          {t('viewer.desktopOnly')}
        </p>
      )}
    </div>
  );
}

function MissingNotice({ id }: { id: string }) {
  const { t } = useTranslation();
  const rescanning = useLibrary((state) => state.rescanning);
  return (
    <div className="alert alert-warn" role="status" data-testid="viewer-missing">
      <p>{t('viewer.missing')}</p>
      <div className="inline-actions">
        <button
          type="button"
          className="link-button"
          data-testid="viewer-forget"
          onClick={() => void forgetImages([id])}
        >
          {t('gallery.forget')}
        </button>
        <button
          type="button"
          className="link-button"
          disabled={rescanning}
          onClick={() => void useLibrary.getState().rescan()}
        >
          {t('library.rescan')}
        </button>
      </div>
    </div>
  );
}

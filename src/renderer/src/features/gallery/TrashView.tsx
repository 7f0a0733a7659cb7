import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrashedImage } from '@shared/ipc/galleryRoutes';
import { errorText } from '../../components/errorText';
import { purgeImages, restoreImages } from '../../store/galleryActions';
import { useTrash } from '../../store/trash';

/** "Recently deleted": restore, or send on to the OS trash. */
export function TrashView() {
  const { t, i18n } = useTranslation();
  const { items, total, loaded, error, load } = useTrash();
  useEffect(() => {
    void load();
  }, [load]);
  const all = items.map((item) => item.id);
  return (
    <div className="trash-view" data-testid="trash-view">
      <div className="trash-head">
        <p className="help">{t('trash.explain')}</p>
        {items.length > 0 && (
          <div className="trash-bulk">
            <button type="button" data-testid="trash-restore-all" onClick={() => void restoreImages(all)}>
              {t('trash.restoreAll')}
            </button>
            <button
              type="button"
              className="danger-button"
              data-testid="trash-purge-all"
              onClick={() => void purgeImages(all)}
            >
              {t('trash.purgeAll')}
            </button>
          </div>
        )}
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {errorText(t, error)}
        </div>
      )}
      {loaded && items.length === 0 ? (
        <p className="empty" data-testid="trash-empty">
          {t('trash.empty')}
        </p>
      ) : (
        <ul className="trash-list" data-testid="trash-list">
          {items.map((item) => (
            <TrashItem key={item.id} item={item} language={i18n.language} />
          ))}
        </ul>
      )}
      {total > items.length && <p className="help">{t('trash.more', { shown: items.length, total })}</p>}
    </div>
  );
}

function TrashItem({ item, language }: { item: TrashedImage; language: string }) {
  const { t } = useTranslation();
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <li className="trash-item" data-testid="trash-item" data-image-id={item.id}>
      <img src={item.thumbUrl} alt="" loading="lazy" />
      <div className="trash-text">
        <p className="trash-prompt">{item.params.prompt}</p>
        <p className="help">
          {t('trash.deletedAt', { date: format.format(new Date(item.trashedAt)) })} ·{' '}
          {t('trash.purgeAt', { date: format.format(new Date(item.purgeAt)) })}
        </p>
      </div>
      <button type="button" data-testid="trash-restore" onClick={() => void restoreImages([item.id])}>
        {t('trash.restore')}
      </button>
      <button
        type="button"
        className="danger-button"
        data-testid="trash-purge"
        onClick={() => void purgeImages([item.id])}
      >
        {t('trash.purge')}
      </button>
    </li>
  );
}

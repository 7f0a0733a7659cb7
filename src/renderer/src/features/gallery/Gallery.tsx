import { useTranslation } from 'react-i18next';
import { useUi } from '../../store/stores';
import { AlbumsView } from './AlbumsView';
import { LibraryBar, RebuiltNotice } from './LibraryBar';
import { LibraryView } from './LibraryView';
import { TrashView } from './TrashView';

export function Gallery() {
  const { t } = useTranslation();
  const view = useUi((state) => state.galleryView);
  return (
    <section className="gallery" aria-label={t('gallery.title')}>
      <LibraryBar />
      <RebuiltNotice />
      {view === 'library' && <LibraryView />}
      {view === 'albums' && <AlbumsView />}
      {view === 'trash' && <TrashView />}
    </section>
  );
}

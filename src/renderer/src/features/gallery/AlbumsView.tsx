import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryAlbum } from '@shared/domain/image';
import { api } from '../../ipc/api';
import { useConfirm } from '../../store/confirm';
import { useGallery } from '../../store/gallery';
import { useLibrary } from '../../store/library';
import { useUi } from '../../store/stores';

/** Albums as cards: open one (the library filtered to it), create, rename, delete. */
export function AlbumsView() {
  const { t } = useTranslation();
  const albums = useLibrary((state) => state.albums);
  const [name, setName] = useState('');
  const create = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return;
    void useLibrary.getState().createAlbum(name.trim());
    setName('');
  };
  return (
    <div className="albums-view" data-testid="albums-view">
      <form className="album-create" onSubmit={create}>
        <input
          type="text"
          data-testid="album-create-name"
          aria-label={t('albums.newName')}
          placeholder={t('albums.newName')}
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="primary" data-testid="album-create" disabled={name.trim() === ''}>
          {t('albums.create')}
        </button>
      </form>
      {albums.length === 0 ? (
        <p className="empty" data-testid="albums-empty">
          {t('albums.empty')}
        </p>
      ) : (
        <ul className="album-grid">
          {albums.map((album) => (
            <AlbumCard key={album.id} album={album} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** The cover's thumbnail URL: albums carry only the cover's id. */
function useCoverUrl(coverId: string | null): string | null {
  const [cover, setCover] = useState<{ id: string; url: string } | null>(null);
  useEffect(() => {
    if (coverId === null) return;
    let live = true;
    void api()
      .request('gallery.get', { id: coverId })
      .then((result) => {
        if (live && result.ok) setCover({ id: coverId, url: result.value.thumbUrl });
      });
    return () => {
      live = false;
    };
  }, [coverId]);
  return cover !== null && cover.id === coverId ? cover.url : null;
}

function AlbumCard({ album }: { album: GalleryAlbum }) {
  const { t, i18n } = useTranslation();
  const cover = useCoverUrl(album.coverId);
  const [renaming, setRenaming] = useState<string | null>(null);
  const open = () => {
    useGallery.getState().setQuery({ albumId: album.id });
    useUi.getState().setGalleryView('library');
  };
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (renaming === null || renaming.trim() === '') return;
    if (await useLibrary.getState().renameAlbum(album.id, renaming.trim())) setRenaming(null);
  };
  const remove = async () => {
    if (await useConfirm.getState().ask({ kind: 'deleteAlbum', name: album.name }))
      await useLibrary.getState().deleteAlbum(album.id);
  };
  return (
    <li className="album-card" data-testid="album-card" data-album-id={album.id}>
      <button type="button" className="album-cover" data-testid="album-open" onClick={open}>
        {cover ? (
          <img src={cover} alt="" loading="lazy" />
        ) : (
          <span className="album-cover-empty" aria-hidden="true" />
        )}
        <span className="album-name">{album.name}</span>
        <span className="album-count">
          {t('albums.count', { count: new Intl.NumberFormat(i18n.language).format(album.count) })}
        </span>
      </button>
      {renaming === null ? (
        <div className="album-actions">
          <button
            type="button"
            className="link-button"
            data-testid="album-rename"
            onClick={() => setRenaming(album.name)}
          >
            {t('albums.rename')}
          </button>
          <button
            type="button"
            className="link-button danger-link"
            data-testid="album-delete"
            onClick={() => void remove()}
          >
            {t('albums.delete')}
          </button>
        </div>
      ) : (
        <form className="album-actions" onSubmit={(event) => void rename(event)}>
          <input
            type="text"
            data-testid="album-rename-input"
            aria-label={t('albums.renameLabel', { name: album.name })}
            value={renaming}
            maxLength={200}
            onChange={(event) => setRenaming(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                setRenaming(null);
              }
            }}
          />
          <button type="submit" className="link-button" data-testid="album-rename-save">
            {t('albums.save')}
          </button>
        </form>
      )}
    </li>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addToAlbum, createAlbumWith } from '../../store/galleryActions';
import { useLibrary } from '../../store/library';

interface PickerProps {
  /** Read when the user acts, so the picker works on the selection as it is then. */
  ids(): string[];
  onDone(): void;
}

/** Add the images to an album, or to a new one. */
export function AlbumPicker({ ids, onDone }: PickerProps) {
  const { t } = useTranslation();
  const albums = useLibrary((state) => state.albums);
  const [name, setName] = useState('');
  const create = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return;
    void createAlbumWith(name.trim(), ids());
    onDone();
  };
  return (
    <div className="picker">
      {albums.length > 0 && (
        <ul className="picker-list">
          {albums.map((album) => (
            <li key={album.id}>
              <button
                type="button"
                data-testid="album-option"
                onClick={() => {
                  void addToAlbum(album.id, ids());
                  onDone();
                }}
              >
                {album.name} <span className="muted">({album.count})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="picker-form" onSubmit={create}>
        <input
          type="text"
          data-testid="album-new-name"
          aria-label={t('albums.newName')}
          placeholder={t('albums.newName')}
          value={name}
          maxLength={200}
          onChange={(event) => setName(event.target.value)}
        />
        <button
          type="submit"
          className="primary"
          data-testid="album-new-create"
          disabled={name.trim() === ''}
        >
          {t('albums.createAndAdd')}
        </button>
      </form>
    </div>
  );
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tagImages } from '../../store/galleryActions';
import { useLibrary } from '../../store/library';

interface PickerProps {
  ids(): string[];
  onDone(): void;
}

/** Add a tag to the images, or remove one from them. */
export function TagPicker({ ids, onDone }: PickerProps) {
  const { t } = useTranslation();
  const listId = useId();
  const tags = useLibrary((state) => state.tags);
  const [tag, setTag] = useState('');
  const name = tag.trim();
  const run = (change: { add: string[]; remove: string[] }) => {
    void tagImages(ids(), change);
    onDone();
  };
  return (
    <form
      className="picker picker-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (name !== '') run({ add: [name], remove: [] });
      }}
    >
      <input
        type="text"
        data-testid="tag-input"
        list={listId}
        aria-label={t('tags.name')}
        placeholder={t('tags.name')}
        value={tag}
        maxLength={64}
        onFocus={() => void useLibrary.getState().loadTags()}
        onChange={(event) => setTag(event.target.value)}
      />
      <datalist id={listId}>
        {tags.map((item) => (
          <option key={item.name} value={item.name} />
        ))}
      </datalist>
      <div className="picker-actions">
        <button type="submit" className="primary" data-testid="tag-add" disabled={name === ''}>
          {t('tags.add')}
        </button>
        <button
          type="button"
          data-testid="tag-remove"
          disabled={name === ''}
          onClick={() => run({ add: [], remove: [name] })}
        >
          {t('tags.remove')}
        </button>
      </div>
    </form>
  );
}

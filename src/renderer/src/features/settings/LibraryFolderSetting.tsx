import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIBRARY_MOVE_PROBLEMS } from '@shared/ipc/galleryRoutes';
import type { WireError } from '@shared/ipc/result';
import { errorText } from '../../components/errorText';
import { useLibrary } from '../../store/library';

const isMoveProblem = (value: unknown): boolean =>
  (LIBRARY_MOVE_PROBLEMS as readonly unknown[]).includes(value);

/** The library folder, and moving it (files and all) to a folder the user picks. */
export function LibraryFolderSetting({ path, onMoved }: { path: string; onMoved(root: string): void }) {
  const { t } = useTranslation();
  const moving = useLibrary((state) => state.moving);
  const moveFolder = useLibrary((state) => state.moveFolder);
  const [error, setError] = useState<WireError | null>(null);

  const move = async () => {
    setError(null);
    const result = await moveFolder();
    if (!result.ok) setError(result.error);
    else if (result.root) onMoved(result.root);
  };

  return (
    <div className="setting">
      <span className="field-label">{t('settings.library')}</span>
      <p className="help mono" data-testid="library-path">
        {path}
      </p>
      <p className="help">{t('settings.libraryHelp')}</p>
      <button
        type="button"
        className="secondary"
        data-testid="library-move"
        disabled={moving}
        onClick={() => void move()}
      >
        {moving ? t('settings.libraryMoving') : t('settings.libraryMove')}
      </button>
      {error && (
        <p className="alert alert-error" role="alert" data-testid="library-move-error">
          {isMoveProblem(error.details?.['problem'])
            ? t(`settings.libraryMoveErrors.${error.details?.['problem']}`)
            : errorText(t, error)}
        </p>
      )}
    </div>
  );
}

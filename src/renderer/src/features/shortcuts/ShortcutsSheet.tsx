import { Fragment, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShortcuts } from '../../store/shortcuts';
import { isNamedKey, SHORTCUT_GROUPS } from './shortcutList';

export function ShortcutsSheet() {
  const open = useShortcuts((state) => state.open);
  return open ? <ShortcutsBody /> : null;
}

function ShortcutsBody() {
  const { t } = useTranslation();
  const id = useId();
  const setOpen = useShortcuts((state) => state.setOpen);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [setOpen]);

  const keyLabel = (key: string) => (isNamedKey(key) ? t(`shortcuts.keys.${key}`) : key);
  return (
    <div className="overlay" onMouseDown={(event) => event.target === event.currentTarget && setOpen(false)}>
      <div
        className="dialog dialog-wide shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="shortcuts-sheet"
      >
        <div className="dialog-head">
          <h2 id={`${id}-title`}>{t('shortcuts.title')}</h2>
          <button
            ref={closeRef}
            type="button"
            className="icon-button"
            data-testid="shortcuts-close"
            aria-label={t('shortcuts.close')}
            onClick={() => setOpen(false)}
          >
            ×
          </button>
        </div>
        <p className="help">{t('shortcuts.hint')}</p>
        <div className="shortcut-groups">
          {SHORTCUT_GROUPS.map((group) => (
            <section key={group.id} className="shortcut-group" aria-labelledby={`${id}-${group.id}`}>
              <h3 id={`${id}-${group.id}`}>{t(`shortcuts.groups.${group.id}`)}</h3>
              <dl>
                {group.shortcuts.map((shortcut) => (
                  <div key={shortcut.action} className="shortcut" data-testid="shortcut">
                    <dt>
                      {shortcut.combos.map((combo, index) => (
                        <Fragment key={combo.join('+')}>
                          {index > 0 && <span className="shortcut-or"> / </span>}
                          {combo.map((key, keyIndex) => (
                            <Fragment key={key}>
                              {keyIndex > 0 && <span className="shortcut-plus">+</span>}
                              <kbd>{keyLabel(key)}</kbd>
                            </Fragment>
                          ))}
                        </Fragment>
                      ))}
                    </dt>
                    <dd>{t(`shortcuts.actions.${shortcut.action}`)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

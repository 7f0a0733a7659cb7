import { Fragment, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../../components/Modal';
import { useShortcuts } from '../../store/shortcuts';
import { isNamedKey, SHORTCUT_GROUPS } from './shortcutList';
import { CloseButton } from '../../components/CloseButton';

export function ShortcutsSheet() {
  const open = useShortcuts((state) => state.open);
  return open ? <ShortcutsBody /> : null;
}

function ShortcutsBody() {
  const { t } = useTranslation();
  const id = useId();
  const setOpen = useShortcuts((state) => state.setOpen);
  const closeRef = useRef<HTMLButtonElement>(null);

  const keyLabel = (key: string) => (isNamedKey(key) ? t(`shortcuts.keys.${key}`) : key);
  return (
    <Modal
      className="dialog dialog-wide shortcuts"
      aria-labelledby={`${id}-title`}
      data-testid="shortcuts-sheet"
      initialFocus={closeRef}
      onClose={() => setOpen(false)}
    >
      <div className="dialog-head">
        <h2 id={`${id}-title`}>{t('shortcuts.title')}</h2>
        <CloseButton
          ref={closeRef}
          label={t('shortcuts.close')}
          testId="shortcuts-close"
          onClick={() => setOpen(false)}
        />
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
    </Modal>
  );
}

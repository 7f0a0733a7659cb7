import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import {
  EMPTY_PROMPT_LIBRARY,
  searchPromptLibrary,
  templateVariables,
  withStyle,
  type LibraryEntry,
  type PromptTemplate,
} from '@shared/domain/promptLibrary';
import { useSettings } from '../../store/settings';
import { replaceToken, slashQuery, type SlashQuery } from './slashQuery';
import { TemplateFillDialog } from './TemplateFillDialog';

interface SlashMenuOptions {
  box: RefObject<HTMLTextAreaElement | null>;
  prompt: string;
  setPrompt(text: string): void;
}

/**
 * Typing `/` in the prompt box opens a list of the saved templates and styles, filtered by what
 * follows the slash. ↑/↓ move, Enter or Tab picks, Esc closes. A template replaces the `/word`
 * (after a form for its variables); a style removes it and appends its phrase.
 */
export function useSlashMenu({ box, prompt, setPrompt }: SlashMenuOptions) {
  const listId = useId();
  const library = useSettings((state) => state.view?.promptLibrary ?? EMPTY_PROMPT_LIBRARY);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  /** The slash the user closed the list on with Esc: it stays closed until another is typed. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [filling, setFilling] = useState<{ template: PromptTemplate; token: SlashQuery } | null>(null);
  const nextCaret = useRef<number | null>(null);

  const token = slashQuery(prompt, caret);
  const open = token !== null && token.start !== dismissed && filling === null;
  const items = open ? searchPromptLibrary(library, token.query) : [];
  const activeIndex = Math.min(active, Math.max(0, items.length - 1));

  useEffect(() => {
    const element = box.current;
    if (nextCaret.current === null || !element) return;
    element.setSelectionRange(nextCaret.current, nextCaret.current);
    setCaret(nextCaret.current);
    nextCaret.current = null;
  }, [prompt, box]);

  const place = (text: string, at: number) => {
    nextCaret.current = at;
    setPrompt(text);
    box.current?.focus();
  };

  const pick = (item: LibraryEntry) => {
    if (!token) return;
    setActive(0);
    if (item.kind === 'style') {
      const text = withStyle(replaceToken(prompt, token, '').text, item.entry.phrase);
      place(text, text.length);
    } else if (templateVariables(item.entry.text).length > 0) {
      setFilling({ template: item.entry, token });
    } else {
      const next = replaceToken(prompt, token, item.entry.text);
      place(next.text, next.caret);
    }
  };

  /** Handles the keys the open list owns; true when the event was used. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    if (event.key === 'Escape') {
      event.preventDefault();
      // The Esc closes the list, not the panel or a dialog behind it.
      event.stopPropagation();
      setDismissed(token.start);
      return true;
    }
    if (items.length === 0) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + items.length) % items.length);
      return true;
    }
    if (
      (event.key === 'Enter' && !event.ctrlKey && !event.metaKey && !event.shiftKey) ||
      event.key === 'Tab'
    ) {
      const item = items[activeIndex];
      if (!item) return false;
      event.preventDefault();
      pick(item);
      return true;
    }
    return false;
  };

  const track = (element: HTMLTextAreaElement) => {
    setCaret(element.selectionStart === element.selectionEnd ? element.selectionStart : null);
    if (dismissed !== null && slashQuery(element.value, element.selectionStart)?.start !== dismissed) {
      setDismissed(null);
    }
  };

  const optionId = (index: number) => `${listId}-${index}`;
  const inputProps = {
    role: 'combobox',
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open && items.length > 0 ? optionId(activeIndex) : undefined,
    onSelect: (event: { currentTarget: HTMLTextAreaElement }) => track(event.currentTarget),
    onInput: (event: { currentTarget: HTMLTextAreaElement }) => track(event.currentTarget),
  };

  const menu = (
    <>
      {open && (
        <SlashMenuList
          id={listId}
          items={items}
          active={activeIndex}
          optionId={optionId}
          empty={library.templates.length + library.styles.length === 0}
          onPick={pick}
          onHover={setActive}
        />
      )}
      {filling && (
        <TemplateFillDialog
          template={filling.template}
          onCancel={() => {
            setFilling(null);
            box.current?.focus();
          }}
          onDone={(text) => {
            const next = replaceToken(prompt, filling.token, text);
            setFilling(null);
            place(next.text, next.caret);
          }}
        />
      )}
    </>
  );
  return { inputProps, onKeyDown, menu };
}

function SlashMenuList({
  id,
  items,
  active,
  optionId,
  empty,
  onPick,
  onHover,
}: {
  id: string;
  items: LibraryEntry[];
  active: number;
  optionId(index: number): string;
  /** Nothing saved yet: say how to save, rather than showing an empty box. */
  empty: boolean;
  onPick(item: LibraryEntry): void;
  onHover(index: number): void;
}) {
  const { t } = useTranslation();
  return (
    <div className="slash-menu" data-testid="slash-menu">
      {items.length === 0 ? (
        <p className="empty" data-testid="slash-menu-empty">
          {empty ? t('promptLibrary.menuEmpty') : t('promptLibrary.menuNoMatch')}
        </p>
      ) : (
        <ul id={id} role="listbox" aria-label={t('promptLibrary.menuLabel')}>
          {items.map((item, index) => (
            <li
              key={item.entry.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              data-testid="slash-menu-item"
              data-kind={item.kind}
              className={index === active ? 'active' : undefined}
              // The textarea keeps the focus (and its caret) while the mouse picks.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(item)}
              onMouseEnter={() => onHover(index)}
            >
              <span className="slash-kind">
                {item.kind === 'template' ? t('promptLibrary.template') : t('promptLibrary.style')}
              </span>
              <span className="slash-name">{item.entry.name}</span>
              <span className="slash-text">
                {item.kind === 'template' ? item.entry.text : item.entry.phrase}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

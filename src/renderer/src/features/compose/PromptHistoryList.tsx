import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchHistory } from '../../store/composeRules';

/** The searchable list of earlier prompts in the history popover; a click puts one back. */
export function PromptHistoryList({
  history,
  onPick,
}: {
  history: readonly string[];
  /** The picked entry's index in `history`. */
  onPick(index: number): void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const matches = searchHistory(history, query);
  return (
    <div className="picker prompt-history" data-testid="prompt-history">
      <input
        type="text"
        data-testid="prompt-history-search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder={t('compose.historySearch')}
        aria-label={t('compose.historySearch')}
      />
      {history.length === 0 ? (
        <p className="empty">{t('compose.historyEmpty')}</p>
      ) : matches.length === 0 ? (
        <p className="empty">{t('compose.historyNoMatch')}</p>
      ) : (
        <ul className="picker-list prompt-history-list">
          {matches.map((item) => (
            <li key={item}>
              <button
                type="button"
                data-testid="prompt-history-item"
                title={item}
                onClick={() => onPick(history.indexOf(item))}
              >
                {item}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

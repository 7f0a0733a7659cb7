import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MODELS } from '@shared/domain/models';
import { Popover } from '../../components/Popover';
import { MarkPhrases } from '../annotate/MarkPhrases';
import {
  caretPlace,
  counterLevel,
  measuredLength,
  promptProblem,
  promptsOf,
  stepHistory,
} from '../../store/composeRules';
import { usePromptHistory } from '../../store/promptHistory';
import { useCompose } from '../../store/stores';
import { PromptHistoryList } from './PromptHistoryList';
import { EntryDialog, nameFromText } from '../prompts/EntryDialog';
import { useSlashMenu } from '../prompts/SlashMenu';
import { useNumberFormat } from './useComposeCost';

/**
 * The prompt: a multi-line box with a counter against the model's limit, ↑/↓ recall of earlier
 * prompts, a searchable history, and batch mode (one prompt per line).
 */
export function PromptBox({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const prompt = useCompose((state) => state.prompt);
  const model = useCompose((state) => state.model);
  const batch = useCompose((state) => state.batch);
  const setPrompt = useCompose((state) => state.setPrompt);
  const setBatch = useCompose((state) => state.setBatch);
  const requestSubmit = useCompose((state) => state.requestSubmit);
  const history = usePromptHistory((state) => state.items);
  const historyLoaded = usePromptHistory((state) => state.loaded);
  const loadHistory = usePromptHistory((state) => state.load);
  /** The history entry on show (see stepHistory), or null. */
  const [recalled, setRecalled] = useState<number | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const caretToEnd = useRef(false);
  const slash = useSlashMenu({ box, prompt, setPrompt });
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!historyLoaded) void loadHistory();
  }, [historyLoaded, loadHistory]);

  useEffect(() => {
    const element = box.current;
    if (!caretToEnd.current || !element) return;
    caretToEnd.current = false;
    element.setSelectionRange(element.value.length, element.value.length);
  }, [prompt]);

  const show = (text: string, index: number | null) => {
    caretToEnd.current = true;
    setRecalled(index);
    setPrompt(text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (slash.onKeyDown(event)) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      requestSubmit();
      return;
    }
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    // The first load may have failed (core not reachable yet): try again for the next press.
    if (!historyLoaded) void loadHistory();
    const element = event.currentTarget;
    const step = stepHistory(
      history,
      recalled,
      prompt,
      event.key === 'ArrowUp' ? 'older' : 'newer',
      caretPlace(element.value, element.selectionStart, element.selectionEnd),
    );
    if (!step) return;
    event.preventDefault();
    show(step.prompt, step.index);
  };

  const limit = MODELS[model].promptMaxChars;
  const length = measuredLength(prompt, batch);
  const level = counterLevel(length, limit);
  const problem = promptProblem(prompt, model, batch);
  const modelName = t(`models.${MODELS[model].labelKey}`);

  return (
    <div className="field prompt-field">
      <div className="prompt-head">
        <label className="field-label" htmlFor={`${id}-prompt`}>
          {t('compose.prompt')}
        </label>
        <div className="prompt-tools">
          <label className="inline-toggle" title={t('compose.batchHint')}>
            <input
              type="checkbox"
              data-testid="batch-toggle"
              checked={batch}
              onChange={(event) => setBatch(event.target.checked)}
            />
            {t('compose.batch')}
          </label>
          <button
            type="button"
            className="secondary"
            data-testid="prompt-save-to-library"
            title={t('promptLibrary.saveHint')}
            disabled={prompt.trim() === ''}
            onClick={() => setSaving(true)}
          >
            {t('promptLibrary.saveButton')}
          </button>
          <Popover
            testId="prompt-history-button"
            className="prompt-history-popover"
            label={t('compose.history')}
            ariaLabel={t('compose.historyLabel')}
          >
            {(close) => (
              <PromptHistoryList
                history={history}
                onPick={(index) => {
                  show(history[index] ?? '', index);
                  close();
                  box.current?.focus();
                }}
              />
            )}
          </Popover>
        </div>
      </div>
      <div className="prompt-input-wrap">
        <textarea
          id={`${id}-prompt`}
          ref={box}
          data-testid="prompt-input"
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={batch ? t('compose.batchPlaceholder') : t('compose.promptPlaceholder')}
          rows={7}
          aria-invalid={problem?.kind === 'tooLong'}
          aria-describedby={`${id}-counter`}
          {...slash.inputProps}
        />
        {slash.menu}
      </div>
      {saving && (
        <EntryDialog
          initial={{ kind: 'template', name: nameFromText(prompt), text: prompt }}
          editing={false}
          onClose={() => {
            setSaving(false);
            box.current?.focus();
          }}
        />
      )}
      <div
        id={`${id}-counter`}
        className={`counter counter-${level}`}
        data-testid="prompt-counter"
        data-level={level}
      >
        {batch
          ? t('compose.counterBatch', {
              prompts: format(promptsOf(prompt, true).length),
              length: format(length),
              limit: format(limit),
            })
          : t('compose.counter', { length: format(length), limit: format(limit) })}
      </div>
      <MarkPhrases box={box} />
      {problem?.kind === 'tooLong' && (
        <p className="field-problem" role="alert" data-testid="prompt-too-long">
          {problem.line === null
            ? t('compose.tooLong', { over: format(problem.over), limit: format(limit), model: modelName })
            : t('compose.tooLongLine', {
                line: format(problem.line),
                over: format(problem.over),
                limit: format(limit),
                model: modelName,
              })}
        </p>
      )}
    </div>
  );
}

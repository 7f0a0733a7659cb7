import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fillTemplate, templateVariables, type PromptTemplate } from '@shared/domain/promptLibrary';
import { Modal } from '../../components/Modal';

/** Asks for a template's `{variables}` and hands back the filled prompt text. */
export function TemplateFillDialog({
  template,
  onDone,
  onCancel,
}: {
  template: PromptTemplate;
  onDone(text: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const first = useRef<HTMLInputElement>(null);
  const names = templateVariables(template.text);
  const [values, setValues] = useState<Record<string, string>>({});
  const missing = names.filter((name) => (values[name] ?? '').trim() === '');
  const [tried, setTried] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missing.length === 0) onDone(fillTemplate(template.text, values));
  };

  return (
    <Modal
      className="dialog dialog-small template-fill"
      aria-labelledby={`${id}-title`}
      data-testid="template-fill"
      initialFocus={first}
      onClose={onCancel}
    >
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{t('promptLibrary.fillTitle', { name: template.name })}</h2>
        {names.map((name, index) => (
          <label className="field" key={name}>
            <span className="field-label">{name}</span>
            <input
              ref={index === 0 ? first : undefined}
              type="text"
              data-testid="template-fill-field"
              data-variable={name}
              value={values[name] ?? ''}
              aria-invalid={tried && missing.includes(name)}
              onChange={(event) => setValues((before) => ({ ...before, [name]: event.target.value }))}
            />
          </label>
        ))}
        <p className="help template-preview" data-testid="template-fill-preview">
          {fillTemplate(
            template.text,
            Object.fromEntries(names.map((name) => [name, values[name] || `{${name}}`])),
          )}
        </p>
        {tried && missing.length > 0 && (
          <p className="field-problem" role="alert" data-testid="template-fill-problem">
            {t('promptLibrary.fillMissing', { names: missing.join(t('promptLibrary.listSeparator')) })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onCancel}>
            {t('promptLibrary.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="template-fill-ok">
            {t('promptLibrary.use')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

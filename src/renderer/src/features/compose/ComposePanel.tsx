import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AbRunPanel } from '../runs/AbRunPanel';
import { BatchConfirmDialog } from './BatchConfirmDialog';
import { ModelFields } from './ModelFields';
import { PromptBox } from './PromptBox';
import { ReferenceTray } from './ReferenceTray';
import { SubmitBar } from './SubmitBar';

export function ComposePanel() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="panel compose" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel-title">
        {t('compose.title')}
      </h2>
      <PromptBox id={id} />
      <ReferenceTray />
      <ModelFields />
      <AbRunPanel />
      <SubmitBar />
      <BatchConfirmDialog />
    </section>
  );
}

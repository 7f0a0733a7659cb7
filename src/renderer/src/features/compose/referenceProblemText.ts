import type { TFunction } from 'i18next';
import { MODELS } from '@shared/domain/models';
import { megabytes, REFERENCE_MAX_BYTES } from '@shared/domain/reference';
import { errorText } from '../../components/errorText';
import type { ReferenceProblem } from '../../store/referenceProblems';

/** One sentence per problem, in the user's language, naming the file. */
export function referenceProblemText(t: TFunction, problem: ReferenceProblem): string {
  if (problem.kind === 'notImage') return t('references.problems.notImage');
  if (problem.kind === 'refused') return problem.message;
  if (problem.kind === 'duplicates') {
    const names = problem.names.map((name) => `“${name.trim() === '' ? t('references.unnamed') : name}”`);
    return t('references.problems.duplicates', { names: names.join(t('references.nameSeparator')) });
  }
  if (problem.kind === 'count') {
    return t('references.problems.count', {
      model: t(`models.${MODELS[problem.model].labelKey}`),
      limit: problem.limit,
      skipped: problem.skipped,
    });
  }
  const name = problem.name.trim() === '' ? t('references.unnamed') : problem.name;
  switch (problem.kind) {
    case 'type':
      return t('references.problems.type', { name });
    case 'empty':
      return t('references.problems.empty', { name });
    case 'size':
      return problem.model === null
        ? t('references.problems.size', {
            name,
            size: megabytes(problem.bytes),
            limit: megabytes(REFERENCE_MAX_BYTES),
          })
        : t('references.problems.sizeForModel', {
            name,
            size: megabytes(problem.bytes),
            model: t(`models.${MODELS[problem.model].labelKey}`),
            limit: megabytes(MODELS[problem.model].referenceMaxBytes),
          });
    case 'folder':
      return t('references.problems.folder', { name });
    case 'damaged':
      return t('references.problems.damaged', { name });
    case 'pixels':
      return t('references.problems.pixels', { name, width: problem.width, height: problem.height });
    case 'duplicate':
      return t('references.problems.duplicate', { name });
    case 'unreadable':
      return t('references.problems.unreadable', { name });
    case 'failed':
      return t('references.problems.failed', { name, reason: errorText(t, problem.error) });
  }
}

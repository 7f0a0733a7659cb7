import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MODELS, modelIdSchema } from '@shared/domain/models';
import type { GroupLabel } from './layout';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per language: making one is far slower than using it, and headers mount often. */
function fullDate(language: string): Intl.DateTimeFormat {
  let formatter = formatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, { dateStyle: 'full' });
    formatters.set(language, formatter);
  }
  return formatter;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "Today", "Yesterday" or the full local date. */
export function useDayLabel(createdAt: string): string {
  const { t, i18n } = useTranslation();
  const date = new Date(createdAt);
  const days = Math.round((startOfDay(new Date()) - startOfDay(date)) / DAY_MS);
  if (days === 0) return t('gallery.today');
  if (days === 1) return t('gallery.yesterday');
  return fullDate(i18n.language).format(date);
}

interface HeaderPlacement {
  /** The header of the group at the top of the view: it stays put while that group scrolls by. */
  sticky: boolean;
  top: number;
  height: number;
}

function HeaderRow({
  sticky,
  top,
  height,
  testId,
  children,
}: HeaderPlacement & { testId: string; children: ReactNode }) {
  return (
    <div
      className={sticky ? 'day-header day-header-sticky' : 'day-header'}
      role="row"
      data-testid={testId}
      style={sticky ? { height } : { height, transform: `translateY(${top}px)` }}
    >
      <span role="rowheader">{children}</span>
    </div>
  );
}

function DayHeader({ createdAt, ...placement }: HeaderPlacement & { createdAt: string }) {
  const label = useDayLabel(createdAt);
  return (
    <HeaderRow {...placement} testId="day-header">
      {label}
    </HeaderRow>
  );
}

/** A group's header: its day for the date sorts, its rating or model for the others. */
export function GroupHeader({ group, ...placement }: HeaderPlacement & { group: GroupLabel }) {
  const { t } = useTranslation();
  if (group.kind === 'day') return <DayHeader {...placement} createdAt={group.createdAt} />;
  if (group.kind === 'rating') {
    return (
      <HeaderRow {...placement} testId="group-header">
        <span className="group-stars" aria-hidden="true">
          {'★'.repeat(group.rating) + '☆'.repeat(5 - group.rating)}
        </span>{' '}
        {group.rating === 0 ? t('gallery.groupUnrated') : t('gallery.ratingValue', { rating: group.rating })}
      </HeaderRow>
    );
  }
  const model = modelIdSchema.safeParse(group.model);
  return (
    <HeaderRow {...placement} testId="group-header">
      {model.success ? t(`models.${MODELS[model.data].labelKey}`) : t('models.unknown')}
    </HeaderRow>
  );
}

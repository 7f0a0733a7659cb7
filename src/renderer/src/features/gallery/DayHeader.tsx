import { useTranslation } from 'react-i18next';

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

interface DayHeaderProps {
  createdAt: string;
  /** The header of the day at the top of the view: it stays put while that day scrolls by. */
  sticky: boolean;
  top: number;
  height: number;
}

export function DayHeader({ createdAt, sticky, top, height }: DayHeaderProps) {
  const label = useDayLabel(createdAt);
  return (
    <div
      className={sticky ? 'day-header day-header-sticky' : 'day-header'}
      role="row"
      data-testid="day-header"
      style={sticky ? { height } : { height, transform: `translateY(${top}px)` }}
    >
      <span role="rowheader">{label}</span>
    </div>
  );
}

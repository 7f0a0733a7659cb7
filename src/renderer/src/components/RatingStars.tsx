import { useTranslation } from 'react-i18next';

interface RatingStarsProps {
  value: number;
  onChange(rating: number): void;
  testId: string;
}

/** Five stars (radios: one rating at a time); choosing the current rating again clears it. */
export function RatingStars({ value, onChange, testId }: RatingStarsProps) {
  const { t } = useTranslation();
  return (
    <div
      className="rating"
      role="radiogroup"
      aria-label={t('rating.label')}
      data-testid={testId}
      data-rating={value}
    >
      {[1, 2, 3, 4, 5].map((star) => (
        <button
          key={star}
          type="button"
          role="radio"
          aria-checked={value === star}
          className={star <= value ? 'star star-on' : 'star'}
          data-testid={`${testId}-${star}`}
          aria-label={t('rating.rate', { rating: star })}
          title={value === star ? t('rating.clear') : t('rating.rate', { rating: star })}
          onClick={() => onChange(value === star ? 0 : star)}
        >
          {star <= value ? '★' : '☆'}
        </button>
      ))}
    </div>
  );
}

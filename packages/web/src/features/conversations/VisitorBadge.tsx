import { useI18n } from '../../i18n/i18n-context.js';

/** A small "visitor" tag for a public-widget visitor's conversation or connection. */
export function VisitorBadge() {
  const { t } = useI18n();
  return (
    <span
      data-testid="visitor-badge"
      className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100"
    >
      {t('widget.visitorBadge')}
    </span>
  );
}

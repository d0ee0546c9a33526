import { useI18n } from '../../i18n/i18n-context.js';
import type { MentionTarget } from './mention.js';

/**
 * The chosen mention, shown before the text as it will be sent (`@Support bot`), with a button
 * to remove it. Backspace at the start of the text removes it too (see the composer).
 */
export function MentionChip({
  mention,
  onRemove,
}: {
  mention: MentionTarget;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <span className="mt-0.5 inline-flex max-w-[45%] shrink-0 items-center gap-0.5 rounded-full bg-indigo-100 py-0.5 pr-0.5 pl-2 text-sm text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100">
      <span className="truncate" title={t('mention.chipTitle', { name: mention.display })}>
        @{mention.display}
      </span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={t('mention.remove', { name: mention.display })}
        className="inline-flex size-5 shrink-0 items-center justify-center rounded-full hover:bg-indigo-200 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-indigo-900"
      >
        <span aria-hidden="true">×</span>
      </button>
    </span>
  );
}

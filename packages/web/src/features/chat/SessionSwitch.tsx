import type { SessionType } from '@botwire/client';
import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';

const OPTIONS: { value: SessionType; label: MessageKey }[] = [
  { value: 'person', label: 'common.person' },
  { value: 'group', label: 'common.group' },
];

/** Chooses the person (own) or group (shared) conversation; a radio group, so arrows work. */
export function SessionSwitch({
  value,
  onChange,
}: {
  value: SessionType;
  onChange: (value: SessionType) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="flex items-center gap-1 text-sm">
      <legend className="sr-only">{t('chat.conversationType')}</legend>
      {OPTIONS.map((option) => (
        <label
          key={option.value}
          className={`relative inline-flex min-h-11 cursor-pointer items-center rounded px-3 sm:min-h-7 sm:px-2 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600 ${
            value === option.value
              ? 'bg-indigo-600 text-white'
              : 'border border-slate-300 dark:border-slate-700'
          }`}
        >
          <input
            type="radio"
            name="session-type"
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
            // Transparent over the whole label rather than visually hidden: the radio itself
            // takes the click, so it is hit-testable (automation, screen magnifiers).
            className="absolute inset-0 m-0 cursor-pointer appearance-none opacity-0"
          />
          {t(option.label)}
        </label>
      ))}
    </fieldset>
  );
}

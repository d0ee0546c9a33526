import { useRef } from 'react';
import { useI18n } from '../../i18n/i18n-context.js';
import { IMAGE_ACCEPT } from './image-files.js';

/**
 * The composer's "Attach images" button: opens the system file picker (PNG, JPEG, GIF, WebP,
 * several at once). The file input itself is hidden; the button is what the keyboard and
 * screen readers reach, and its title says that pasting and dropping work too.
 */
export function AttachButton({
  onFiles,
  disabled,
}: {
  onFiles: (files: File[]) => void;
  disabled: boolean;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const { t } = useI18n();
  return (
    <>
      <button
        type="button"
        aria-label={t('attachments.attach')}
        aria-describedby="composer-attach-hint"
        title={t('attachments.attachHint')}
        disabled={disabled}
        onClick={() => inputRef.current?.click()}
        className="grid h-11 w-10 shrink-0 place-items-center rounded border border-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="size-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <rect x="3" y="4" width="18" height="16" rx="2" />
          <circle cx="9" cy="10" r="2" />
          <path d="m21 16-5-5-9 9" />
        </svg>
      </button>
      <span id="composer-attach-hint" className="sr-only">
        {t('attachments.attachHint')}
      </span>
      <input
        ref={inputRef}
        type="file"
        accept={IMAGE_ACCEPT}
        multiple
        hidden
        tabIndex={-1}
        data-testid="composer-file-input"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Picking the same file again must fire a change too.
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}

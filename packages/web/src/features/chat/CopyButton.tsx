import { chatToast } from './chat-toast.js';
import { useI18n } from '../../i18n/i18n-context.js';

/** The browser refused the fallback copy (no Clipboard API, and `execCommand` said no). */
class CopyRefusedError extends Error {}

/**
 * Copies `text`: the asynchronous Clipboard API where the page may use it (a secure context),
 * else the old select-and-copy on a hidden textarea, which works on plain-http installs too.
 */
export async function copyText(text: string): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.clipboard !== undefined) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Denied (no permission, or the document lost focus): try the fallback below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  // Off-screen rather than hidden: a hidden element cannot be selected.
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  document.body.append(area);
  const active = document.activeElement;
  area.select();
  try {
    // execCommand is deprecated but still the only synchronous way without the Clipboard API.
    if (!document.execCommand('copy')) throw new CopyRefusedError();
  } finally {
    area.remove();
    if (active instanceof HTMLElement) active.focus();
  }
}

/** A small "Copy message" button; says "Copied" in a toast (and announces it) on success. */
export function CopyButton({
  text,
  tone = 'normal',
  label,
}: {
  text: string;
  /** The button's accessible name and tooltip. */
  label?: string;
  /** `inverse` on a coloured bubble (the user's own messages). */
  tone?: 'normal' | 'inverse';
}) {
  const { t } = useI18n();
  const name = label ?? t('message.copy');
  async function copy(): Promise<void> {
    try {
      await copyText(text);
      chatToast.success(t('common.copied'));
    } catch (error) {
      chatToast.error(
        t('toast.copyFailed', {
          error:
            error instanceof CopyRefusedError
              ? t('toast.copyRefused')
              : error instanceof Error
                ? error.message
                : String(error),
        }),
      );
    }
  }

  return (
    <button
      type="button"
      aria-label={name}
      title={name}
      onClick={() => void copy()}
      className={`inline-flex size-11 items-center sm:size-6 justify-center rounded focus-visible:outline-2 ${
        tone === 'inverse'
          ? 'text-indigo-100 hover:bg-white/15 hover:text-white focus-visible:outline-white'
          : 'text-slate-500 hover:bg-black/10 hover:text-slate-900 focus-visible:outline-indigo-600 dark:text-slate-400 dark:hover:bg-white/10 dark:hover:text-slate-100'
      }`}
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 16 16"
        className="size-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      >
        <rect x="5" y="5" width="8.5" height="8.5" rx="1.5" />
        <path d="M10.5 5V3.5A1.5 1.5 0 0 0 9 2H3.5A1.5 1.5 0 0 0 2 3.5V9a1.5 1.5 0 0 0 1.5 1.5H5" />
      </svg>
    </button>
  );
}

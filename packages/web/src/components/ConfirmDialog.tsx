import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context.js';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  /** The element that opens the dialog (usually a button); Radix wires up focus and ARIA. */
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  /** The confirming button's text, e.g. "Delete pipeline". */
  confirmLabel: string;
  /** Runs on confirm; the dialog stays open (buttons disabled) until it settles. */
  onConfirm: () => Promise<void> | void;
  /** `danger` styles the confirm button red, for actions that destroy data. */
  tone?: 'danger' | 'default';
}

/**
 * A confirmation for actions that cannot be undone (delete, reset, revoke). Built on Radix's
 * AlertDialog: focus moves into it and returns to the trigger, Escape cancels, and screen
 * readers announce it as an alert dialog with its title and description.
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  onConfirm,
  tone = 'danger',
}: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const { t } = useI18n();

  async function confirm(): Promise<void> {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
    } finally {
      setBusy(false);
    }
  }

  const confirmClass =
    tone === 'danger'
      ? 'bg-red-600 hover:bg-red-500 focus-visible:outline-red-600'
      : 'bg-indigo-600 hover:bg-indigo-500 focus-visible:outline-indigo-600';

  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !busy && setOpen(next)}>
      <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(28rem,92vw)] -translate-x-1/2 -translate-y-1/2 space-y-4 rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100">
          <AlertDialog.Title className="text-base font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description className="text-sm text-slate-600 dark:text-slate-300">
            {description}
          </AlertDialog.Description>
          <div className="flex justify-end gap-2">
            <AlertDialog.Cancel
              disabled={busy}
              className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              {t('common.cancel')}
            </AlertDialog.Cancel>
            <button
              type="button"
              disabled={busy}
              onClick={() => void confirm()}
              className={`rounded px-3 py-1.5 text-sm font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-60 ${confirmClass}`}
            >
              {busy ? t('common.working') : confirmLabel}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.js';

/** Props of {@link ImageViewer}. */
export interface ImageViewerProps {
  /** The thumbnail (a button) that opens the viewer; focus returns to it on close. */
  trigger: ReactNode;
  src: string;
  alt: string;
  /** Offer "Open in a new tab" (not for data URIs, which browsers refuse to open as a page). */
  canOpenInTab: boolean;
}

/**
 * An image at full size in a modal dialog (Radix): focus moves into it and back to the
 * thumbnail, Escape or Close closes it, screen readers announce it by the image's description.
 * A dialog rather than a new tab: the reader stays in the conversation, keyboard users land
 * back where they were, and the tab remains one step away for those who want it.
 */
export function ImageViewer({ trigger, src, alt, canOpenInTab }: ImageViewerProps) {
  const { t } = useI18n();
  return (
    <Dialog.Root>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/70" />
        <Dialog.Content
          aria-describedby={undefined}
          className="fixed top-1/2 left-1/2 z-50 flex max-h-[95dvh] w-max max-w-[95vw] -translate-x-1/2 -translate-y-1/2 flex-col gap-2 rounded-lg bg-white p-3 text-slate-900 shadow-xl dark:bg-slate-900 dark:text-slate-100"
        >
          <div className="flex items-center gap-3">
            <Dialog.Title className="min-w-0 flex-1 truncate text-sm font-medium">
              {alt}
            </Dialog.Title>
            {canOpenInTab && (
              <a
                href={src}
                target="_blank"
                rel="noopener noreferrer"
                className="inline-flex min-h-11 items-center rounded px-2 text-sm text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-8 dark:text-indigo-300"
              >
                {t('image.openInTab')}
              </a>
            )}
            <Dialog.Close className="inline-flex min-h-11 items-center rounded border border-slate-300 px-3 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-8 dark:border-slate-700 dark:hover:bg-slate-800">
              {t('image.close')}
            </Dialog.Close>
          </div>
          <img
            src={src}
            alt={alt}
            className="max-h-[calc(95dvh-4.5rem)] max-w-full min-w-0 object-contain"
          />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

import { useI18n } from '../../i18n/i18n-context.js';
import type { ImageAttachments } from './useImageAttachments.js';

/** Props of {@link AttachmentTray}. */
export interface AttachmentTrayProps {
  attachments: Pick<
    ImageAttachments,
    'attachments' | 'errors' | 'uploading' | 'remove' | 'dismissErrors'
  >;
  /** Files are being dragged over the composer: say they can be dropped. */
  dragging: boolean;
  /** After Remove or Dismiss: focus goes back to the message box (the button is gone). */
  onDone: () => void;
}

/**
 * Above the message box: the images to send as small previews, each with a Remove button
 * named after its file, the upload in progress, and why a file was refused or an upload
 * failed (an alert, with the server's own words for the latter).
 */
export function AttachmentTray({
  attachments: { attachments, errors, uploading, remove, dismissErrors },
  dragging,
  onDone,
}: AttachmentTrayProps) {
  const { t } = useI18n();
  return (
    <>
      {dragging && (
        <p className="pointer-events-none absolute inset-x-0 top-1 text-center text-xs font-medium text-indigo-800 dark:text-indigo-200">
          {t('attachments.dropHere')}
        </p>
      )}
      <div role="alert" className="empty:hidden">
        {errors.length > 0 && (
          <div className="mb-2 flex items-start gap-2 rounded border border-red-300 bg-red-50 px-2 py-1.5 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            <ul className="min-w-0 flex-1 space-y-0.5 break-words">
              {errors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
            <button
              type="button"
              onClick={() => {
                dismissErrors();
                onDone();
              }}
              className="inline-flex min-h-11 shrink-0 items-center rounded px-2 text-xs font-medium underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-red-700 sm:min-h-6"
            >
              {t('attachments.dismiss')}
            </button>
          </div>
        )}
      </div>
      {attachments.length > 0 && (
        <ul aria-label={t('attachments.list')} className="mb-2 flex flex-wrap gap-2">
          {attachments.map((attachment) => (
            <li
              key={attachment.id}
              className="flex items-center gap-1.5 rounded border border-slate-300 bg-slate-50 p-1 text-xs dark:border-slate-700 dark:bg-slate-900"
            >
              {attachment.preview === undefined ? (
                <span aria-hidden="true" className="grid size-12 place-items-center text-lg">
                  🖼
                </span>
              ) : (
                <img
                  src={attachment.preview}
                  alt={t('attachments.previewAlt', { name: attachment.name })}
                  className="size-12 rounded object-cover"
                />
              )}
              <span className="max-w-32 truncate" title={attachment.name}>
                {attachment.name}
              </span>
              <button
                type="button"
                aria-label={t('attachments.remove', { name: attachment.name })}
                title={t('attachments.remove', { name: attachment.name })}
                disabled={uploading}
                onClick={() => {
                  remove(attachment.id);
                  onDone();
                }}
                className="grid size-11 place-items-center rounded text-base hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50 sm:size-7 dark:hover:bg-slate-800"
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {uploading && (
        <p role="status" className="mb-1.5 text-xs text-slate-600 dark:text-slate-300">
          {t('attachments.uploading', { count: attachments.length })}
        </p>
      )}
    </>
  );
}

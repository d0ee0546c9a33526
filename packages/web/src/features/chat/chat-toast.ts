import { toast, type ExternalToast } from 'sonner';

/**
 * The chat's toasts, shown at the top centre. The console's toaster sits bottom right, which is
 * exactly where the chat dialog's Send and Stop buttons are: a toast there would cover them for
 * seconds, right when the user wants to stop a reply.
 */
const PLACEMENT: ExternalToast = { position: 'top-center' };

type Show = (message: string, options?: ExternalToast) => string | number;

function placed(show: Show): Show {
  return (message, options) => show(message, { ...PLACEMENT, ...options });
}

/** `toast.success`/`info`/`warning`/`error`, placed clear of the composer. */
export const chatToast = {
  success: placed(toast.success),
  info: placed(toast.info),
  warning: placed(toast.warning),
  error: placed(toast.error),
};

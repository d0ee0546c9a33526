import { toast, type ExternalToast } from 'sonner';

/**
 * The chat's toasts, shown top right. The console's toaster sits bottom right, which is exactly
 * where the chat dialog's Send and Stop buttons are: a toast there would cover them for seconds,
 * right when the user wants to stop a reply. Top centre would cover the connection status the
 * toast is about; top right covers at most Reset and Close, which nobody needs that instant.
 */
const PLACEMENT: ExternalToast = { position: 'top-right' };

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

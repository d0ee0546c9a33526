import { useEffect } from 'react';

/**
 * Focus that should return to the control that opened a screen once the user comes back (the
 * "Open debug chat" link after leaving the chat), as it would after closing a dialog.
 */
let pendingId: string | undefined;

/** Remembers the element id to focus when the user returns to the current screen. */
export function returnFocusLater(id: string): void {
  pendingId = id;
}

/** Focuses the remembered element once `ready` (the list it is in has rendered). */
export function useReturnFocus(ready: boolean): void {
  useEffect(() => {
    if (!ready || pendingId === undefined) return;
    const element = document.getElementById(pendingId);
    if (element === null) return;
    pendingId = undefined;
    element.focus();
  }, [ready]);
}

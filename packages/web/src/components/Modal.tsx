import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** Props of {@link Modal}. */
export interface ModalProps {
  /** The id of the element that names the dialog (its heading). */
  labelledBy: string;
  /** Escape, or the caller's own close button. */
  onClose: () => void;
  /** Selector of the element to focus on open; the first focusable element otherwise. */
  initialFocus?: string;
  /** Classes of the panel (size, colours). */
  className?: string;
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog drawn in the page (a portal into `<body>`), not in the browser's top layer.
 * The native `<dialog>.showModal()` puts its content above everything and makes the rest of
 * the page inert, so Radix dialogs, popovers and sonner toasts, which render outside it, would
 * be hidden behind it and unclickable. This keeps what the native modal gave: focus moves in
 * on open, Tab stays inside, Escape closes, focus returns where it was, the page behind does
 * not scroll, and `aria-modal` tells screen readers the rest is out of reach.
 */
export function Modal({ labelledBy, onClose, initialFocus, className = '', children }: ModalProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement;
    const panel = panelRef.current;
    const first =
      (initialFocus === undefined ? null : panel?.querySelector<HTMLElement>(initialFocus)) ??
      panel?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, [initialFocus]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const panel = panelRef.current;
    // React events bubble through portals: keys pressed in a Radix dialog opened from here reach
    // this handler too, and must be left to that dialog.
    if (panel === null || !(event.target instanceof Node) || !panel.contains(event.target)) return;
    if (event.key === 'Escape') {
      // A popover or menu inside that handled Escape (Radix marks it so) closes alone.
      if (event.defaultPrevented) return;
      event.preventDefault();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [...panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (element) => element.offsetParent !== null || element === document.activeElement,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (first === undefined || last === undefined) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    <div className="fixed inset-0 z-30 flex items-center justify-center bg-black/40">
      <div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        onKeyDown={onKeyDown}
        className={className}
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}

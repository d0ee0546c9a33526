import type { ReactNode } from 'react';

/** The help text and the error message shown under a form control. */
export interface FieldMessagesProps {
  /** The control's id; the messages get `<id>-hint` and `<id>-error`. */
  id: string;
  /** What the field is for or which values it takes. */
  hint?: ReactNode;
  /** Why the current value is refused; absent when it is fine. */
  error?: string;
}

/**
 * The attributes that tie a control to its messages: `aria-invalid` while there is an error,
 * and `aria-describedby` naming the hint and the error, so a screen reader reads both when the
 * control is focused (which is how the first invalid field is announced after a submit).
 */
export function fieldAccessibility({ id, hint, error }: FieldMessagesProps): {
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
} {
  const described = [
    hint === undefined ? undefined : `${id}-hint`,
    error === undefined ? undefined : `${id}-error`,
  ].filter((entry) => entry !== undefined);
  return {
    'aria-invalid': error === undefined ? undefined : true,
    'aria-describedby': described.length === 0 ? undefined : described.join(' '),
  };
}

/** Renders a control's hint and error, with the ids {@link fieldAccessibility} points at. */
export function FieldMessages({ id, hint, error }: FieldMessagesProps) {
  return (
    <>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </>
  );
}

import type { ReactNode } from 'react';

/**
 * What every labelled form field takes besides its control's own attributes: the label, the
 * value as a string with a plain-string `onChange`, and the hint and error shown under it.
 */
export interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
}

/** The control attributes a field sets itself, so callers cannot pass them twice. */
export type FieldOwnedAttributes = 'onChange' | 'value' | 'className' | 'id';

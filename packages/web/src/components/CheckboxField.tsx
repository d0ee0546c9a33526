import type { InputHTMLAttributes, ReactNode } from 'react';
import { FieldMessages, fieldAccessibility } from './FieldMessages.js';

/** Props of {@link CheckboxField}. */
export interface CheckboxFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'onChange' | 'checked' | 'className' | 'id' | 'type'
> {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
  error?: string;
}

/** A checkbox with its label beside it (the whole label toggles it) and a hint under it. */
export function CheckboxField({
  id,
  label,
  checked,
  onChange,
  hint,
  error,
  ...input
}: CheckboxFieldProps) {
  return (
    <div className="space-y-1">
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          className="mt-0.5 size-4 shrink-0 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          {...fieldAccessibility({ id, hint, error })}
          {...input}
        />
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
      </div>
      <div className="pl-6">
        <FieldMessages id={id} hint={hint} error={error} />
      </div>
    </div>
  );
}

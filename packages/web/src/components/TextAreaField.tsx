import type { TextareaHTMLAttributes } from 'react';
import type { FieldOwnedAttributes, FieldProps } from './field-props.js';
import { CONTROL_CLASS, LABEL_CLASS } from './field-styles.js';
import { FieldMessages, fieldAccessibility } from './FieldMessages.js';

/** Props of {@link TextAreaField}. */
export interface TextAreaFieldProps
  extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, FieldOwnedAttributes>, FieldProps {}

/** A labelled multi-line text input with its hint and error message under it. */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  hint,
  error,
  rows = 4,
  ...textarea
}: TextAreaFieldProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={LABEL_CLASS}>
        {label}
      </label>
      <textarea
        id={id}
        value={value}
        rows={rows}
        onChange={(event) => onChange(event.target.value)}
        className={`${CONTROL_CLASS} resize-y`}
        {...fieldAccessibility({ id, hint, error })}
        {...textarea}
      />
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

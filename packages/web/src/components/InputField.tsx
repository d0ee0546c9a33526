import type { InputHTMLAttributes } from 'react';
import type { FieldOwnedAttributes, FieldProps } from './field-props.js';
import { CONTROL_CLASS, LABEL_CLASS } from './field-styles.js';
import { FieldMessages, fieldAccessibility } from './FieldMessages.js';

/** Props of {@link InputField}: an input's own attributes plus label, hint and error. */
export interface InputFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, FieldOwnedAttributes>, FieldProps {}

/**
 * A labelled single-line input (text, number, URL, password) with its hint and error message
 * under it. Numbers stay strings here: the form decides how to parse and what to say about
 * text that is not a number, instead of the browser silently turning it into an empty value.
 */
export function InputField({ id, label, value, onChange, hint, error, ...input }: InputFieldProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={LABEL_CLASS}>
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className={CONTROL_CLASS}
        {...fieldAccessibility({ id, hint, error })}
        {...input}
      />
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

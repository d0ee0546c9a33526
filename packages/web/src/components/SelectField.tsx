import type { SelectHTMLAttributes } from 'react';
import type { FieldOwnedAttributes, FieldProps } from './field-props.js';
import { CONTROL_CLASS, LABEL_CLASS } from './field-styles.js';
import { FieldMessages, fieldAccessibility } from './FieldMessages.js';

/** One choice of a {@link SelectField}. */
export interface SelectOption<TValue extends string> {
  value: TValue;
  label: string;
}

/** Props of {@link SelectField}. */
export interface SelectFieldProps<TValue extends string>
  extends
    Omit<SelectHTMLAttributes<HTMLSelectElement>, FieldOwnedAttributes>,
    Omit<FieldProps, 'value' | 'onChange'> {
  value: TValue;
  options: readonly SelectOption<TValue>[];
  onChange: (value: TValue) => void;
}

/**
 * A labelled native select. Native, because it is keyboard- and screen-reader-friendly on every
 * platform, including the phone pickers, without extra code.
 */
export function SelectField<TValue extends string>({
  id,
  label,
  value,
  options,
  onChange,
  hint,
  error,
  ...select
}: SelectFieldProps<TValue>) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={LABEL_CLASS}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          // Only the offered values can be chosen; the lookup keeps the type without a cast.
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen !== undefined) onChange(chosen.value);
        }}
        className={`${CONTROL_CLASS} dark:bg-slate-950`}
        {...fieldAccessibility({ id, hint, error })}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

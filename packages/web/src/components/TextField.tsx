import type { InputHTMLAttributes } from 'react';

/** Props of {@link TextField}: an input's own attributes plus its label and a plain-string onChange. */
export interface TextFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'onChange' | 'value' | 'className'
> {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** `stacked` for full-width forms, `inline` for compact toolbars. */
  layout?: 'stacked' | 'inline';
}

/** A labelled text input, so every form field is announced by its label the same way. */
export function TextField({
  id,
  label,
  value,
  onChange,
  layout = 'stacked',
  ...input
}: TextFieldProps) {
  const stacked = layout === 'stacked';
  return (
    <div className={stacked ? 'space-y-1' : 'flex flex-col gap-1'}>
      <label htmlFor={id} className={stacked ? 'block text-sm font-medium' : 'text-sm font-medium'}>
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className={`${stacked ? 'w-full px-3 py-2' : 'h-9 px-3'} rounded border border-slate-300 bg-transparent dark:border-slate-700`}
        {...input}
      />
    </div>
  );
}

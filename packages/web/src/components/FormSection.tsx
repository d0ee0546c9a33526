import type { ReactNode } from 'react';

/** Props of {@link FormSection}. */
export interface FormSectionProps {
  /** The group's name, read by screen readers before each control inside it. */
  legend: string;
  /** A sentence on what the settings of the group do. */
  description?: ReactNode;
  children: ReactNode;
}

/** A titled group of related form controls (a `fieldset` with its `legend`). */
export function FormSection({ legend, description, children }: FormSectionProps) {
  return (
    <fieldset className="min-w-0 space-y-4 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <legend className="px-1 text-base font-semibold">{legend}</legend>
      {description !== undefined && (
        <p className="-mt-2 text-sm text-slate-600 dark:text-slate-300">{description}</p>
      )}
      {children}
    </fieldset>
  );
}

/**
 * Classes shared by the console's form controls, so inputs, text areas and selects look and
 * focus alike. Invalid controls (those with `aria-invalid="true"`) get a red border, so the
 * state that screen readers hear is also the one sighted users see.
 */
export const CONTROL_CLASS =
  'w-full rounded border border-slate-300 bg-transparent px-3 py-2 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:opacity-60 aria-invalid:border-red-500 dark:focus-visible:outline-indigo-400 dark:border-slate-700 dark:aria-invalid:border-red-400';

/** The label above a control. */
export const LABEL_CLASS = 'block text-sm font-medium';

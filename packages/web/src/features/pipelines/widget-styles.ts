/** The primary button of the widget section (same look as the pipeline form's). */
export const WIDGET_PRIMARY_BUTTON_CLASS =
  'rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60';

/** A secondary, outlined button. */
export const WIDGET_SECONDARY_BUTTON_CLASS =
  'rounded border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

/** One tab: its label and what its panel shows. */
export interface TabDefinition<TId extends string> {
  id: TId;
  label: string;
  panel: ReactNode;
}

/**
 * Tabs in the WAI-ARIA pattern: a `tablist` of `tab` buttons (arrow keys, Home and End move
 * between them; only the chosen one is in the tab order) and the chosen `tabpanel`. Panels of
 * other tabs stay mounted but hidden, so what they hold (a half-edited form) survives a switch.
 */
export function Tabs<TId extends string>({
  label,
  tabs,
  value,
  onChange,
}: {
  label: string;
  tabs: readonly TabDefinition<TId>[];
  value: TId;
  onChange: (id: TId) => void;
}) {
  const baseId = useId();
  const buttons = useRef(new Map<TId, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const index = tabs.findIndex((tab) => tab.id === value);
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    const tab = next === undefined ? undefined : tabs[next];
    if (tab === undefined) return;
    event.preventDefault();
    onChange(tab.id);
    buttons.current.get(tab.id)?.focus();
  }

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div
        role="tablist"
        aria-label={label}
        onKeyDown={onKeyDown}
        className="flex gap-1 border-b border-slate-200 dark:border-slate-800"
      >
        {tabs.map((tab) => {
          const selected = tab.id === value;
          return (
            <button
              key={tab.id}
              ref={(element) => {
                if (element === null) buttons.current.delete(tab.id);
                else buttons.current.set(tab.id, element);
              }}
              type="button"
              role="tab"
              id={`${baseId}-tab-${tab.id}`}
              aria-selected={selected}
              aria-controls={`${baseId}-panel-${tab.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChange(tab.id)}
              className={`-mb-px min-h-11 border-b-2 px-3 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-9 ${
                selected
                  ? 'border-indigo-600 font-medium text-indigo-700 dark:border-indigo-400 dark:text-indigo-300'
                  : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
              }`}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${baseId}-panel-${tab.id}`}
          aria-labelledby={`${baseId}-tab-${tab.id}`}
          hidden={tab.id !== value}
          tabIndex={0}
          className="min-h-0 flex-1 overflow-y-auto pt-3 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {tab.panel}
        </div>
      ))}
    </div>
  );
}

import * as Popover from '@radix-ui/react-popover';
import { useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import type { MentionTarget } from './mention.js';
import { useI18n } from '../../i18n/i18n-context.js';

/** Props of {@link MentionPicker}. */
export interface MentionPickerProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Who can be mentioned (the bot), already filtered by what was typed after `@`. */
  options: readonly MentionTarget[];
  /** The highlighted option, moved by the arrow keys (here or in the textarea). */
  activeIndex: number;
  onActiveIndexChange: (index: number) => void;
  onChoose: (option: MentionTarget) => void;
  /**
   * Whether the list takes focus when it opens: yes from the "@" button, no when the picker
   * opened because `@` was typed (the caret stays in the message and the arrows drive the list).
   */
  focusList: boolean;
  /** The composer field the list is placed against. */
  anchor: ReactNode;
  /** The "@" button, which toggles the picker itself (a press on it is not "outside"). */
  buttonRef: RefObject<HTMLButtonElement | null>;
  /** The listbox's id, which the textarea and the "@" button point at. */
  listId: string;
}

/** The id of option `index` of the list `listId`, for `aria-activedescendant`. */
export function mentionOptionId(listId: string, index: number): string {
  return `${listId}-option-${index}`;
}

/**
 * Moves the highlight for a navigation key; returns the new index, or undefined when the key is
 * not one the list handles. Shared by the list and the textarea, so both behave alike.
 */
export function nextActiveIndex(key: string, index: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

/**
 * The @-mention picker: a Radix Popover (positioning, outside clicks) holding a `listbox`. The list uses
 * `aria-activedescendant` (one tab stop; arrows, Home and End move, Enter or Tab chooses,
 * Escape closes), the pattern screen readers know from comboboxes.
 */
export function MentionPicker({
  open,
  onOpenChange,
  options,
  activeIndex,
  onActiveIndexChange,
  onChoose,
  focusList,
  anchor,
  buttonRef,
  listId,
}: MentionPickerProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const headingId = useId();
  const { t } = useI18n();

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    const next = nextActiveIndex(event.key, activeIndex, options.length);
    if (next !== undefined) {
      event.preventDefault();
      onActiveIndexChange(next);
      return;
    }
    const chosen = options[activeIndex];
    if ((event.key === 'Enter' || event.key === ' ' || event.key === 'Tab') && chosen) {
      event.preventDefault();
      onChoose(chosen);
    } else if (event.key === 'Escape') {
      // Only the picker closes, not the whole chat dialog around it.
      event.stopPropagation();
      onOpenChange(false);
    }
  }

  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      {/*
        The field is the only anchor. A Popover.Trigger would register itself as a second
        anchor, and Radix then measured a detached node and drew the list at the page's corner.
      */}
      <Popover.Anchor asChild>{anchor}</Popover.Anchor>
      {/* No portal: the chat dialog is modal, so the picker must live inside it. */}
      <Popover.Content
        side="top"
        align="start"
        sideOffset={6}
        aria-labelledby={headingId}
        onInteractOutside={(event) => {
          if (event.target instanceof Node && buttonRef.current?.contains(event.target)) {
            event.preventDefault();
          }
        }}
        onOpenAutoFocus={(event) => {
          event.preventDefault();
          if (focusList) listRef.current?.focus();
        }}
        className="z-50 w-64 max-w-[calc(100vw-2rem)] rounded-md border border-slate-200 bg-white p-1 text-sm text-slate-900 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <p id={headingId} className="px-2 py-1 text-xs text-slate-500 dark:text-slate-400">
          {t('mention.heading')}
        </p>
        {options.length === 0 ? (
          <p className="px-2 py-1.5 text-slate-500">{t('mention.noMatch')}</p>
        ) : (
          <ul
            ref={listRef}
            id={listId}
            role="listbox"
            aria-labelledby={headingId}
            aria-activedescendant={mentionOptionId(listId, activeIndex)}
            tabIndex={0}
            onKeyDown={onKeyDown}
            className="rounded focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {options.map((option, index) => (
              <li
                key={option.target}
                id={mentionOptionId(listId, index)}
                role="option"
                aria-selected={index === activeIndex}
                onMouseMove={() => onActiveIndexChange(index)}
                // Pointer down, not click: the textarea keeps focus, and so its caret.
                onMouseDown={(event) => {
                  event.preventDefault();
                  onChoose(option);
                }}
                className={`flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 ${
                  index === activeIndex ? 'bg-indigo-600 text-white' : ''
                }`}
              >
                <span aria-hidden="true" className="font-semibold">
                  @
                </span>
                <span className="truncate">{option.display}</span>
                <span
                  aria-hidden="true"
                  className={`ml-auto text-xs ${index === activeIndex ? 'text-indigo-100' : 'text-slate-500'}`}
                >
                  bot
                </span>
              </li>
            ))}
          </ul>
        )}
      </Popover.Content>
    </Popover.Root>
  );
}

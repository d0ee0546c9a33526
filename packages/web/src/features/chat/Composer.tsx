import type { MessageChain } from '@botwire/client';
import {
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import type { ConnectionStatus } from './connection-status.js';
import {
  composeMessageChain,
  findMentionQuery,
  mentionMatches,
  removeMentionQuery,
  type MentionQuery,
  type MentionTarget,
} from './mention.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { MentionChip } from './MentionChip.js';
import { MentionPicker, mentionOptionId, nextActiveIndex } from './MentionPicker.js';
import { AttachButton } from './AttachButton.js';
import { AttachmentTray } from './AttachmentTray.js';
import { SendSlot } from './SendSlot.js';
import { useFileDrop } from './useFileDrop.js';
import type { ImageAttachments } from './useImageAttachments.js';

/** Props of {@link Composer}. */
export interface ComposerProps {
  status: ConnectionStatus;
  /** A reply is streaming: the Send slot shows Stop. */
  streaming: boolean;
  onSend: (chain: MessageChain) => void;
  onStop: () => void;
  /** Who can be mentioned; given only in group conversations, where mentions matter. */
  mentionTarget?: MentionTarget | undefined;
  /** The text in the box (kept by the page, so a draft survives leaving and Escape). */
  text: string;
  onTextChange: (text: string) => void;
  /** The images to send with the text (kept by the page, so "Edit and resend" can fill it). */
  attachments: ImageAttachments;
}

/**
 * The message box. Enter sends, Shift+Enter adds a line. Without a connection messages still
 * send: they show as pending and go out on reconnect. In a group conversation an "@" button (or
 * typing `@`) opens the mention picker; the chosen mention shows as a removable chip before the
 * text and is sent as an `At` component. Send and Stop share one fixed-width slot, so the box
 * keeps its size when a reply starts and ends. Images are attached with the picture button, by
 * pasting or by dropping them on the composer; they upload when the message is sent, and it
 * goes out only once all of them are stored (a refusal keeps the draft and says why).
 */
export function Composer({
  status,
  streaming,
  onSend,
  onStop,
  mentionTarget,
  text,
  onTextChange: setText,
  attachments,
}: ComposerProps) {
  const [chosenMention, setMention] = useState<MentionTarget | undefined>();
  const { t } = useI18n();
  // A mention chosen in a group conversation means nothing after switching to person.
  const mention = mentionTarget === undefined ? undefined : chosenMention;
  const [picker, setPicker] = useState<{ query: MentionQuery | undefined; focusList: boolean }>();
  const [activeIndex, setActiveIndex] = useState(0);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const { dragging, handlers: dropHandlers } = useFileDrop((files) => {
    attachments.add(files);
    textareaRef.current?.focus();
  });
  const mentionButtonRef = useRef<HTMLButtonElement>(null);
  /** Where the caret goes after the next render (a chosen mention removed the typed `@query`). */
  const caretRef = useRef<number | undefined>(undefined);
  const listId = useId();
  const offline = status.kind !== 'connected';
  const closed = status.kind === 'disconnected';

  const options =
    mentionTarget === undefined || mention !== undefined
      ? []
      : [mentionTarget].filter((option) =>
          mentionMatches(option.display, picker?.query?.query ?? ''),
        );
  const pickerOpen = picker !== undefined && mentionTarget !== undefined;
  const uploading = attachments.uploading;
  const canSend =
    !uploading &&
    (text.trim() !== '' || mention !== undefined || attachments.attachments.length > 0);

  async function submit(event?: FormEvent): Promise<void> {
    event?.preventDefault();
    if (!canSend) return;
    let imageIds: string[] = [];
    if (attachments.attachments.length > 0) {
      const uploaded = await attachments.uploadAll();
      // The reason is shown above the box; the text and the images stay for another try.
      if (uploaded === undefined) return;
      imageIds = uploaded;
    }
    onSend(composeMessageChain(text, mention, imageIds));
    setText('');
    setMention(undefined);
    setPicker(undefined);
    attachments.clear();
    // Back to typing: also keeps focus off the Send slot, which turns into Stop.
    textareaRef.current?.focus();
  }

  function choose(option: MentionTarget): void {
    const textarea = textareaRef.current;
    let caret = textarea?.selectionStart ?? text.length;
    if (picker?.query !== undefined) {
      const removed = removeMentionQuery(text, picker.query, caret);
      setText(removed.text);
      caret = removed.caret;
    }
    setMention(option);
    setPicker(undefined);
    caretRef.current = caret;
  }

  // The box grows with its text up to its maximum height (CSS max-h), then scrolls.
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (textarea === null) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
  }, [text]);

  // In a layout effect, before any further keystroke: a caret placed later (a timer, a frame)
  // would let fast typing land at the old position.
  useLayoutEffect(() => {
    const caret = caretRef.current;
    const textarea = textareaRef.current;
    if (caret === undefined || textarea === null) return;
    caretRef.current = undefined;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
  });

  function onChange(value: string, caret: number): void {
    setText(value);
    if (mentionTarget === undefined || mention !== undefined) return;
    const query = findMentionQuery(value, caret);
    if (query === undefined) {
      if (picker?.query !== undefined) setPicker(undefined);
    } else {
      if (picker === undefined) setActiveIndex(0);
      setPicker({ query, focusList: false });
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (pickerOpen && options.length > 0) {
      const next = nextActiveIndex(event.key, activeIndex, options.length);
      if (next !== undefined && event.key !== 'Home' && event.key !== 'End') {
        event.preventDefault();
        setActiveIndex(next);
        return;
      }
      const chosen = options[activeIndex];
      if ((event.key === 'Enter' || event.key === 'Tab') && chosen !== undefined) {
        event.preventDefault();
        choose(chosen);
        return;
      }
    }
    if (pickerOpen && event.key === 'Escape') {
      // Close the picker only; the draft stays.
      event.stopPropagation();
      setPicker(undefined);
      return;
    }
    const atStart =
      event.currentTarget.selectionStart === 0 && event.currentTarget.selectionEnd === 0;
    if (event.key === 'Backspace' && atStart && mention !== undefined) {
      event.preventDefault();
      setMention(undefined);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>): void {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    // A copied picture often comes with its HTML; keep typed text only when there is some.
    if (!event.clipboardData.types.includes('text/plain')) event.preventDefault();
    attachments.add(files);
  }

  const hint = closed ? t('composer.closedHint') : offline ? t('composer.offlineHint') : undefined;
  const activeOption = pickerOpen && picker.query !== undefined && options.length > 0;

  const field = (
    <div className="flex min-w-0 flex-1 items-start gap-1.5 rounded border border-slate-300 bg-white px-2 py-1.5 focus-within:outline-2 focus-within:outline-indigo-600 dark:border-slate-700 dark:bg-slate-950">
      {mention !== undefined && (
        <MentionChip
          mention={mention}
          onRemove={() => {
            setMention(undefined);
            textareaRef.current?.focus();
          }}
        />
      )}
      <label htmlFor="composer" className="sr-only">
        {t('composer.label')}
      </label>
      <textarea
        ref={textareaRef}
        id="composer"
        rows={2}
        value={text}
        onChange={(event) => onChange(event.target.value, event.target.selectionStart)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        readOnly={uploading}
        placeholder={
          mentionTarget === undefined ? t('composer.placeholder') : t('composer.placeholderMention')
        }
        aria-describedby={hint === undefined ? undefined : 'composer-hint'}
        aria-controls={activeOption ? listId : undefined}
        aria-activedescendant={activeOption ? mentionOptionId(listId, activeIndex) : undefined}
        aria-autocomplete={mentionTarget === undefined ? undefined : 'list'}
        className="max-h-60 min-h-11 min-w-0 flex-1 resize-none bg-transparent py-0.5 outline-none"
      />
    </div>
  );

  return (
    <form
      onSubmit={(event) => void submit(event)}
      {...dropHandlers}
      aria-busy={uploading}
      className={`relative border-t border-slate-200 p-2 sm:p-3 dark:border-slate-800 ${
        dragging
          ? 'bg-indigo-50 outline-2 -outline-offset-4 outline-indigo-600 outline-dashed dark:bg-indigo-950'
          : ''
      }`}
    >
      <AttachmentTray
        attachments={attachments}
        dragging={dragging}
        onDone={() => textareaRef.current?.focus()}
      />
      <p
        id="composer-hint"
        className="mb-1.5 text-xs text-amber-700 empty:hidden dark:text-amber-400"
      >
        {hint}
      </p>
      <div className="flex items-end gap-2">
        <AttachButton onFiles={attachments.add} disabled={uploading} />
        {mentionTarget !== undefined && (
          <button
            ref={mentionButtonRef}
            type="button"
            aria-label={t('composer.mentionBot')}
            title={t('composer.mentionBot')}
            aria-haspopup="listbox"
            aria-expanded={pickerOpen}
            aria-controls={pickerOpen ? listId : undefined}
            disabled={mention !== undefined}
            onClick={() => {
              setActiveIndex(0);
              setPicker(pickerOpen ? undefined : { query: undefined, focusList: true });
            }}
            className="h-11 w-10 shrink-0 rounded border border-slate-300 text-lg font-semibold hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            @
          </button>
        )}
        {mentionTarget === undefined ? (
          field
        ) : (
          <MentionPicker
            open={pickerOpen}
            onOpenChange={(open) => {
              if (!open) setPicker(undefined);
            }}
            options={options}
            activeIndex={activeIndex}
            onActiveIndexChange={setActiveIndex}
            onChoose={choose}
            focusList={picker?.focusList ?? false}
            listId={listId}
            anchor={field}
            buttonRef={mentionButtonRef}
          />
        )}
        <SendSlot streaming={streaming} canSend={canSend} onStop={onStop} />
      </div>
    </form>
  );
}

import { useMemo, useState, useSyncExternalStore } from 'react';
import type { MessageKey } from '../../../i18n/catalogues.js';
import { useI18n } from '../../../i18n/i18n-context.js';
import type { Translate } from '../../../i18n/translate.js';
import type { FrameDirection, FrameEntry, FrameLog } from './frame-log.js';

/** Rows rendered at most; the log keeps more, the filter narrows them. */
const SHOWN_LIMIT = 400;

const DIRECTION_LABEL: Record<FrameDirection, MessageKey> = {
  in: 'frames.directionIn',
  out: 'frames.directionOut',
  open: 'frames.directionOpen',
  close: 'frames.directionClose',
};

type DirectionFilter = 'all' | 'in' | 'out';

function clock(time: number): string {
  const date = new Date(time);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Whether `entry` passes the filters (socket events pass unless a direction is chosen). */
export function frameMatches(entry: FrameEntry, direction: DirectionFilter, text: string): boolean {
  if (direction !== 'all' && entry.direction !== direction) return false;
  const query = text.trim().toLowerCase();
  if (query === '') return true;
  return entry.type.toLowerCase().includes(query) || entry.text.toLowerCase().includes(query);
}

/** What a socket event or a recovery frame means, in words, or undefined for other frames. */
export function frameNote(entry: FrameEntry, t: Translate): string | undefined {
  if (entry.direction === 'open') {
    const lastSeq = new URL(entry.text, 'ws://x').searchParams.get('last_seq');
    return lastSeq === null ? t('frames.newConnection') : t('frames.resumeAfter', { seq: lastSeq });
  }
  if (entry.direction === 'close') return t('frames.closed', { detail: entry.text });
  if (entry.type === 'resync_required') return t('frames.resync');
  return undefined;
}

function pretty(entry: FrameEntry): string {
  return entry.parsed === undefined ? entry.text : JSON.stringify(entry.parsed, null, 2);
}

function FrameRow({ entry }: { entry: FrameEntry }) {
  const { t } = useI18n();
  const note = frameNote(entry, t);
  const highlight =
    entry.direction === 'open' || entry.direction === 'close' || entry.type === 'resync_required';
  return (
    <li
      className={`border-b border-slate-200 dark:border-slate-800 ${
        highlight ? 'bg-amber-50 dark:bg-amber-950/40' : ''
      }`}
    >
      <details>
        <summary className="flex min-h-11 cursor-pointer flex-wrap items-center gap-x-3 gap-y-0.5 px-2 py-1 font-mono text-xs focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-0">
          <span className="text-slate-600 dark:text-slate-300">{clock(entry.time)}</span>
          <span className="w-14">{t(DIRECTION_LABEL[entry.direction])}</span>
          <span className="font-semibold">{entry.type}</span>
          {entry.seq !== undefined && <span>{t('frames.seq', { seq: entry.seq })}</span>}
          {entry.isFinal !== undefined && (
            <span>{entry.isFinal ? t('frames.final') : t('frames.notFinal')}</span>
          )}
          {entry.size > 0 && (
            <span className="text-slate-600 dark:text-slate-300">
              {t('frames.bytes', { size: entry.size })}
            </span>
          )}
          {note !== undefined && <span className="text-amber-900 dark:text-amber-200">{note}</span>}
        </summary>
        {/* Focusable, so a keyboard can scroll a long frame (axe: scrollable-region-focusable). */}
        <pre
          tabIndex={0}
          aria-label={t('frames.json', { type: entry.type })}
          className="max-h-64 overflow-auto bg-slate-50 p-2 text-xs focus-visible:outline-2 focus-visible:outline-indigo-600 dark:bg-slate-950"
        >
          {pretty(entry)}
        </pre>
      </details>
    </li>
  );
}

/**
 * Every frame in and out of the chat's socket, newest last: time, direction, type, seq,
 * is_final and size; click a row for its JSON. Pause freezes the list (the chat goes on);
 * reconnects show as open/close rows naming the `last_seq` they resume from, and a
 * `resync_required` frame is highlighted.
 */
export function FrameInspector({ log }: { log: FrameLog }) {
  useSyncExternalStore(log.subscribe, () => log.version);
  const entries = log.snapshot;
  const [direction, setDirection] = useState<DirectionFilter>('all');
  const [text, setText] = useState('');
  const { t } = useI18n();
  const shown = useMemo(
    () => entries.filter((entry) => frameMatches(entry, direction, text)).slice(-SHOWN_LIMIT),
    [entries, direction, text],
  );
  const control =
    'min-h-11 rounded border border-slate-300 px-2 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-8 dark:border-slate-700';

  return (
    <div className="flex h-full min-h-0 flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex items-center gap-1 text-sm">
          <span>{t('frames.direction')}</span>
          <select
            value={direction}
            onChange={(event) => setDirection(event.target.value as DirectionFilter)}
            className={`${control} bg-white dark:bg-slate-900`}
          >
            <option value="all">{t('frames.all')}</option>
            <option value="in">{t('frames.in')}</option>
            <option value="out">{t('frames.out')}</option>
          </select>
        </label>
        <label className="flex min-w-0 flex-1 items-center gap-1 text-sm">
          <span>{t('frames.filter')}</span>
          <input
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder={t('frames.filterPlaceholder')}
            className={`${control} min-w-0 flex-1 bg-transparent`}
          />
        </label>
        <button
          type="button"
          aria-pressed={log.paused}
          onClick={() => log.setPaused(!log.paused)}
          className={`${control} hover:bg-slate-100 dark:hover:bg-slate-800`}
        >
          {log.paused ? t('frames.resume') : t('frames.pause')}
        </button>
        <button
          type="button"
          onClick={() => log.clear()}
          className={`${control} hover:bg-slate-100 dark:hover:bg-slate-800`}
        >
          {t('frames.clear')}
        </button>
      </div>
      <p role="status" className="text-xs text-slate-600 dark:text-slate-300">
        {t('frames.shown', { shown: shown.length, count: entries.length })}
        {log.paused ? t('frames.pausedSkipped', { skipped: log.skipped }) : ''}
      </p>
      <ol
        aria-label={t('frames.list')}
        className="min-h-0 flex-1 overflow-y-auto rounded border border-slate-200 dark:border-slate-800"
      >
        {shown.map((entry) => (
          <FrameRow key={entry.id} entry={entry} />
        ))}
      </ol>
    </div>
  );
}

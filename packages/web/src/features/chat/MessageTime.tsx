import { useI18n } from '../../i18n/i18n-context.js';

/**
 * A message's time: short on screen (`14:05`), the full date and time in the tooltip and
 * `dateTime`, in the console's language and the viewer's time zone.
 */
export function MessageTime({ timestamp }: { timestamp: string }) {
  const { format } = useI18n();
  const date = new Date(timestamp);
  // A malformed timestamp would print "Invalid Date"; show nothing rather than noise.
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={date.toISOString()} title={format.fullDateTime(date)} className="tabular-nums">
      {format.shortTime(date)}
    </time>
  );
}

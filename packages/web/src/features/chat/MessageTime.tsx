/** `14:05`, in the viewer's locale and time zone. */
export function shortTime(date: Date): string {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** `Tuesday, 24 November 2026 at 14:05:33`, for the tooltip. */
export function fullDateTime(date: Date): string {
  return date.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'medium' });
}

/** A message's time: short on screen, the full date and time in the tooltip and `dateTime`. */
export function MessageTime({ timestamp }: { timestamp: string }) {
  const date = new Date(timestamp);
  // A malformed timestamp would print "Invalid Date"; show nothing rather than noise.
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={date.toISOString()} title={fullDateTime(date)} className="tabular-nums">
      {shortTime(date)}
    </time>
  );
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A time as people read it in a table, as `gh` shows it: `just now`, `42s ago`, `5 min ago`,
 * `3 h ago`, `2 days ago` (or `in 5 min` ahead); the date after 30 days. Text that is not a time
 * is returned as it is.
 */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const difference = now - time;
  const distance = Math.abs(difference);
  if (distance < 10 * SECOND) return 'just now';
  let amount: string;
  if (distance < MINUTE) amount = `${Math.floor(distance / SECOND)}s`;
  else if (distance < HOUR) amount = `${Math.floor(distance / MINUTE)} min`;
  else if (distance < DAY) amount = `${Math.floor(distance / HOUR)} h`;
  else if (distance < 30 * DAY) {
    const days = Math.floor(distance / DAY);
    amount = `${days} ${days === 1 ? 'day' : 'days'}`;
  } else return new Date(time).toISOString().slice(0, 10);
  return difference >= 0 ? `${amount} ago` : `in ${amount}`;
}

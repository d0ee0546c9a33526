import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A new publishable widget key: `bw_widget_` and 24 random base64url characters. */
export function generateWidgetKey(): string {
  return `bw_widget_${randomBytes(18).toString('base64url')}`;
}

/** Compares two secrets in constant time. */
export function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

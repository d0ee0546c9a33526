import type { MessageKey } from '../../i18n/catalogues.js';

/** The kinds of principal the server reports (`principal.kind`), in the order the console lists them. */
export const PRINCIPAL_KINDS = ['user', 'api_key', 'static_key', 'visitor'] as const;

/** A kind of principal the console knows a label for. */
export type KnownPrincipalKind = (typeof PRINCIPAL_KINDS)[number];

const LABELS: Record<KnownPrincipalKind, MessageKey> = {
  user: 'connections.kind.user',
  api_key: 'connections.kind.api_key',
  static_key: 'connections.kind.static_key',
  visitor: 'connections.kind.visitor',
};

/**
 * The message key naming a principal kind, or undefined for a kind this console does not
 * know (a newer server): the caller shows the raw kind then rather than hiding the row.
 */
export function principalKindLabel(kind: string): MessageKey | undefined {
  return (PRINCIPAL_KINDS as readonly string[]).includes(kind)
    ? LABELS[kind as KnownPrincipalKind]
    : undefined;
}

/**
 * The per-kind counts of `connections_by_principal_kind`, known kinds first in their order
 * (zeros included, so the statistics do not jump), then any unknown kind the server reported.
 */
export function principalKindCounts(
  byKind: Readonly<Record<string, number>>,
): { kind: string; count: number }[] {
  const rows: { kind: string; count: number }[] = PRINCIPAL_KINDS.map((kind) => ({
    kind,
    count: byKind[kind] ?? 0,
  }));
  for (const [kind, count] of Object.entries(byKind)) {
    if (!(PRINCIPAL_KINDS as readonly string[]).includes(kind)) rows.push({ kind, count });
  }
  return rows;
}

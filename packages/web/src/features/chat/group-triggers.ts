import type { Translate } from '../../i18n/translate.js';
import type { MessageChain } from '@botwire/client';
import type { Pipeline } from '../../lib/backend.js';
import { chainText } from './mention.js';

/** A pipeline's group trigger rules, as the REST API returns them. */
export type GroupTriggers = Pipeline['group_triggers'];

/** The `At` target every pipeline answers to besides its own uuid. */
export const PROXY_BOT_TARGET = 'websocket-proxy-bot';

/**
 * Whether a group message is sure to get a reply under `triggers` (mirrors the server's rules:
 * a mention of the bot, a configured prefix after leading whitespace, or probability 1). Used
 * to show the typing indicator only when a reply is really coming; a random draw below 1 is
 * not predictable, so it counts as no.
 */
export function triggersReply(
  chain: MessageChain,
  triggers: GroupTriggers,
  pipelineUuid: string,
): boolean {
  if (triggers.mention) {
    const mentioned = chain.some(
      (component) =>
        component.type === 'At' &&
        (component.target === pipelineUuid || component.target === PROXY_BOT_TARGET),
    );
    if (mentioned) return true;
  }
  const text = chainText(chain).trimStart();
  if (triggers.prefixes.some((prefix) => text.startsWith(prefix))) return true;
  return triggers.probability >= 1;
}

/**
 * One sentence saying when the bot answers in a group conversation, built from the pipeline's
 * actual rules so the hint never promises a reply the server will not send.
 */
export function describeGroupTriggers(
  triggers: GroupTriggers,
  botName: string,
  t: Translate,
): string {
  const bot = botName;
  if (triggers.probability >= 1) return t('group.everyMessage', { bot });
  const ways: string[] = [];
  if (triggers.mention) ways.push(t('group.wayMention', { bot }));
  if (triggers.prefixes.length > 0) {
    const quoted = triggers.prefixes.map((prefix) => t('group.quoted', { prefix }));
    ways.push(t('group.wayPrefix', { prefixes: joinAlternatives(quoted, t) }));
  }
  const percent = formatPercent(triggers.probability);
  const chance = triggers.probability > 0 ? t('group.chance', { percent }) : '';
  if (ways.length === 0) {
    return triggers.probability > 0
      ? t('group.random', { bot, percent })
      : t('group.never', { bot });
  }
  return t('group.onlyWhen', { bot, ways: ways.join(t('group.or')), chance });
}

function joinAlternatives(items: readonly string[], t: Translate): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(t('group.listSeparator'))}${t('group.or')}${items[items.length - 1] ?? ''}`;
}

function formatPercent(probability: number): string {
  return `${Math.round(probability * 1000) / 10}%`;
}

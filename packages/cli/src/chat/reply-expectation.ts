import type { SessionType } from '@botwire/client';

/**
 * Whether a sent message will get a reply: `yes`, `no`, or `maybe` (a group pipeline that
 * answers some messages at random, or rules the CLI cannot check exactly). A `maybe` is waited
 * for only briefly.
 */
export type ReplyExpectation = 'yes' | 'no' | 'maybe';

/** A pipeline's group trigger rules, as `pipelines show` returns them. */
export interface GroupTriggers {
  mention: boolean;
  prefixes: readonly string[];
  probability: number;
}

/**
 * The server's rules: a `person` message always gets a reply; a `group` message only when it
 * mentions the bot (and mentions trigger), starts with a trigger prefix, or wins the random draw.
 * Without the rules (`triggers` undefined) a group message is a `maybe`.
 */
export function expectReply(
  sessionType: SessionType,
  triggers: GroupTriggers | undefined,
  message: { text: string; mentionsBot: boolean },
): ReplyExpectation {
  if (sessionType === 'person') return 'yes';
  if (triggers === undefined) return 'maybe';
  if (message.mentionsBot && triggers.mention) return 'yes';
  // The server checks prefixes against the whole text, mention included; without a mention the
  // text is the line itself, so the check here is exact.
  if (!message.mentionsBot) {
    const text = message.text.trimStart();
    if (triggers.prefixes.some((prefix) => text.startsWith(prefix))) return 'yes';
  }
  if (triggers.probability >= 1) return 'yes';
  if (triggers.probability > 0) return 'maybe';
  if (message.mentionsBot && triggers.prefixes.length > 0) return 'maybe';
  return 'no';
}

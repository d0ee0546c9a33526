import { chainToText, type MessageChain } from '@botwire/protocol';
import { WEBSOCKET_PROXY_BOT_UUID } from './proxy-bot.js';
import type { StoredPipeline } from '../storage/store.js';

/** Options for {@link shouldReplyInGroup}. */
export interface GroupTriggerOptions {
  pipeline: StoredPipeline;
  chain: MessageChain;
  /** A number in [0, 1); injectable so the probability rule can be tested. */
  random?: () => number;
}

/** Whether the chain mentions the bot: an `At` whose target is the pipeline or the WebSocket bot. */
export function mentionsBot(pipelineUuid: string, chain: MessageChain): boolean {
  return chain.some(
    (component) =>
      component.type === 'At' &&
      (component.target === pipelineUuid || component.target === WEBSOCKET_PROXY_BOT_UUID),
  );
}

/**
 * The group trigger rules: a group message gets a reply only when it mentions the bot, starts with
 * a configured prefix, or wins the configured probability. Other messages are stored and shown to
 * everyone, and become context for later replies.
 */
export function shouldReplyInGroup(options: GroupTriggerOptions): boolean {
  const { pipeline, chain } = options;
  const triggers = pipeline.group_triggers;
  if (triggers.mention && mentionsBot(pipeline.uuid, chain)) return true;
  const text = chainToText(chain).trimStart();
  if (triggers.prefixes.some((prefix) => text.startsWith(prefix))) return true;
  if (triggers.probability > 0) return (options.random ?? Math.random)() < triggers.probability;
  return false;
}

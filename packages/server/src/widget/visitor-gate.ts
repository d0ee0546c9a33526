import type { MessageChain, WidgetSettings } from '@botwire/protocol';
import type { Principal } from '../auth/principal.js';
import { BotwireError } from '../errors/botwire-error.js';
import type { VisitorLimiter } from './visitor-limiter.js';
import { visitorIdOf } from './visitor-principal.js';

/** A chat message a visitor sends, as its limits see it. */
export interface VisitorMessage {
  principal: Principal;
  conversationId: number;
  remoteAddress: string;
  chain: MessageChain;
}

function imagesDisabled(): BotwireError {
  return new BotwireError(
    'VISITOR_IMAGES_DISABLED',
    'This chat does not take images (the pipeline turned visitor images off); send text only.',
  );
}

/**
 * Checks a visitor's chat message against its pipeline's limits: images allowed, the
 * conversation's length (`storedMessages` so far), messages per minute per visitor and per
 * address (counted last, so a refused message costs nothing).
 */
export function admitVisitorMessage(
  options: VisitorMessage & {
    settings: WidgetSettings;
    storedMessages: number;
    limiter: VisitorLimiter;
  },
): void {
  const { limits, pipeline_uuid: pipelineUuid } = options.settings;
  if (!limits.allow_images && options.chain.some((component) => component.type === 'Image')) {
    throw imagesDisabled();
  }
  // The message and its reply: both must fit.
  if (options.storedMessages + 2 > limits.max_conversation_messages) {
    throw new BotwireError(
      'CONVERSATION_TOO_LONG',
      `This conversation reached its limit of ${limits.max_conversation_messages} messages; start a new one (reset) to go on.`,
    );
  }
  options.limiter.admitMessage({
    pipelineUuid,
    visitorId: visitorIdOf(options.principal),
    remoteAddress: options.remoteAddress,
    limits,
  });
}

/** Checks a visitor's image upload: images allowed, under its per-minute upload limit. */
export function admitVisitorImage(options: {
  principal: Principal;
  settings: WidgetSettings;
  limiter: VisitorLimiter;
}): void {
  const { limits, pipeline_uuid: pipelineUuid } = options.settings;
  if (!limits.allow_images) throw imagesDisabled();
  options.limiter.admitImageUpload({
    pipelineUuid,
    visitorId: visitorIdOf(options.principal),
    limits,
  });
}

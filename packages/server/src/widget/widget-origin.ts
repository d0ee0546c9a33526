import type { WidgetSettings } from '@botwire/protocol';
import { isOriginAllowed } from '../auth/origin-policy.js';
import { BotwireError } from '../errors/botwire-error.js';

/** Where a visitor request came from, as the browser said. */
export interface RequestOrigin {
  origin: string | undefined;
  host: string | undefined;
}

/** Refuses (`ORIGIN_NOT_ALLOWED`) a visitor request from a page not on the pipeline's allowed origins. */
export function checkVisitorOrigin(settings: WidgetSettings, request: RequestOrigin): void {
  if (request.origin === undefined) {
    throw new BotwireError(
      'ORIGIN_NOT_ALLOWED',
      'Visitor requests must come from a web page: the Origin header is missing.',
    );
  }
  if (
    !isOriginAllowed({
      origin: request.origin,
      host: request.host,
      allowedOrigins: settings.allowed_origins,
    })
  ) {
    throw new BotwireError(
      'ORIGIN_NOT_ALLOWED',
      `This site (${request.origin}) may not embed this chat; an admin adds it to the pipeline's allowed origins.`,
    );
  }
}

/** `https://Shop.Example.com:443` → `https://shop.example.com`. */
export function normalizeOrigin(origin: string): string {
  return new URL(origin).origin;
}

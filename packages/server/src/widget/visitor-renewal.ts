import { BotwireError } from '../errors/botwire-error.js';
import { VisitorTokenSigner } from './visitor-token.js';

/** The refusal of a token used on another pipeline than its own. */
export function wrongPipelineError(): BotwireError {
  return new BotwireError(
    'VISITOR_TOKEN_WRONG_PIPELINE',
    'The visitor token was issued for another pipeline; the widget asks for a new one.',
  );
}

/**
 * The visitor a renewal keeps: the visitor id of a genuine previous token, unexpired or expired
 * less than `graceMs` ago; undefined (a new visitor) past the grace period. A tampered token or
 * one of another pipeline is refused.
 */
export function visitorOfPreviousToken(options: {
  signer: VisitorTokenSigner;
  token: string;
  pipelineUuid: string;
  graceMs: number;
  now: () => number;
}): string | undefined {
  const { signer, token, pipelineUuid, graceMs, now } = options;
  const previous = signer.verify(token);
  if (!previous.ok && previous.error.code !== 'VISITOR_TOKEN_EXPIRED') {
    throw new BotwireError(previous.error.code, previous.error.message);
  }
  const claims = previous.ok
    ? previous
    : new VisitorTokenSigner({ secret: signer.secret, now: () => now() - graceMs }).verify(token);
  if (!claims.ok) return undefined;
  if (claims.value.pipelineUuid !== pipelineUuid) throw wrongPipelineError();
  return claims.value.visitorId;
}

import type { ErrorEnvelope, SuccessEnvelope } from '@botwire/protocol';
import type { BotwireError } from '../errors/botwire-error.js';

/** The success envelope of every REST response. */
export function success<TData>(data: TData): SuccessEnvelope<TData> {
  return { code: 0, msg: 'ok', data };
}

/** The failure envelope: the code's negative number, a message a user can act on, and the code. */
export function failure(error: BotwireError): ErrorEnvelope {
  return { code: error.number, msg: error.message, error: error.code };
}

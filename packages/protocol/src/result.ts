/** The outcome of an operation that can fail in an expected way: never thrown, always returned. */
export type Result<TValue, TError> = { ok: true; value: TValue } | { ok: false; error: TError };

export function ok<TValue>(value: TValue): { ok: true; value: TValue } {
  return { ok: true, value };
}

export function err<TError>(error: TError): { ok: false; error: TError } {
  return { ok: false, error };
}

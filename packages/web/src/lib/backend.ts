import { BackendClient, BotwireClientError } from '@botwire/client';

/**
 * The console's one REST client. No token and no base URL: the page is served by the Botwire
 * server, so requests go to the page's origin and the session cookie set by sign-in
 * authenticates them (and the chat WebSockets).
 */
export const backend = new BackendClient();

/** A pipeline as the REST API lists it. */
export type Pipeline = Awaited<ReturnType<BackendClient['listPipelines']>>[number];

/** The signed-in principal. */
export type Principal = Awaited<ReturnType<BackendClient['me']>>;

/** Whether the error means the session is gone (HTTP 401 or an auth refusal on a socket). */
export function isUnauthorized(error: unknown): boolean {
  return (
    error instanceof BotwireClientError &&
    (error.status === 401 || error.code === 'NOT_AUTHENTICATED' || error.code === 'AUTH_FAILED')
  );
}

/** A short text for a toast. */
export function describeError(error: unknown): string {
  if (error instanceof BotwireClientError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

import { ADMIN_KEY } from './server-process.js';

/** The parsed answer of a REST call. */
export interface RestResponse<TData = unknown> {
  status: number;
  body: { code: number; msg: string; data: TData; error?: string };
  headers: Headers;
}

/** Calls the REST API with fetch; the admin key by default, `token: null` for none. */
export async function rest<TData = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string;
    token?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<RestResponse<TData>> {
  const token = options.token === undefined ? ADMIN_KEY : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
  }
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text) as RestResponse<TData>['body'],
    headers: response.headers,
  };
}

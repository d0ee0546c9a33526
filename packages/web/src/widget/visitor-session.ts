import type { VisitorTokenData } from '@botwire/client';

/** Renew the token when less than this share of its life is left. */
const RENEW_AT_REMAINING = 0.5;

/** Why the server refused, as the widget shows it. */
export class WidgetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

interface StoredVisitor {
  token: string;
  expiresAt: string;
  issuedAt: number;
}

/**
 * The visitor's token: kept in localStorage per pipeline (clearing storage starts a new
 * visitor), asked for from the server when missing, renewed (same visitor) before it expires.
 */
export class VisitorSession {
  readonly #storageKey: string;

  constructor(
    private readonly options: { baseUrl: string; pipelineUuid: string; widgetKey: string },
  ) {
    this.#storageKey = `botwire-widget:${options.pipelineUuid}`;
  }

  /** A usable token: the stored one, renewed when old, or a new visitor's. */
  async token(): Promise<string> {
    const stored = this.#read();
    const now = Date.now();
    if (stored !== undefined) {
      const expiresAt = Date.parse(stored.expiresAt);
      const life = expiresAt - stored.issuedAt;
      if (expiresAt - now > life * RENEW_AT_REMAINING) return stored.token;
    }
    try {
      return await this.#issue(stored?.token);
    } catch (error) {
      // A previous token the server no longer takes (tampered, another key): start over.
      if (
        stored !== undefined &&
        error instanceof WidgetError &&
        error.code.startsWith('VISITOR_TOKEN')
      ) {
        this.forget();
        return this.#issue(undefined);
      }
      throw error;
    }
  }

  /** Drops the stored token: the next {@link token} is a new visitor's. */
  forget(): void {
    try {
      localStorage.removeItem(this.#storageKey);
    } catch {
      // Storage may be blocked (private mode); the token then lives only in memory.
    }
  }

  /** Calls a visitor route of the widget API with the token. */
  async call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const token = await this.token();
    return this.#fetch<T>(method, path, undefined, token);
  }

  async #issue(previous: string | undefined): Promise<string> {
    const data = await this.#fetch<VisitorTokenData>('POST', '/api/v1/widget/visitors', {
      pipeline_uuid: this.options.pipelineUuid,
      widget_key: this.options.widgetKey,
      ...(previous === undefined ? {} : { previous_token: previous }),
    });
    const stored: StoredVisitor = {
      token: data.token,
      expiresAt: data.expires_at,
      issuedAt: Date.now(),
    };
    try {
      localStorage.setItem(this.#storageKey, JSON.stringify(stored));
    } catch {
      // Blocked storage: this page view still works.
    }
    return data.token;
  }

  async #fetch<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers,
      credentials: 'omit',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const envelope = (await response.json()) as {
      code: number;
      msg: string;
      data: T;
      error?: string;
    };
    if (envelope.code !== 0) {
      const retry = Number(response.headers.get('retry-after'));
      throw new WidgetError(
        envelope.error ?? 'ERROR',
        envelope.msg,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    return envelope.data;
  }

  #read(): StoredVisitor | undefined {
    try {
      const text = localStorage.getItem(this.#storageKey);
      return text === null ? undefined : (JSON.parse(text) as StoredVisitor);
    } catch {
      return undefined;
    }
  }
}

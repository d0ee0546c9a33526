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
  visitorId?: string;
  allowImages?: boolean;
}

/** Why the widget had to start a new visitor (and a new, empty conversation). */
export type NewVisitorReason = 'invalid' | 'expired';

/**
 * The visitor's token: kept in localStorage per pipeline (clearing storage starts a new
 * visitor), asked for from the server when missing, renewed (same visitor) before it expires.
 */
export class VisitorSession {
  readonly #storageKey: string;
  /** The token when storage is blocked, so one page view stays one visitor. */
  #memory: StoredVisitor | undefined;

  constructor(
    private readonly options: {
      baseUrl: string;
      pipelineUuid: string;
      widgetKey: string;
      /** Told when a stored visitor could not be resumed and a new one started. */
      onNewVisitor?: (reason: NewVisitorReason) => void;
    },
  ) {
    this.#storageKey = `botwire-widget:${options.pipelineUuid}`;
  }

  /** A usable token: the stored one, renewed when old, or a new visitor's. */
  async token(): Promise<string> {
    const stored = this.#read();
    if (stored !== undefined) {
      const expiresAt = Date.parse(stored.expiresAt);
      const life = expiresAt - stored.issuedAt;
      if (expiresAt - Date.now() > life * RENEW_AT_REMAINING) return stored.token;
    }
    return this.#renew(stored);
  }

  /**
   * A new token after the server refused the stored one: an expired token is renewed (the
   * server keeps the visitor within its grace period), any other refusal starts a new visitor.
   */
  async #recover(code: string): Promise<string> {
    const stored = this.#read();
    if (code === 'VISITOR_TOKEN_EXPIRED' && stored !== undefined) return this.#renew(stored);
    this.forget();
    const token = await this.#issue(undefined);
    if (stored !== undefined) this.options.onNewVisitor?.('invalid');
    return token;
  }

  /** Asks for a token of the stored visitor, or a new visitor's when the server won't. */
  async #renew(stored: StoredVisitor | undefined): Promise<string> {
    try {
      const token = await this.#issue(stored?.token);
      // Past the grace period the server answers with a new visitor.
      const renewed = this.#read();
      if (stored?.visitorId !== undefined && renewed?.visitorId !== stored.visitorId) {
        this.options.onNewVisitor?.('expired');
      }
      return token;
    } catch (error) {
      // A previous token the server no longer takes (tampered, another key): start over.
      if (stored !== undefined && isTokenRefusal(error)) {
        this.forget();
        const token = await this.#issue(undefined);
        this.options.onNewVisitor?.('invalid');
        return token;
      }
      throw error;
    }
  }

  /** Drops the stored token: the next {@link token} is a new visitor's. */
  forget(): void {
    this.#memory = undefined;
    try {
      localStorage.removeItem(this.#storageKey);
    } catch {
      // Storage may be blocked (private mode); the token then lives only in memory.
    }
  }

  /** Calls a visitor route of the widget API with the token. */
  call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    return this.#withToken((token) => this.#fetch<T>(method, path, { token }));
  }

  /** Uploads an image into the visitor's conversation; resolves with its id. */
  upload(file: Blob): Promise<{ image_id: string }> {
    return this.#withToken((token) =>
      this.#fetch<{ image_id: string }>('POST', '/api/v1/widget/images', { token, raw: file }),
    );
  }

  /** The bytes of an image of the visitor's conversation (an `<img>` cannot send the token). */
  image(imageId: string): Promise<Blob> {
    return this.#withToken(async (token) => {
      const response = await fetch(
        `${this.options.baseUrl}/api/v1/widget/images/${encodeURIComponent(imageId)}`,
        { headers: { authorization: `Bearer ${token}` }, credentials: 'omit' },
      );
      if (!response.ok) throw await errorOf(response);
      return response.blob();
    });
  }

  /** Whether the pipeline takes images from visitors (as its limits said with the token). */
  allowsImages(): boolean {
    return this.#read()?.allowImages !== false;
  }

  /** Runs `action` with the token, once more with a new one when the server refused it. */
  async #withToken<T>(action: (token: string) => Promise<T>): Promise<T> {
    const token = await this.token();
    try {
      return await action(token);
    } catch (error) {
      if (!isTokenRefusal(error)) throw error;
      return action(await this.#recover(error.code));
    }
  }

  async #issue(previous: string | undefined): Promise<string> {
    const data = await this.#fetch<VisitorTokenData>('POST', '/api/v1/widget/visitors', {
      json: {
        pipeline_uuid: this.options.pipelineUuid,
        widget_key: this.options.widgetKey,
        ...(previous === undefined ? {} : { previous_token: previous }),
      },
    });
    const stored: StoredVisitor = {
      token: data.token,
      expiresAt: data.expires_at,
      issuedAt: Date.now(),
      visitorId: data.visitor_id,
      allowImages: data.limits.allow_images,
    };
    this.#memory = stored;
    try {
      localStorage.setItem(this.#storageKey, JSON.stringify(stored));
    } catch {
      // Blocked storage: this page view still works.
    }
    return data.token;
  }

  async #fetch<T>(
    method: string,
    path: string,
    options: { json?: unknown; raw?: Blob; token?: string },
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    if (options.raw !== undefined) headers['content-type'] = options.raw.type;
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const body =
      options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
    const response = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers,
      credentials: 'omit',
      ...(body === undefined ? {} : { body }),
    });
    if (!response.ok) throw await errorOf(response);
    return ((await response.json()) as { data: T }).data;
  }

  #read(): StoredVisitor | undefined {
    try {
      const text = localStorage.getItem(this.#storageKey);
      return text === null ? undefined : (JSON.parse(text) as StoredVisitor);
    } catch {
      // Blocked storage (or a value that is not ours): the token of this page view.
      return this.#memory;
    }
  }
}

function isTokenRefusal(error: unknown): error is WidgetError {
  return error instanceof WidgetError && error.code.startsWith('VISITOR_TOKEN');
}

/** The refusal in a server's answer: its catalogue code, message and Retry-After. */
async function errorOf(response: Response): Promise<WidgetError> {
  const retry = Number(response.headers.get('retry-after'));
  let envelope: { msg?: string; error?: string } = {};
  try {
    envelope = (await response.json()) as typeof envelope;
  } catch {
    // Not the server's JSON (a proxy's error page): the status says enough.
  }
  return new WidgetError(
    envelope.error ?? 'ERROR',
    envelope.msg ?? `The server answered ${response.status}.`,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

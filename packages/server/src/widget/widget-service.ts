import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  DEFAULT_WIDGET_LIMITS,
  createVisitorBodySchema,
  updateWidgetSettingsBodySchema,
  type VisitorTokenData,
  type WidgetSettings,
} from '@botwire/protocol';
import { isOriginAllowed } from '../auth/origin-policy.js';
import type { Principal } from '../auth/principal.js';
import { BotwireError } from '../errors/botwire-error.js';
import { validate } from '../errors/validate.js';
import type { Logger } from '../logging/logger.js';
import type { PipelineService } from '../pipelines/pipeline-service.js';
import type { Store } from '../storage/store.js';
import { VisitorLimiter } from './visitor-limiter.js';
import { VisitorTokenSigner, generateVisitorId, type VisitorClaims } from './visitor-token.js';

/** Defaults of the widget service, in one place. */
export const WIDGET_SERVICE_DEFAULTS = {
  /** How long a visitor token is valid; the widget asks for a new one at half of it. */
  tokenTtlSeconds: 24 * 3_600,
  /** An expired token still names its visitor this long, so a returning visitor keeps its chat. */
  rotationGraceSeconds: 7 * 24 * 3_600,
  /** How long settings read from the store are trusted (other instances may change them). */
  settingsCacheMs: 5_000,
} as const;

/** The name of the visitor-token signing key in the store's secrets. */
const SIGNING_SECRET_NAME = 'visitor-token-hmac-sha256';
const PRINCIPAL_PREFIX = 'visitor:';

/** Options for {@link WidgetService}. */
export interface WidgetServiceOptions {
  store: Store;
  pipelines: PipelineService;
  logger: Logger;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  tokenTtlSeconds?: number;
}

/** Where a visitor request came from, as the browser said. */
export interface RequestOrigin {
  origin: string | undefined;
  host: string | undefined;
}

/** A verified visitor: its principal and the public settings of its pipeline. */
export interface AuthenticatedVisitor {
  principal: Principal;
  claims: VisitorClaims;
  settings: WidgetSettings;
}

/** A new publishable widget key: `bw_widget_` and 24 random base64url characters. */
function generateWidgetKey(): string {
  return `bw_widget_${randomBytes(18).toString('base64url')}`;
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The principal of a visitor: its own kind, a member limited to its one pipeline. */
export function visitorPrincipal(claims: VisitorClaims): Principal {
  return {
    id: `${PRINCIPAL_PREFIX}${claims.visitorId}`,
    name: `visitor ${claims.visitorId.slice(0, 8)}`,
    kind: 'visitor',
    role: 'member',
    pipelines: [claims.pipelineUuid],
  };
}

/** The visitor id of a visitor principal. */
export function visitorIdOf(principal: Principal): string {
  return principal.id.slice(PRINCIPAL_PREFIX.length);
}

/**
 * Public pipelines: their widget settings (admin), visitor tokens (issued to pages on the
 * allowed origins), the verification of those tokens and the visitors' abuse limits.
 */
export class WidgetService {
  readonly limiter: VisitorLimiter;
  readonly #options: WidgetServiceOptions;
  readonly #now: () => number;
  readonly #ttlSeconds: number;
  readonly #cache = new Map<string, { settings: WidgetSettings | undefined; readAt: number }>();
  #signer: Promise<VisitorTokenSigner> | undefined;
  readonly #publicEndedListeners: ((pipelineUuid: string) => void)[] = [];

  constructor(options: WidgetServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#ttlSeconds = options.tokenTtlSeconds ?? WIDGET_SERVICE_DEFAULTS.tokenTtlSeconds;
    this.limiter = new VisitorLimiter({ now: this.#now });
  }

  /** The pipeline's settings for an admin, created (private, with a fresh key) on first ask. */
  async getSettings(pipelineUuid: string): Promise<WidgetSettings> {
    await this.#options.pipelines.get(pipelineUuid);
    const stored = await this.#options.store.widgets.get(pipelineUuid);
    if (stored !== undefined) return stored;
    const created: WidgetSettings = {
      pipeline_uuid: pipelineUuid,
      public: false,
      widget_key: generateWidgetKey(),
      allowed_origins: [],
      limits: { ...DEFAULT_WIDGET_LIMITS },
      updated_at: new Date(this.#now()).toISOString(),
    };
    await this.#save(created);
    return created;
  }

  /** Applies an admin's changes; limits merge with the stored ones. */
  async updateSettings(pipelineUuid: string, body: unknown): Promise<WidgetSettings> {
    const changes = validate(updateWidgetSettingsBodySchema, body, 'widget settings');
    const current = await this.getSettings(pipelineUuid);
    const updated: WidgetSettings = {
      ...current,
      ...(changes.public === undefined ? {} : { public: changes.public }),
      ...(changes.allowed_origins === undefined
        ? {}
        : { allowed_origins: [...new Set(changes.allowed_origins.map(normalizeOrigin))] }),
      limits: { ...current.limits, ...changes.limits },
      updated_at: new Date(this.#now()).toISOString(),
    };
    await this.#save(updated);
    if (current.public && !updated.public) {
      for (const listener of this.#publicEndedListeners) listener(pipelineUuid);
    }
    this.#options.logger.info(
      { pipeline: pipelineUuid, public: updated.public, origins: updated.allowed_origins },
      'widget settings changed',
    );
    return updated;
  }

  /** Calls `listener` when a pipeline stops being public, to close its visitors' connections. */
  onPublicEnded(listener: (pipelineUuid: string) => void): void {
    this.#publicEndedListeners.push(listener);
  }

  /** Replaces the widget key: pages embedding the old one can no longer start chats. */
  async rotateKey(pipelineUuid: string): Promise<WidgetSettings> {
    const current = await this.getSettings(pipelineUuid);
    const updated = {
      ...current,
      widget_key: generateWidgetKey(),
      updated_at: new Date(this.#now()).toISOString(),
    };
    await this.#save(updated);
    this.#options.logger.info({ pipeline: pipelineUuid }, 'widget key rotated');
    return updated;
  }

  /**
   * Issues a visitor token to a page: the pipeline must be public, the key its current one and
   * the Origin one of its allowed origins. A genuine previous token (even expired, within the
   * grace period) keeps its visitor id, so the visitor keeps its conversation.
   */
  async issueVisitorToken(
    body: unknown,
    request: RequestOrigin & { remoteAddress: string },
  ): Promise<VisitorTokenData> {
    const parsed = validate(createVisitorBodySchema, body, 'visitor request');
    const settings = await this.#publicSettings(parsed.pipeline_uuid);
    if (parsed.widget_key === undefined || parsed.widget_key.length === 0) {
      throw new BotwireError(
        'WIDGET_KEY_INVALID',
        'The widget key is missing: the embed tag needs data-key="<widget key>" from the pipeline\'s widget settings.',
      );
    }
    if (!sameText(parsed.widget_key, settings.widget_key)) {
      throw new BotwireError(
        'WIDGET_KEY_INVALID',
        "The widget key is not this pipeline's current key (it may have been rotated); copy the embed snippet again from the console.",
      );
    }
    this.#checkOrigin(settings, request);
    const signer = await this.#getSigner();
    let visitorId: string | undefined;
    if (parsed.previous_token !== undefined) {
      const previous = signer.verify(parsed.previous_token);
      if (previous.ok) {
        visitorId = previous.value.visitorId;
        if (previous.value.pipelineUuid !== settings.pipeline_uuid) {
          throw wrongPipeline();
        }
      } else if (previous.error.code === 'VISITOR_TOKEN_EXPIRED') {
        visitorId = this.#expiredVisitor(signer, parsed.previous_token, settings.pipeline_uuid);
      } else {
        throw new BotwireError(previous.error.code, previous.error.message);
      }
    }
    if (visitorId === undefined) {
      this.limiter.admitNewVisitor({
        pipelineUuid: settings.pipeline_uuid,
        remoteAddress: request.remoteAddress,
        limits: settings.limits,
      });
    }
    const { token, claims } = signer.sign({
      pipelineUuid: settings.pipeline_uuid,
      visitorId: visitorId ?? generateVisitorId(),
      ttlSeconds: this.#ttlSeconds,
    });
    return {
      token,
      visitor_id: claims.visitorId,
      pipeline_uuid: claims.pipelineUuid,
      expires_at: new Date(claims.expiresAt * 1_000).toISOString(),
      limits: settings.limits,
    };
  }

  /**
   * Verifies a visitor token and where it is used: a genuine unexpired token, for a pipeline
   * that is still public, from one of its allowed origins (and, when `pipelineUuid` is given,
   * for that pipeline). Throws the matching catalogue error otherwise.
   */
  async authenticateVisitor(
    token: string,
    request: RequestOrigin & { pipelineUuid?: string },
  ): Promise<AuthenticatedVisitor> {
    const signer = await this.#getSigner();
    const verified = signer.verify(token);
    if (!verified.ok) throw new BotwireError(verified.error.code, verified.error.message);
    const claims = verified.value;
    if (request.pipelineUuid !== undefined && request.pipelineUuid !== claims.pipelineUuid) {
      throw wrongPipeline();
    }
    const settings = await this.#publicSettings(claims.pipelineUuid);
    this.#checkOrigin(settings, request);
    return { principal: visitorPrincipal(claims), claims, settings };
  }

  /**
   * Whether a browser page on `origin` may open this pipeline's public chat: the gateway lets
   * such an upgrade go on to authentication, where the visitor token decides.
   */
  async allowsOrigin(pipelineUuid: string, request: RequestOrigin): Promise<boolean> {
    const settings = await this.#cachedSettings(pipelineUuid);
    return (
      settings !== undefined &&
      settings.public &&
      request.origin !== undefined &&
      isOriginAllowed({
        origin: request.origin,
        host: request.host,
        allowedOrigins: settings.allowed_origins,
      })
    );
  }

  /**
   * Counts a visitor's chat message against its pipeline's limits: messages per minute per
   * visitor and per address, and the conversation's length (`storedMessages` so far).
   */
  async admitMessage(options: {
    principal: Principal;
    pipelineUuid: string;
    conversationId: number;
    remoteAddress: string;
  }): Promise<void> {
    const settings = await this.#publicSettings(options.pipelineUuid);
    const { limits } = settings;
    const stored = await this.#options.store.messages.countInConversation(options.conversationId);
    // The message and its reply: both must fit.
    if (stored + 2 > limits.max_conversation_messages) {
      throw new BotwireError(
        'CONVERSATION_TOO_LONG',
        `This conversation reached its limit of ${limits.max_conversation_messages} messages; start a new one (reset) to go on.`,
      );
    }
    this.limiter.admitMessage({
      pipelineUuid: options.pipelineUuid,
      visitorId: visitorIdOf(options.principal),
      remoteAddress: options.remoteAddress,
      limits,
    });
  }

  /** The settings of a public pipeline, or `PIPELINE_NOT_FOUND` / `PIPELINE_NOT_PUBLIC`. */
  async #publicSettings(pipelineUuid: string): Promise<WidgetSettings> {
    const pipeline = await this.#options.pipelines.find(pipelineUuid);
    if (pipeline === undefined) {
      throw new BotwireError('PIPELINE_NOT_FOUND', `No pipeline has uuid ${pipelineUuid}.`);
    }
    const settings = await this.#cachedSettings(pipelineUuid);
    if (settings === undefined || !settings.public) {
      throw new BotwireError(
        'PIPELINE_NOT_PUBLIC',
        "This chat is not available: the pipeline is not public (an admin turns it on in the pipeline's widget settings).",
      );
    }
    return settings;
  }

  #checkOrigin(settings: WidgetSettings, request: RequestOrigin): void {
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

  /** The visitor id of an expired but genuine token still within the grace period. */
  #expiredVisitor(
    signer: VisitorTokenSigner,
    token: string,
    pipelineUuid: string,
  ): string | undefined {
    const grace = WIDGET_SERVICE_DEFAULTS.rotationGraceSeconds * 1_000;
    const graceSigner = new VisitorTokenSigner({
      secret: signer.secret,
      now: () => this.#now() - grace,
    });
    const claims = graceSigner.verify(token);
    if (!claims.ok) return undefined;
    if (claims.value.pipelineUuid !== pipelineUuid) throw wrongPipeline();
    return claims.value.visitorId;
  }

  async #cachedSettings(pipelineUuid: string): Promise<WidgetSettings | undefined> {
    const cached = this.#cache.get(pipelineUuid);
    const now = this.#now();
    if (cached !== undefined && now - cached.readAt < WIDGET_SERVICE_DEFAULTS.settingsCacheMs) {
      return cached.settings;
    }
    const settings = await this.#options.store.widgets.get(pipelineUuid);
    this.#cache.set(pipelineUuid, { settings, readAt: now });
    return settings;
  }

  async #save(settings: WidgetSettings): Promise<void> {
    await this.#options.store.widgets.save(settings);
    this.#cache.delete(settings.pipeline_uuid);
  }

  #getSigner(): Promise<VisitorTokenSigner> {
    this.#signer ??= this.#options.store.secrets
      .getOrCreate(SIGNING_SECRET_NAME, () => randomBytes(32).toString('base64url'))
      .then(
        (secret) =>
          new VisitorTokenSigner({ secret: Buffer.from(secret, 'base64url'), now: this.#now }),
      )
      .catch((error: unknown) => {
        this.#signer = undefined;
        throw error;
      });
    return this.#signer;
  }
}

function wrongPipeline(): BotwireError {
  return new BotwireError(
    'VISITOR_TOKEN_WRONG_PIPELINE',
    'The visitor token was issued for another pipeline; the widget asks for a new one.',
  );
}

/** `https://Shop.Example.com:443` → `https://shop.example.com`. */
function normalizeOrigin(origin: string): string {
  return new URL(origin).origin;
}

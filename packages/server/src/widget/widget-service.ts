import { randomBytes } from 'node:crypto';
import {
  DEFAULT_WIDGET_LIMITS,
  createVisitorBodySchema,
  updateWidgetSettingsBodySchema,
  type VisitorTokenData,
  type WidgetSettings,
} from '@botwire/protocol';
import { isOriginAllowed } from '../auth/origin-policy.js';
import type { Principal } from '../auth/principal.js';
import type { ChangeAnnouncer } from '../cluster/cluster-bus.js';
import { BotwireError } from '../errors/botwire-error.js';
import { validate } from '../errors/validate.js';
export type { RequestOrigin } from './widget-origin.js';
export { visitorIdOf, visitorPrincipal } from './visitor-principal.js';
import type { Logger } from '../logging/logger.js';
import type { PipelineService } from '../pipelines/pipeline-service.js';
import type { Store } from '../storage/store.js';
import { admitVisitorImage, admitVisitorMessage, type VisitorMessage } from './visitor-gate.js';
import { VisitorLimiter } from './visitor-limiter.js';
import { generateWidgetKey, sameText } from './widget-key.js';
import { visitorPrincipal } from './visitor-principal.js';
import { visitorOfPreviousToken, wrongPipelineError } from './visitor-renewal.js';
import { checkVisitorOrigin, normalizeOrigin, type RequestOrigin } from './widget-origin.js';
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

/** Options for {@link WidgetService}. */
export interface WidgetServiceOptions {
  store: Store;
  pipelines: PipelineService;
  logger: Logger;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  tokenTtlSeconds?: number;
  /**
   * Tells the other nodes of a cluster that a pipeline stopped being public (its uuid), so they
   * close its visitors' connections too. Without it (one node) nothing is announced.
   */
  announcer?: ChangeAnnouncer<string>;
}

/** A verified visitor: its principal and the public settings of its pipeline. */
export interface AuthenticatedVisitor {
  principal: Principal;
  claims: VisitorClaims;
  settings: WidgetSettings;
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
    const endsPublic = current.public && changes.public === false;
    // Refused before it is stored when the other nodes could not be told (cluster, Redis away):
    // their visitors would go on chatting with a pipeline that is no longer public.
    if (endsPublic) this.#options.announcer?.assertCanAnnounce();
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
    this.#options.logger.info(
      { pipeline: pipelineUuid, public: updated.public, origins: updated.allowed_origins },
      'widget settings changed',
    );
    if (endsPublic) {
      for (const listener of this.#publicEndedListeners) listener(pipelineUuid);
      await this.#options.announcer?.announce(pipelineUuid);
    }
    return updated;
  }

  /** Another node turned the pipeline's widget off: forget its settings, close its visitors. */
  applyRemotePublicEnded(pipelineUuid: string): void {
    this.#cache.delete(pipelineUuid);
    for (const listener of this.#publicEndedListeners) listener(pipelineUuid);
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
    checkVisitorOrigin(settings, request);
    const signer = await this.#getSigner();
    const visitorId =
      parsed.previous_token === undefined
        ? undefined
        : visitorOfPreviousToken({
            signer,
            token: parsed.previous_token,
            pipelineUuid: settings.pipeline_uuid,
            graceMs: WIDGET_SERVICE_DEFAULTS.rotationGraceSeconds * 1_000,
            now: this.#now,
          });
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
      throw wrongPipelineError();
    }
    const settings = await this.#publicSettings(claims.pipelineUuid);
    checkVisitorOrigin(settings, request);
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
   * Admits a visitor's chat message under its pipeline's limits (rate, conversation length,
   * images allowed); throws the refusal otherwise.
   */
  async admitMessage(options: VisitorMessage & { pipelineUuid: string }): Promise<void> {
    const settings = await this.#publicSettings(options.pipelineUuid);
    const storedMessages = await this.#options.store.messages.countInConversation(
      options.conversationId,
    );
    admitVisitorMessage({ ...options, settings, storedMessages, limiter: this.limiter });
  }

  /** Admits an image upload of a visitor: images allowed, under its per-minute limit. */
  async admitImageUpload(principal: Principal, pipelineUuid: string): Promise<void> {
    const settings = await this.#publicSettings(pipelineUuid);
    admitVisitorImage({ principal, settings, limiter: this.limiter });
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

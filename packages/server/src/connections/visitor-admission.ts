import type { MessageChain } from '@botwire/protocol';
import { CLOSE_CODES } from '@botwire/protocol';
import { BotwireError } from '../errors/botwire-error.js';
import type { AuthenticatedVisitor, WidgetService } from '../widget/widget-service.js';
import type { ConnectionManager } from './connection-manager.js';
import { Refusal } from './connection-refusal.js';

/** The close code a visitor refusal ends with: retrying with the same token cannot help. */
function visitorCloseCode(code: BotwireError['code']): number {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- every other code is an authentication failure
  switch (code) {
    case 'PIPELINE_NOT_FOUND':
      return CLOSE_CODES.PIPELINE_NOT_FOUND;
    case 'ORIGIN_NOT_ALLOWED':
    case 'PIPELINE_NOT_PUBLIC':
    case 'VISITOR_TOKEN_WRONG_PIPELINE':
      return CLOSE_CODES.FORBIDDEN;
    case 'DATABASE_UNAVAILABLE':
    case 'INTERNAL_ERROR':
      return CLOSE_CODES.INTERNAL_ERROR;
  }
  return CLOSE_CODES.UNAUTHENTICATED;
}

/** Options for {@link VisitorAdmission}. */
export interface VisitorAdmissionOptions {
  /** Public pipelines; without it every visitor token is refused. */
  widgets?: WidgetService;
  connections: ConnectionManager;
}

/**
 * The gateway's checks for public widget visitors: their token, the one conversation they may
 * join, their connection limits, and the gate each of their chat messages passes. Every failure
 * is a {@link Refusal} with the code the visitor's widget shows.
 */
export class VisitorAdmission {
  readonly #widgets: WidgetService | undefined;
  readonly #connections: ConnectionManager;

  constructor(options: VisitorAdmissionOptions) {
    this.#widgets = options.widgets;
    this.#connections = options.connections;
  }

  /** The check each chat message of a visitor passes: its pipeline's rate and length limits. */
  messageGate(
    visitor: AuthenticatedVisitor,
    conversationId: number,
    remoteAddress: string,
  ): (chain: MessageChain) => Promise<void> {
    const widgets = this.#widgets;
    return async (chain) =>
      widgets?.admitMessage({
        chain,
        principal: visitor.principal,
        pipelineUuid: visitor.claims.pipelineUuid,
        conversationId,
        remoteAddress,
      });
  }

  /** Verifies a visitor token; every failure becomes a refusal with its own code. */
  async authenticate(
    token: string,
    request: { origin: string | undefined; host: string | undefined; pipelineUuid: string },
  ): Promise<AuthenticatedVisitor> {
    const widgets = this.#widgets;
    if (widgets === undefined) {
      throw new Refusal(
        'AUTH_FAILED',
        'This server does not serve public widgets.',
        CLOSE_CODES.UNAUTHENTICATED,
      );
    }
    try {
      return await widgets.authenticateVisitor(token, request);
    } catch (error) {
      if (!(error instanceof BotwireError)) throw error;
      throw new Refusal(error.code, error.message, visitorCloseCode(error.code));
    }
  }

  /**
   * A visitor reaches only its own person conversation (no `session` other than the default),
   * a group one only where the pipeline allows it, within its connection limits.
   */
  check(
    visitor: AuthenticatedVisitor,
    request: { sessionType: string; session: string | undefined },
    remoteAddress: string,
  ): void {
    const { limits } = visitor.settings;
    if (request.sessionType === 'group' && !limits.allow_group) {
      throw new Refusal(
        'FORBIDDEN',
        'Visitors may not join group conversations of this pipeline.',
        CLOSE_CODES.FORBIDDEN,
      );
    }
    if (
      request.sessionType === 'person' &&
      request.session !== undefined &&
      request.session !== 'default'
    ) {
      throw new Refusal(
        'FORBIDDEN',
        'A visitor has one conversation; leave out "session".',
        CLOSE_CODES.FORBIDDEN,
      );
    }
    const connections = this.#connections;
    if (connections.countForPrincipal(visitor.principal.id) >= limits.connections_per_visitor) {
      throw new Refusal(
        'CONNECTION_LIMIT',
        `This visitor already has ${limits.connections_per_visitor} chat connections open (other tabs); close one first.`,
        CLOSE_CODES.CONNECTION_LIMIT,
      );
    }
    const fromAddress = connections
      .list(visitor.claims.pipelineUuid)
      .filter(
        (connection) =>
          connection.principal.kind === 'visitor' && connection.remoteAddress === remoteAddress,
      ).length;
    if (fromAddress >= limits.connections_per_ip) {
      throw new Refusal(
        'CONNECTION_LIMIT',
        `Your network address already has ${limits.connections_per_ip} chat connections open; try again later.`,
        CLOSE_CODES.CONNECTION_LIMIT,
      );
    }
  }
}

import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { BotwireError } from '../errors/botwire-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request; set by the authentication hook on every non-public route. */
    principal: Principal | null;
    /** The raw credential the request carried, to end its own session on logout. */
    credential: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (health checks, login). */
    public?: boolean;
    /** Visitor tokens are accepted here (every other route refuses them). */
    visitor?: boolean;
    /**
     * A widget route: its Origin is checked against the pipeline's allowed origins by the
     * widget service, not against the server's BOTWIRE_ALLOWED_ORIGINS.
     */
    widget?: boolean;
  }
}

/** The request's principal; routes behind the authentication hook always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new BotwireError('NOT_AUTHENTICATED');
  return request.principal;
}

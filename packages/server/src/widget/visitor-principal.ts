import type { Principal } from '../auth/principal.js';
import type { VisitorClaims } from './visitor-token.js';

const PRINCIPAL_PREFIX = 'visitor:';

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

import type { PrincipalData } from '@botwire/protocol';

/**
 * Who is making a request: a logged-in user, an API key or a static key from the config. The
 * server uses the protocol's shape as is, so `/api/v1/auth/me` can return it unchanged.
 */
export type Principal = PrincipalData;

/** Whether the principal may chat with (or manage) this pipeline; `pipelines: null` means all. */
export function canUsePipeline(principal: Principal, pipelineUuid: string): boolean {
  return principal.pipelines === null || principal.pipelines.includes(pipelineUuid);
}

/** Whether the principal holds the admin role. */
export function isAdmin(principal: Principal): boolean {
  return principal.role === 'admin';
}

/** How a principal is named in error messages, e.g. `API key "ci"`. */
export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user "${principal.name}"`;
    case 'api_key':
      return `API key "${principal.name}"`;
    case 'static_key':
      return 'static key';
    case 'visitor':
      return `widget ${principal.name}`;
  }
}

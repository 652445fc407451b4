// Every /v1 route needs `Authorization: Bearer <API key>`; the key decides the workspace. Routes that a
// browser reaches without a key (the OAuth callback) opt out with `config: { public: true }`.
import type { FastifyRequest } from 'fastify';
import { PinflowError } from '../domain/errors';
import { authenticate } from '../workspaces/service';
import type { App } from './app-type';
import type { ApiDeps } from './deps';

declare module 'fastify' {
  interface FastifyRequest {
    workspaceId: string;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' ? value?.trim() : undefined;
}

export function registerAuth(app: App, deps: ApiDeps): void {
  app.decorateRequest('workspaceId', '');
  app.addHook('onRequest', async (request) => {
    // The matched route's path, not the URL: the router decodes `/%761/posts` to /v1/posts, the URL keeps it encoded.
    const path = request.routeOptions.url ?? request.url;
    if (!path.startsWith('/v1/') || request.routeOptions.config?.public) return;
    const key = bearer(request);
    if (!key) throw new PinflowError('UNAUTHORIZED', 'missing API key: send Authorization: Bearer pf_live_…');
    const workspaceId = await authenticate(deps.db, deps.secrets.serverSecret, key);
    if (!workspaceId) throw new PinflowError('UNAUTHORIZED', 'unknown or revoked API key');
    request.workspaceId = workspaceId;
  });
}

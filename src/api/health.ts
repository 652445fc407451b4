// Liveness (`/healthz`: the process answers) and readiness (`/readyz`: PostgreSQL and Temporal answer).
import type { App } from './app-type';
import type { ApiDeps } from './deps';

export function registerHealth(app: App, deps: ApiDeps): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks = await Promise.allSettled([deps.db.query('SELECT 1'), deps.temporal.connection.workflowService.getSystemInfo({})]);
    const [db, temporal] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
    const ready = db === 'ok' && temporal === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', db, temporal });
  });
}

// `GET /metrics` (Prometheus text) and the hook that counts every answered request by route template
// and status. The template (`/v1/posts/:id`), not the URL, is the label: ids would explode the series.
import { httpRequestDuration, httpRequests, registry } from '../infra/metrics';
import type { App } from './app-type';

export function registerMetrics(app: App): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

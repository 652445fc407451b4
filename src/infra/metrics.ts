// Prometheus metrics of the pinflow processes (prom-client): HTTP traffic of the api, the publishing
// outcomes of the worker, and a small HTTP endpoint that serves them next to the Temporal SDK's own
// metrics, so a worker is one scrape target. Names are listed in docs/operations.md.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process: api and worker each expose it (process_* and nodejs_* included). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'pinflow_http_requests_total',
  help: 'HTTP requests answered by the api, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'pinflow_http_request_duration_seconds',
  help: 'Time from request to response, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  // Image uploads and URL fetches take seconds; everything else is milliseconds.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const pinsPublished = new Counter({
  name: 'pinflow_pins_published_total',
  help: 'Targets published: outcome "created" (a new pin) or "adopted" (found after an unknown outcome)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const pinsFailed = new Counter({
  name: 'pinflow_pins_failed_total',
  help: 'Targets that ended without a pin, by error code (OUTCOME_UNKNOWN included)',
  labelNames: ['code'] as const,
  registers: [registry],
});

export const publishLateness = new Histogram({
  name: 'pinflow_publish_lateness_seconds',
  help: 'Pin created minus scheduledAt: how late users see their pin',
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
  registers: [registry],
});

export const pinterestRateLimited = new Counter({
  name: 'pinflow_pinterest_rate_limited_total',
  help: 'Pinterest answers with status 429, by endpoint',
  labelNames: ['endpoint'] as const,
  registers: [registry],
});

/** A target got its pin; `scheduledAt` → `createdAt` is the lateness users feel. */
export function recordPinPublished(outcome: 'created' | 'adopted', scheduledAt: Date, createdAt: Date = new Date()): void {
  pinsPublished.inc({ outcome });
  publishLateness.observe(Math.max(0, (createdAt.getTime() - scheduledAt.getTime()) / 1000));
}

export function recordPinFailed(code: string): void {
  pinsFailed.inc({ code });
}

/** `endpoint` is a route template such as `POST /v5/pins`, never a URL with ids (label cardinality). */
export function recordPinterestRateLimited(endpoint: string): void {
  pinterestRateLimited.inc({ endpoint });
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** The Temporal SDK's Prometheus exporter (Runtime telemetry), appended to ours. */
  sdkMetricsUrl?: string;
  /** `/healthz` answers 200 while this is true. */
  healthy: () => boolean;
}

/** The worker's `/metrics` (ours + the SDK's) and `/healthz`. */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    void answer(req.url ?? '/', opts).then(
      ({ status, type, body }) => res.writeHead(status, { 'content-type': type }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port, opts.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function answer(url: string, opts: MetricsServerOptions): Promise<{ status: number; type: string; body: string }> {
  const path = url.split('?')[0];
  if (path === '/healthz') {
    const ok = opts.healthy();
    return { status: ok ? 200 : 503, type: 'application/json', body: JSON.stringify({ status: ok ? 'ok' : 'stopping' }) };
  }
  if (path !== '/metrics') return { status: 404, type: 'text/plain', body: 'not found: /metrics, /healthz' };
  const parts = [await registry.metrics()];
  if (opts.sdkMetricsUrl) parts.push(await sdkMetrics(opts.sdkMetricsUrl));
  return { status: 200, type: registry.contentType, body: parts.join('\n') };
}

/** The SDK exporter answers on loopback; if it does not, our metrics still go out (and say so). */
async function sdkMetrics(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? await res.text() : `# Temporal SDK metrics unavailable: HTTP ${res.status}\n`;
  } catch (err) {
    return `# Temporal SDK metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`;
  }
}

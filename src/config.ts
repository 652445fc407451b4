// Environment → typed configuration. The only module that reads process.env.
import path from 'node:path';
import { z } from 'zod';

const root = path.resolve(__dirname, '..');

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** `kid:base64key,kid2:base64key2` — every key 32 bytes, for AES-256-GCM. */
const keyRing = z.string().transform((v, ctx) => {
  const keys: Record<string, Buffer> = {};
  for (const entry of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [kid, b64] = entry.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!kid || key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'each entry must be kid:<32 bytes in base64>' });
      return z.NEVER;
    }
    keys[kid] = key;
  }
  return keys;
});

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Longest a client may take to send one whole request, headers and body: a slower one (slow-loris) gets a
   * 408 and is cut off. Long enough for a 20 MB upload at 2 Mbit/s; 0 = no limit (behind a proxy that has one).
   */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
  /** Public base URL of the API, used to build the OAuth redirect URI. */
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(path.join(root, '.data')),

  DATABASE_URL: z.string().url().optional(),
  /** Port of the embedded PostgreSQL that `npm start` runs when DATABASE_URL is not set. */
  EMBEDDED_PG_PORT: z.coerce.number().int().default(54329),
  PG_POOL_MAX: z.coerce.number().int().min(1).default(10),

  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('pinflow'),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  TEMPORAL_CLI_PATH: z.string().default(path.join(root, '.tools/bin/temporal')),
  TEMPORAL_TEST_SERVER_PATH: z.string().default(path.join(root, '.tools/bin/temporal-test-server')),
  /** A workflow bundle prebuilt by `bundleWorkflowCode` (production images); else workflows are bundled at start. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),

  PINTEREST_API_URL: z.string().url().default('https://api.pinterest.com'),
  PINTEREST_OAUTH_URL: z.string().url().default('https://www.pinterest.com/oauth/'),
  PINTEREST_CLIENT_ID: z.string().default(''),
  PINTEREST_CLIENT_SECRET: z.string().default(''),
  PINTEREST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),

  /** Server secret: HMAC of API keys, signature of OAuth state. At least 32 characters. */
  PINFLOW_SECRET: z.string().min(32).optional(),
  /** AES-256-GCM keys for tokens at rest; the first is used to encrypt, all to decrypt. */
  TOKEN_ENCRYPTION_KEYS: keyRing.optional(),

  MEDIA_STORE: z.enum(['fs', 's3']).default('fs'),
  MEDIA_DIR: z.string().optional(),
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  /** Hosts or CIDRs that URL fetches may reach although private (tests, the offline demo). Off by default. */
  FETCH_ALLOW_HOSTS: list.default([]),
  FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),

  /**
   * Pinterest's per-user org_write limit is 100 a minute: pinflow paces each account's pin creation to at
   * most PINTEREST_WRITE_LIMIT per PINTEREST_WRITE_WINDOW_MS (a little under Pinterest's, for headroom).
   */
  PINTEREST_WRITE_LIMIT: z.coerce.number().int().min(2).default(90),
  PINTEREST_WRITE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * After a create whose outcome is unknown, how long its pin may take to appear on the board; a pin not
   * found after this means the attempt created nothing and a new one may be made.
   */
  /**
   * How long before its time a post starts publishing: its checks and reads are done by then and the worker
   * waits for the exact moment, so a burst due at once is not late behind workflow tasks. Edits close then.
   */
  PUBLISH_LEAD_MS: z.coerce.number().int().min(0).max(50_000).default(20_000),
  PUBLISH_SETTLE_MS: z.coerce.number().int().min(0).default(30_000),
  ANALYTICS_INTERVAL_DAYS: z.coerce
    .number()
    .min(1 / 24)
    .default(14),
  /**
   * Pin analytics requests per minute per account. Pinterest's org_analytics limit is 60/min per user
   * [UNCONFIRMED]; requests are spaced evenly, so any minute sees at most this + 1.
   */
  ANALYTICS_ORG_ANALYTICS_PER_MINUTE: z.coerce.number().min(1).default(50),
  /** One schedule per deployment (a test run gives each test its own). */
  ANALYTICS_SCHEDULE_ID: z.string().min(1).default('analytics-refresh'),
  /** The Schedule that starts, every minute, the workflow of any post stored without one (src/posts/reconcile.ts). */
  RECONCILE_SCHEDULE_ID: z.string().min(1).default('posts-reconcile'),
  EMULATOR_PORT: z.coerce.number().int().default(3100),
  /**
   * Payload encryption (AES-256-GCM) of everything sent to Temporal: `kid:base64key,…`, the first encrypts,
   * all decrypt (rotation). Unset: payloads are plain JSON.
   */
  ENCRYPTION_KEY: keyRing.optional(),
  /** Web UI origins allowed to call the codec endpoint from the browser (CORS). */
  CODEC_CORS_ORIGIN: list.default(['http://127.0.0.1:8233']),
  /**
   * Secret for /codec: `Authorization: Bearer <token>` (CLI, scripts) or as a path segment
   * `/codec/<token>` (the Web UI, which cannot add a header). Unset: open in development, off in production.
   */
  CODEC_AUTH_TOKEN: z.string().min(16).optional(),
  /** The worker's Prometheus endpoint (`/metrics`, `/healthz`) on HOST; 0 = off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /**
   * On SIGTERM a worker stops polling and gives running activities this long to finish (one Pinterest call
   * is at most PINTEREST_TIMEOUT_MS); after it they are cancelled and retried elsewhere.
   */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(35_000),
  /**
   * Workflows a worker keeps in memory between their tasks. A sleeping post needs no place here: when its
   * timer fires, 20 s ahead of its time, it is replayed from a few events. Memory grows with this number.
   */
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  /** How many worker processes `npm run cluster` starts. */
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(8).default(2),

  START_EMULATOR: bool.default(true),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses an environment; a bad value throws a ConfigError naming every variable at fault. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

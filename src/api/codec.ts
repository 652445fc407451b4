// The codec endpoint of the Temporal Web UI and CLI (Temporal's "codec server" protocol): `POST …/encode`
// and `POST …/decode` with `{ payloads: [{ metadata: { k: base64 }, data: base64 }] }`, through the same
// AES-256-GCM codec the client and worker use. Decoding crosses every workspace, so it takes its own
// secret rather than a workspace's API key: `Authorization: Bearer <CODEC_AUTH_TOKEN>` (the CLI's
// `--codec-auth`), or the token as the path segment before `/encode`/`/decode` for the Web UI, which cannot
// add a header (the protocol only looks at the last segment, so `/codec/<token>` is a valid endpoint).
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { PinflowError } from '../domain/errors';
import { createEncryptionCodec, PayloadDecryptionError } from '../temporal/codec';
import type { App } from './app-type';
import type { ApiDeps } from './deps';

const jsonPayloadSchema = z.object({
  metadata: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});
const payloadsSchema = z.object({ payloads: z.array(jsonPayloadSchema) });
type JsonPayload = z.infer<typeof jsonPayloadSchema>;

const fromBase64 = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
const toBase64 = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('base64');

export function fromJsonPayload(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, fromBase64(v)])),
    data: fromBase64(p.data ?? ''),
  };
}

export function toJsonPayload(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, toBase64(v)])),
    data: toBase64(p.data),
  };
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function bearer(request: FastifyRequest): string | undefined {
  const [scheme, value] = (request.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' ? value?.trim() : undefined;
}

/** Constant-time comparison of digests: neither the token's content nor its length leaks through timing. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** The path token never reaches the logs. */
const redactPath = (url: string): string => url.replace(/^\/codec\/[^/?]+\/(encode|decode)/, '/codec/[redacted]/$1');

export async function registerCodecRoutes(app: App, deps: ApiDeps): Promise<void> {
  const { config, logger } = deps;
  if (!config.ENCRYPTION_KEY) return;
  const token = config.CODEC_AUTH_TOKEN;
  if (!token && config.NODE_ENV === 'production') {
    logger.warn('codec endpoint off: set CODEC_AUTH_TOKEN to let the Web UI decode encrypted payloads');
    return;
  }
  const codec = createEncryptionCodec(config.ENCRYPTION_KEY);

  await app.register(
    async (scope) => {
      // Only the codec routes answer cross-origin, and only to the Web UI's origin.
      await scope.register(cors, {
        origin: config.CODEC_CORS_ORIGIN,
        methods: ['POST'],
        allowedHeaders: ['content-type', 'authorization', 'x-namespace'],
        credentials: true,
        maxAge: 600,
      });
      const authorized = (request: FastifyRequest): boolean => {
        if (!token) return true;
        const pathToken = (request.params as { token?: string } | undefined)?.token;
        return tokenMatches(pathToken, token) || tokenMatches(bearer(request), token);
      };
      const route = (op: 'encode' | 'decode', transform: PayloadCodec['encode']): void => {
        for (const url of [`/${op}`, `/:token/${op}`]) {
          scope.withTypeProvider<ZodTypeProvider>().post(
            url,
            {
              schema: { hide: true, body: payloadsSchema, response: { 200: payloadsSchema } },
              logSerializers: { req: (req: FastifyRequest) => ({ method: req.method, url: redactPath(req.url) }) },
            },
            async (request) => {
              if (!authorized(request))
                throw new PinflowError('UNAUTHORIZED', 'the codec endpoint needs Authorization: Bearer <CODEC_AUTH_TOKEN>');
              try {
                const out = await transform(request.body.payloads.map(fromJsonPayload));
                return { payloads: out.map(toJsonPayload) };
              } catch (err) {
                if (err instanceof PayloadDecryptionError) throw new PinflowError('VALIDATION_FAILED', err.message);
                throw err;
              }
            },
          );
        }
      };
      route('encode', (p) => codec.encode(p));
      route('decode', (p) => codec.decode(p));
    },
    { prefix: '/codec' },
  );
}

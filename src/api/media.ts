// /v1/media: upload an image (multipart) or have one fetched (JSON { url }), read, list, delete.
import { PassThrough, type Readable } from 'node:stream';
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps';
import { errorCodes, PinflowError, type ErrorCode } from '../domain/errors';
import { IMAGE_MAX_BYTES } from '../domain/pinterest-rules';
import {
  mediaIdParamsSchema,
  mediaListQuerySchema,
  mediaListSchema,
  mediaSchema,
  mediaUrlRequestSchema,
  toMediaView,
  type StoredMedia,
} from '../media/schemas';
import { deleteMedia, getMedia, ingestMediaFromUrl, listMedia, uploadMedia } from '../media/service';
import type { App } from './app-type';
import { errorBodySchema, problemSchema } from './error-schema';

/**
 * One file, streamed. fileSize is one byte over the cap so an over-cap file reaches the store's own
 * check and is refused as PIN_MEDIA_TOO_LARGE, instead of being cut to exactly 20 MB and read as an image.
 */
const multipartLimits = { files: 1, fileSize: IMAGE_MAX_BYTES + 1, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 50 };

/** Every route here can answer these: a bad path or query, a missing key, a database away, the unexpected. */
const common = ['VALIDATION_FAILED', 'UNAUTHORIZED', 'SERVICE_UNAVAILABLE', 'INTERNAL'] as const satisfies ErrorCode[];

export function registerMediaRoutes(app: App, deps: Deps): void {
  // Its own scope: the multipart parser and the content types accepted here stay out of other routes.
  app.register(async (plugin) => {
    const scope: App = plugin.withTypeProvider<ZodTypeProvider>();
    await scope.register(fastifyMultipart, { limits: multipartLimits });
    // Fastify parses text/plain by default; here it would only reach the body schema as a 400, not the 415 it is.
    scope.removeContentTypeParser('text/plain');

    scope.post(
      '/v1/media',
      {
        schema: {
          tags: ['media'],
          summary: 'Store an image: upload it, or give its URL',
          description: [
            'Either `multipart/form-data` with one file part (the image, at most 20 MB), or `application/json` `{ "url": "https://…" }`',
            'to have pinflow fetch it now. The format, size and aspect are read from the bytes; an image that breaks a rule',
            'every pin image must meet (JPEG or PNG, at least 600 × 900, at most 20 MB, not a video) is refused and nothing is stored.',
          ].join(' '),
          // Nullish: a multipart request reaches the handler with a null body (its parts are read there), as does one without a body.
          body: mediaUrlRequestSchema.nullish(),
          response: {
            201: mediaSchema,
            ...errorsOf(
              ...common,
              'BODY_TOO_LARGE',
              'PIN_MEDIA_TOO_LARGE',
              'UNSUPPORTED_MEDIA_TYPE',
              'PIN_VIDEO_NOT_SUPPORTED',
              'PIN_MEDIA_FORMAT',
              'PIN_IMAGE_TOO_SMALL',
              'MEDIA_UNREADABLE',
              'MEDIA_FETCH_FAILED',
            ),
          },
        },
      },
      async (request, reply) => {
        const media = request.isMultipart() ? await uploadPart(deps, request) : await fromUrl(deps, request, request.body);
        return reply.status(201).send(toMediaView(media));
      },
    );

    scope.get(
      '/v1/media',
      {
        schema: {
          tags: ['media'],
          summary: 'List media, newest first',
          querystring: mediaListQuerySchema,
          response: { 200: mediaListSchema, ...errorsOf(...common) },
        },
      },
      async (request) => {
        const page = await listMedia(deps, request.workspaceId, request.query);
        return { data: page.data.map(toMediaView), nextCursor: page.nextCursor };
      },
    );

    scope.get(
      '/v1/media/:id',
      {
        schema: {
          tags: ['media'],
          summary: 'A media',
          params: mediaIdParamsSchema,
          response: { 200: mediaSchema, ...errorsOf(...common, 'MEDIA_NOT_FOUND') },
        },
      },
      async (request) => toMediaView(await getMedia(deps, request.workspaceId, request.params.id)),
    );

    scope.delete(
      '/v1/media/:id',
      {
        schema: {
          tags: ['media'],
          summary: 'Delete a media and its bytes',
          description: 'Refused with MEDIA_IN_USE while a post uses the media.',
          params: mediaIdParamsSchema,
          response: { 204: z.null().describe('Deleted.'), ...errorsOf(...common, 'MEDIA_NOT_FOUND', 'MEDIA_IN_USE') },
        },
      },
      async (request, reply) => {
        await deleteMedia(deps, request.workspaceId, request.params.id);
        return reply.status(204).send(null);
      },
    );
  });
}

async function uploadPart(deps: Deps, request: FastifyRequest): Promise<StoredMedia> {
  const part = await filePart(request);
  return uploadMedia(deps, request.workspaceId, partBytes(part), part.mimetype);
}

/**
 * The file part's bytes as a stream that fails when the body ends (or the client goes) inside the part.
 * Busboy says so by emitting 'error' and closing its stream without destroying it with the error, so a
 * pipeline attached after an await finds a closed stream with no error and waits on it forever.
 */
function partBytes(part: MultipartFile): Readable {
  const file = part.file;
  const bytes = new PassThrough();
  const cutShort = (): void => void bytes.destroy(new PinflowError('VALIDATION_FAILED', 'the multipart body ends inside the file part'));
  if (file.destroyed && !file.readableEnded) {
    cutShort();
    return bytes;
  }
  file.on('error', cutShort);
  file.on('close', () => {
    if (!file.readableEnded) cutShort();
  });
  return file.pipe(bytes);
}

async function fromUrl(
  deps: Deps,
  request: FastifyRequest,
  body: z.infer<typeof mediaUrlRequestSchema> | null | undefined,
): Promise<StoredMedia> {
  if (body) return ingestMediaFromUrl(deps, request.workspaceId, body.url);
  // Fastify leaves the body null both for no body at all and for a JSON null: only the latter meant JSON.
  if (request.headers['content-type']?.startsWith('application/json'))
    throw new PinflowError('VALIDATION_FAILED', 'the JSON body must be { "url": "https://…" }');
  throw new PinflowError('UNSUPPORTED_MEDIA_TYPE', 'send the image as multipart/form-data, or its URL as application/json { "url": … }');
}

/** The first file part; fields before it are skipped. A body busboy cannot parse is the caller's mistake, not a 500. */
async function filePart(request: FastifyRequest): Promise<MultipartFile> {
  const part = await request.file().catch((err: unknown) => {
    throw isFastifyError(err) ? err : new PinflowError('VALIDATION_FAILED', `the multipart body cannot be read (${String(err)})`);
  });
  if (!part)
    throw new PinflowError('VALIDATION_FAILED', 'the multipart body has no file part: send the image as a file (curl -F file=@pin.jpg)');
  return part;
}

function isFastifyError(err: unknown): boolean {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('FST_');
}

type StatusOf<C extends ErrorCode> = (typeof errorCodes)[C]['status'];

/**
 * The error answers of a route by status, each naming exactly the codes it carries, so the OpenAPI
 * document (and the SDK built from it) lists them. The serializer checks answers against these, so a
 * code a route answers but does not list here turns into a 500: list every one, and test each.
 */
function errorsOf<C extends ErrorCode>(...codes: C[]): Record<StatusOf<C>, typeof errorBodySchema> {
  const byStatus = new Map<number, C[]>();
  for (const code of codes) byStatus.set(errorCodes[code].status, [...(byStatus.get(errorCodes[code].status) ?? []), code]);
  const schemas = [...byStatus].map(([status, listed]) => [
    status,
    errorBodySchema.extend({ errors: z.array(problemSchema.extend({ code: z.enum(listed) })).min(1) }),
  ]);
  return Object.fromEntries(schemas) as Record<StatusOf<C>, typeof errorBodySchema>;
}

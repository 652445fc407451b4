// Renders every failure as `{ errors: [{ code, message, path?, target? }], requestId }` with the code's
// status. Bad input is a 4xx with a documented code; only the unexpected is a 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app-type';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorCodes, PinflowError, type ErrorCode, type Problem } from '../domain/errors';

export interface ErrorBody {
  errors: Problem[];
  requestId: string;
}

/** A request can hold thousands of faults; the answer names the first hundred and counts the rest. */
const maxProblems = 100;

function send(reply: FastifyReply, request: FastifyRequest, status: number, problems: Problem[]): FastifyReply {
  const shown =
    problems.length <= maxProblems
      ? problems
      : [
          ...problems.slice(0, maxProblems),
          { code: problems[maxProblems]!.code, message: `…and ${problems.length - maxProblems} more problems` },
        ];
  const body: ErrorBody = { errors: shown, requestId: request.id };
  return reply.status(status).send(body);
}

function zodPath(instancePath: string, prefix: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), prefix);
}

/** Fastify's own error codes for bad requests, mapped to ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_REQ_FILE_TOO_LARGE: 'PIN_MEDIA_TOO_LARGE',
  FST_PARTS_LIMIT: 'BODY_TOO_LARGE',
  FST_FILES_LIMIT: 'BODY_TOO_LARGE',
  FST_FIELDS_LIMIT: 'BODY_TOO_LARGE',
  FST_INVALID_JSON_FIELD_ERROR: 'VALIDATION_FAILED',
  FST_PROTO_VIOLATION: 'VALIDATION_FAILED',
};

/** PostgreSQL or Temporal being away is a 503 the caller can retry, not a 500. */
function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string };
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003'].includes(e.code)) return true;
  if (e.name === 'ServiceError' || e.name === 'ConnectionError') return true;
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(e.message ?? '');
}

/**
 * PostgreSQL cannot store a NUL character in text (22021) nor `\u0000` in jsonb (22P05). JSON allows both, so a
 * caller can send them in any id, name or field: that is bad input (400), not a failure of ours (500).
 */
function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '22021' || code === '22P05';
}

/**
 * Fastify's `frameworkErrors`: a path it cannot route (malformed percent-encoding, a parameter over 100
 * characters) fails before any route runs. It does not match the schema of any path: a 400 like the others.
 */
export function renderFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void send(reply, request, 400, [{ code: 'VALIDATION_FAILED', message: error.message.slice(0, 300) }]);
}

export function registerErrorHandling(app: App): void {
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, [{ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }]),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof PinflowError) return send(reply, request, error.status, error.problems);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const prefix = error.validationContext === 'body' ? '' : (error.validationContext ?? '');
      const problems = error.validation.map((v) => ({
        code: 'VALIDATION_FAILED' as const,
        message: v.message ?? 'invalid',
        path: zodPath(v.instancePath, prefix) || undefined,
      }));
      return send(reply, request, 400, problems);
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return send(reply, request, errorCodes[mapped].status, [{ code: mapped, message: error.message }]);
    if (error.statusCode === 429) return send(reply, request, 429, [{ code: 'RATE_LIMITED', message: error.message }]);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, request, error.statusCode, [{ code: 'VALIDATION_FAILED', message: error.message }]);
    }
    if (isUnstorableText(error)) {
      return send(reply, request, 400, [
        { code: 'VALIDATION_FAILED', message: 'the request holds a NUL character (\\u0000), which pinflow does not accept in any field' },
      ]);
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'dependency unavailable');
      reply.header('retry-after', '5');
      return send(reply, request, 503, [{ code: 'SERVICE_UNAVAILABLE', message: 'a dependency is unavailable; retry shortly' }]);
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(reply, request, 500, [{ code: 'INTERNAL', message: 'unexpected error; see the logs for this requestId' }]);
  });
}

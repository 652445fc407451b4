// The SDK's one error type: every answer that is not 2xx, and every request that got no answer.
import type { ApiErrorCode } from './types.js';

/** Codes the SDK itself gives, when there is no answer to take one from (status 0) or the answer cannot be read. */
export type SdkErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'INVALID_RESPONSE';
/** An API code, an SDK code, or a code this SDK version does not know yet (a newer server). */
export type PinflowErrorCode = ApiErrorCode | SdkErrorCode | (string & {});

export interface Problem {
  code: PinflowErrorCode;
  message: string;
  /** Where in the request, in your own field names (e.g. `platforms[0].platformOptions.board`). */
  path?: string;
  /** Index of the target (platforms[] / targets[]) the problem is about. */
  target?: number;
}

export interface PinflowErrorInit {
  status: number;
  errors: [Problem, ...Problem[]];
  requestId?: string;
  cause?: unknown;
}

export class PinflowError extends Error {
  /** HTTP status; 0 when no answer came (network failure or timeout). */
  readonly status: number;
  /** The first problem's code, e.g. `PIN_BOARD_REQUIRED`. */
  readonly code: PinflowErrorCode;
  /** Every problem the API reported, at once. */
  readonly errors: Problem[];
  /** The API's request id (x-request-id): quote it in a support ticket; it is in the server's logs. */
  readonly requestId: string | undefined;

  constructor({ status, errors, requestId, cause }: PinflowErrorInit) {
    const [first] = errors;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super(`${first.code}: ${first.message}${more}`, cause === undefined ? undefined : { cause });
    this.name = 'PinflowError';
    this.status = status;
    this.code = first.code;
    this.errors = errors;
    this.requestId = requestId;
  }
}

export function isPinflowError(value: unknown): value is PinflowError {
  return value instanceof PinflowError;
}

/** A failed answer as a PinflowError: its `errors[]` when the body has them, else a code for the status. */
export function errorFromAnswer(status: number, body: unknown, requestId: string | undefined): PinflowError {
  const problems = problemsOf(body);
  if (problems) return new PinflowError({ status, errors: problems, requestId: requestIdOf(body) ?? requestId });
  // Not a pinflow answer (a proxy's page, say): the status is all there is to go by.
  return invalidAnswer(status, `HTTP ${status} without a pinflow error body`, requestId);
}

/** An answer the SDK cannot read: a success whose body is not JSON, or a failure that is not pinflow's. */
export function invalidAnswer(status: number, message: string, requestId: string | undefined): PinflowError {
  return new PinflowError({ status, errors: [{ code: 'INVALID_RESPONSE', message }], requestId });
}

/** No answer: the connection failed, or the request ran out of time. */
export function errorFromFailure(err: unknown, timedOut: boolean): PinflowError {
  const reason = describe(err);
  const problem: Problem = timedOut
    ? { code: 'TIMEOUT', message: `no answer in time (${reason})` }
    : { code: 'NETWORK_ERROR', message: `the request failed: ${reason}` };
  return new PinflowError({ status: 0, errors: [problem], cause: err });
}

function problemsOf(body: unknown): [Problem, ...Problem[]] | undefined {
  if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return undefined;
  const problems = body.errors.filter(isProblem);
  return problems.length > 0 ? (problems as [Problem, ...Problem[]]) : undefined;
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    typeof value.code === 'string' &&
    'message' in value &&
    typeof value.message === 'string'
  );
}

function requestIdOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'requestId' in body && typeof body.requestId === 'string'
    ? body.requestId
    : undefined;
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED…) in `cause`. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return [err.message, cause?.message ?? code].filter(Boolean).join(': ');
}

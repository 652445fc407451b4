// How account failures cross the API edge: Pinterest's errors keep their code, a missing account is a
// 404 that never tells whether the id exists in another workspace.
import { PinflowError } from '../domain/errors';
import { isPinterestApiError } from '../pinterest';

/**
 * 404 with the code ACCOUNT_NOT_FOUND in the body. That code's own status (422) is for a post naming an
 * unknown account; on /v1/accounts/:id the resource itself is missing, so the status is NOT_FOUND's.
 */
export function accountNotFound(accountId: string): PinflowError {
  const message = `No account ${accountId} in this workspace.`;
  return new PinflowError('NOT_FOUND', message, [{ code: 'ACCOUNT_NOT_FOUND', message }]);
}

/** A PinterestApiError as the error the API renders (its code is already ours; its message holds no token). */
export function asPinflowError(err: unknown): unknown {
  return isPinterestApiError(err) ? new PinflowError(err.code, err.message) : err;
}

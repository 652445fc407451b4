// Does a pin's link resolve? A quick HEAD (GET when HEAD is not allowed) through the SSRF-safe
// fetch; any 2xx or 3xx answer counts, since a redirect is how many shops answer a product link.
import { PinflowError } from '../domain/errors';
import { safeRequest, type FetchPolicy } from './safe-fetch';

export type LinkCheck = { ok: true; status: number } | { ok: false; reason: string };

/** Short: this runs while a user waits for POST /v1/posts to answer. */
export const LINK_CHECK_TIMEOUT_MS = 5_000;

export async function checkLinkResolves(url: string, policy: FetchPolicy = {}): Promise<LinkCheck> {
  const options = { ...policy, timeoutMs: policy.timeoutMs ?? LINK_CHECK_TIMEOUT_MS, followRedirects: false };
  try {
    let status = await statusOf(url, { ...options, method: 'HEAD' });
    // Some servers refuse HEAD (405) or never implemented it (501); ask again the long way.
    if (status === 405 || status === 501) status = await statusOf(url, { ...options, method: 'GET' });
    if (status >= 200 && status <= 399) return { ok: true, status };
    return { ok: false, reason: `${url} answered ${status}.` };
  } catch (err) {
    if (err instanceof PinflowError) return { ok: false, reason: err.message };
    throw err;
  }
}

async function statusOf(url: string, options: Parameters<typeof safeRequest>[1]): Promise<number> {
  const answer = await safeRequest(url, options);
  // Only the status matters: drop the body and the connection without reading them.
  answer.release();
  return answer.status;
}

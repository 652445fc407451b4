// client.analytics: what the 14-day refresh stored, for a post's pins or for an account, over UTC days.
import { segment, type Transport } from '../http.js';
import type { AccountAnalytics, AnalyticsRange, PostAnalytics } from '../types.js';

export interface AnalyticsResource {
  /** Totals and rates of a post's pins over the range (default: the last 30 days), and each pin's days. */
  post(postId: string, range?: AnalyticsRange): Promise<PostAnalytics>;
  /** Monthly viewers, and totals and rates over the account's pins in the range. */
  account(accountId: string, range?: AnalyticsRange): Promise<AccountAnalytics>;
}

export function analyticsResource(request: Transport): AnalyticsResource {
  return {
    post: (postId, range = {}) => request<PostAnalytics>({ method: 'GET', path: `/v1/analytics/posts/${segment(postId)}`, query: range }),
    account: (accountId, range = {}) =>
      request<AccountAnalytics>({ method: 'GET', path: `/v1/analytics/accounts/${segment(accountId)}`, query: range }),
  };
}

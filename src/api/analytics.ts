// /v1/analytics: what the refresh stored, per post (its pins) and per account, over a range of UTC days.
import {
  accountAnalyticsParamsSchema,
  accountAnalyticsReportSchema,
  analyticsRangeQuerySchema,
  postAnalyticsParamsSchema,
  postAnalyticsReportSchema,
} from '../analytics/schemas';
import { getAccountAnalytics, getPostAnalytics } from '../analytics/service';
import type { Deps } from '../deps';
import type { App } from './app-type';
import { errorResponses } from './error-schema';

const tags = ['analytics'];

export function registerAnalyticsRoutes(app: App, deps: Deps): void {
  app.get(
    '/v1/analytics/posts/:postId',
    {
      schema: {
        tags,
        summary: 'Analytics of a post’s pins: totals and rates over the range, and each pin’s days',
        params: postAnalyticsParamsSchema,
        querystring: analyticsRangeQuerySchema,
        response: { 200: postAnalyticsReportSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => getPostAnalytics(deps.db, request.workspaceId, request.params.postId, request.query),
  );

  app.get(
    '/v1/analytics/accounts/:accountId',
    {
      schema: {
        tags,
        summary: 'Analytics of an account: monthly viewers, and totals and rates over its pins in the range',
        params: accountAnalyticsParamsSchema,
        querystring: analyticsRangeQuerySchema,
        response: { 200: accountAnalyticsReportSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => getAccountAnalytics(deps.db, request.workspaceId, request.params.accountId, request.query),
  );
}

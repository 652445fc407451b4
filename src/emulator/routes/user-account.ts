// GET /v5/user_account and GET /v5/user_account/analytics.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountMetricTypeSchema, analyticsDateSchema, type AccountBody } from '../../pinterest/schemas';
import { guarded, type Rule } from '../guard';
import { invalidBody, refusals } from '../replies';
import type { EmulatorState } from '../state';
import { accountAnalyticsReport, analyticsWindowProblem, utcDate } from '../synthetic-analytics';

const readAccount: Rule = { scopes: ['user_accounts:read'], category: 'org_read' };
const accountAnalytics: Rule = { scopes: ['user_accounts:read'], category: 'org_analytics' };

const accountAnalyticsQuerySchema = z.object({
  start_date: analyticsDateSchema,
  end_date: analyticsDateSchema,
  /** All of them when omitted. */
  metric_types: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(accountMetricTypeSchema).min(1))
    .default(accountMetricTypeSchema.options),
  // Filters the emulator accepts but does not split by: every pin is organic, every day is one bucket.
  from_claimed_content: z.enum(['OTHER', 'CLAIMED', 'BOTH']).optional(),
  pin_format: z
    .enum(['ALL', 'ORGANIC_IMAGE', 'ORGANIC_PRODUCT', 'ORGANIC_VIDEO', 'ADS_STANDARD', 'ADS_PRODUCT', 'ADS_VIDEO', 'ADS_IDEA'])
    .optional(),
  app_types: z.enum(['ALL', 'MOBILE', 'TABLET', 'WEB']).optional(),
  content_type: z.enum(['ALL', 'PAID', 'ORGANIC']).optional(),
  source: z.enum(['ALL', 'YOUR_PINS', 'OTHER_PINS']).optional(),
  split_field: z.enum(['NO_SPLIT', 'APP_TYPE', 'OWNED_CONTENT', 'SOURCE', 'PIN_FORMAT']).optional(),
  ad_account_id: z.string().optional(),
});

export function userAccountRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get(
    '/v5/user_account',
    guarded(state, readAccount, async (_request, _reply, { user }): Promise<AccountBody> => ({
      id: user.id,
      username: user.username,
      account_type: user.accountType,
      business_name: user.businessName,
      profile_image: user.profileImage,
      website_url: user.websiteUrl,
      about: user.about,
      board_count: state.store.boardsOf(user.id).length,
      pin_count: state.store.livePinsOf(user.id).length,
      follower_count: user.followerCount,
      following_count: user.followingCount,
      monthly_views: user.monthlyViews,
    })),
  );

  app.get(
    '/v5/user_account/analytics',
    guarded(state, accountAnalytics, async (request, _reply, { user }) => {
      const query = accountAnalyticsQuerySchema.safeParse(request.query);
      if (!query.success) throw invalidBody(query.error, 'user accounts analytics parameters');
      const today = utcDate(state.now());
      const problem = analyticsWindowProblem(query.data.start_date, query.data.end_date, today);
      if (problem) throw refusals.invalid(problem);
      return accountAnalyticsReport({
        subjectId: user.id,
        startDate: query.data.start_date,
        endDate: query.data.end_date,
        today,
        metrics: query.data.metric_types,
      });
    }),
  );
}

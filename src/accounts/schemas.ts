// What the accounts API takes and answers, as zod schemas (the OpenAPI document and the SDK read them).
// Tokens appear only in requests: no response schema has a field that could carry one.
import { z } from 'zod';

export const accountStatusSchema = z.enum(['active', 'reconnect_required']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

export const boardSchema = z.object({
  /** Pinterest's board id, a digit string: pass it as `platformOptions.board`. */
  id: z.string(),
  name: z.string(),
  /** PUBLIC, PROTECTED or SECRET (kept as Pinterest said it, should it add another). */
  privacy: z.string(),
  description: z.string().nullable(),
});
export type Board = z.infer<typeof boardSchema>;

export const accountSummarySchema = z.object({
  id: z.string(),
  platform: z.literal('PINTEREST'),
  pinterestUserId: z.string(),
  username: z.string(),
  accountType: z.string().nullable(),
  status: accountStatusSchema,
  /** The scopes Pinterest granted; null when not known yet (a token handed over server-to-server). */
  scopes: z.array(z.string()).nullable(),
  monthlyViews: z.number().int().nullable(),
  connectedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const accountSchema = accountSummarySchema.extend({ boards: z.array(boardSchema) });
export type Account = z.infer<typeof accountSchema>;

export const accountListSchema = z.object({ items: z.array(accountSchema) });
export const boardListSchema = z.object({ items: z.array(boardSchema) });

export const accountParamsSchema = z.object({ id: z.string().max(100) });

const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const connectRequestSchema = z.object({
  /** Where the browser goes after the callback, with `?accountId=…` (or `?error=CODE`). Without it the callback answers JSON. */
  redirectAfter: webUrl.max(2048).optional(),
});
export type ConnectRequest = z.infer<typeof connectRequestSchema>;

export const connectResponseSchema = z.object({
  /** Send the user's browser here (Pinterest's consent page). */
  authorizeUrl: z.string(),
  state: z.string(),
  expiresAt: z.iso.datetime(),
});
export type ConnectResponse = z.infer<typeof connectResponseSchema>;

/** What Pinterest appends to the redirect URI: `code` and `state`, or `error` (e.g. access_denied) and `state`. */
export const callbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(2048).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2048).optional(),
});
export type CallbackQuery = z.infer<typeof callbackQuerySchema>;

export const callbackResponseSchema = z.object({ account: accountSchema });

/** Pinterest's tokens are printable ASCII; anything else cannot be sent in an Authorization header (a 400, not a 502). */
const token = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces, as Pinterest tokens are');

/** Tokens a backend already holds (it ran OAuth itself): pinflow reads the account and boards with them. */
export const tokenConnectRequestSchema = z.object({
  accessToken: token,
  refreshToken: token.optional(),
  /** Seconds the access token has left, as Pinterest's `expires_in` said; unknown when absent. */
  expiresIn: z.number().int().positive().optional(),
  refreshTokenExpiresIn: z.number().int().positive().optional(),
});
export type TokenConnectRequest = z.infer<typeof tokenConnectRequestSchema>;

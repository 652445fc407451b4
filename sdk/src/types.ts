// The API's request and response types, named. Every one is an alias of the generated OpenAPI types
// (generated/openapi.ts, from the API's zod schemas): nothing here is written a second time.
import type { components, paths } from './generated/openapi.js';

type Schemas = components['schemas'];
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type QueryOf<T> = T extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

// Posts
export type Post = Schemas['Post'];
export type PostTarget = Schemas['PostTarget'];
export type PublishAttempt = Schemas['PublishAttempt'];
export type PostStatus = Post['status'];
export type TargetStatus = PostTarget['status'];
export type PostList = Schemas['PostList'];
/** The flat shape of the guide's quick start: `content`, `scheduledFor`, `platforms[].accountId`. */
export type FlatPostRequest = Schemas['FlatPostRequestInput'];
/** The nested shape: `caption`, `scheduledAt`, `targets[].socialAccountId`. */
export type NestedPostRequest = Schemas['NestedPostRequestInput'];
export type PostRequest = FlatPostRequest | NestedPostRequest;
export type PinterestPlatformOptions = FlatPostRequest['platforms'][number]['platformOptions'];
export type PostUpdateRequest = Schemas['PostUpdateRequestInput'];
export type PostListQuery = QueryOf<paths['/v1/posts']['get']>;
export type PostValidation = JsonOf<paths['/v1/posts/validate']['post']['responses'][200]>;

// Media
export type Media = Schemas['Media'];
export type MediaList = Schemas['MediaList'];
export type MediaListQuery = QueryOf<paths['/v1/media']['get']>;

// Accounts
export type Account = Schemas['Account'];
export type AccountList = Schemas['AccountList'];
export type Board = Schemas['Board'];
export type BoardList = Schemas['BoardList'];
export type ConnectRequest = NonNullable<JsonOf<paths['/v1/accounts/pinterest/connect']['post']['requestBody']>>;
export type ConnectResponse = Schemas['ConnectResponse'];
export type TokenConnectRequest = JsonOf<paths['/v1/accounts/pinterest']['post']['requestBody']>;

// Analytics
export type PostAnalytics = Schemas['PostAnalytics'];
export type AccountAnalytics = Schemas['AccountAnalytics'];
export type PinMetrics = PostAnalytics['metrics'];
/** `from` and `to` are UTC days (YYYY-MM-DD), both inclusive. */
export type AnalyticsRange = QueryOf<paths['/v1/analytics/posts/{postId}']['get']>;

// Errors
export type ErrorBody = Schemas['Error'];
/** Every code the API answers with (the API reference lists each with its meaning). */
export type ApiErrorCode = Schemas['Problem']['code'];

/** One page of a list, and the cursor of the next (null on the last page). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

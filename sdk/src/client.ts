// The client: `new Pinflow({ apiKey })`, then `client.posts`, `client.media`, `client.accounts`, `client.analytics`.
import { createTransport } from './http.js';
import { accountsResource, type AccountsResource } from './resources/accounts.js';
import { analyticsResource, type AnalyticsResource } from './resources/analytics.js';
import { mediaResource, type MediaResource } from './resources/media.js';
import { postsResource, type PostsResource } from './resources/posts.js';

export interface PinflowOptions {
  /** A workspace API key (`pf_live_…`). Default: the PINFLOW_API_KEY environment variable. */
  apiKey?: string | undefined;
  /** Where the API listens. Default: PINFLOW_BASE_URL, else http://127.0.0.1:3000 (`npm start`). */
  baseUrl?: string | undefined;
  /** Deadline of one attempt of one request (default 30 s); it ends as a PinflowError with code TIMEOUT. */
  timeoutMs?: number | undefined;
  /** Retries after a 429, a 5xx, or a failed connection when a repeat is harmless (default 2). */
  maxRetries?: number | undefined;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

export class Pinflow {
  readonly posts: PostsResource;
  readonly media: MediaResource;
  readonly accounts: AccountsResource;
  readonly analytics: AnalyticsResource;

  constructor(options: PinflowOptions = {}) {
    const apiKey = options.apiKey ?? process.env.PINFLOW_API_KEY;
    if (!apiKey) throw new TypeError('Pinflow needs an API key: new Pinflow({ apiKey }) or PINFLOW_API_KEY');
    const request = createTransport({
      apiKey,
      baseUrl: options.baseUrl ?? process.env.PINFLOW_BASE_URL ?? DEFAULT_BASE_URL,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: Math.max(0, options.maxRetries ?? 2),
    });
    this.posts = postsResource(request);
    this.media = mediaResource(request);
    this.accounts = accountsResource(request);
    this.analytics = analyticsResource(request);
  }
}

// client.posts: schedule (either request shape), dry-run, read, list, edit and cancel posts.
import { segment, type Transport } from '../http.js';
import { PageRequest } from '../pagination.js';
import type { Post, PostList, PostListQuery, PostRequest, PostUpdateRequest, PostValidation } from '../types.js';

export interface CreatePostOptions {
  /**
   * Makes a repeated create return the first post instead of scheduling a second one. The SDK sends a random key
   * when none is given and keeps it across its own retries; pass your own to cover your process's retries too.
   */
  idempotencyKey?: string;
}

export interface PostsResource {
  /** Schedules a post (flat or nested shape). Every problem is reported at once as a PinflowError (422). */
  create(post: PostRequest, options?: CreatePostOptions): Promise<Post>;
  /** Checks a post exactly as `create` would, storing nothing. */
  validate(post: PostRequest): Promise<PostValidation>;
  get(id: string): Promise<Post>;
  /** `await` it for one page, or `for await` over it for every post of every page. */
  list(query?: PostListQuery): PageRequest<Post>;
  /** Reschedules or edits a post before it publishes (POST_NOT_EDITABLE once publishing has begun). */
  update(id: string, changes: PostUpdateRequest): Promise<Post>;
  /** Cancels a post before it publishes; answers the post, now `canceled`. */
  cancel(id: string): Promise<Post>;
}

export function postsResource(request: Transport): PostsResource {
  return {
    create: (post, options = {}) =>
      request<Post>({ method: 'POST', path: '/v1/posts', body: post, idempotencyKey: options.idempotencyKey ?? crypto.randomUUID() }),
    validate: (post) => request<PostValidation>({ method: 'POST', path: '/v1/posts/validate', body: post, idempotent: true }),
    get: (id) => request<Post>({ method: 'GET', path: `/v1/posts/${segment(id)}` }),
    list: (query = {}) => {
      const { cursor, ...filters } = query;
      return new PageRequest(
        (next) => request<PostList>({ method: 'GET', path: '/v1/posts', query: { ...filters, cursor: next } }),
        cursor,
      );
    },
    update: (id, changes) => request<Post>({ method: 'PATCH', path: `/v1/posts/${segment(id)}`, body: changes }),
    cancel: (id) => request<Post>({ method: 'DELETE', path: `/v1/posts/${segment(id)}` }),
  };
}

// @pinflow/node: the Node SDK of the pinflow API.
import { Pinflow } from './client.js';

export default Pinflow;
export { Pinflow, Pinflow as Client, DEFAULT_BASE_URL, type PinflowOptions } from './client.js';
export { PinflowError, isPinflowError, type PinflowErrorCode, type Problem, type SdkErrorCode } from './errors.js';
export { PageRequest } from './pagination.js';
export type { AccountsResource } from './resources/accounts.js';
export type { AnalyticsResource } from './resources/analytics.js';
export type { MediaResource, UploadOptions, UploadSource } from './resources/media.js';
export type { CreatePostOptions, PostsResource } from './resources/posts.js';
export type * from './types.js';
export { VERSION } from './version.js';
export { verifyWebhook, WebhookVerificationError, DEFAULT_TOLERANCE_SEC, type WebhookEvent, type VerifyWebhookOptions, type WebhookVerificationFailure } from './webhooks.js';

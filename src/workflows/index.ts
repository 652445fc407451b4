// Every workflow the worker runs.
export { publishPost } from './publish-post';
export { refreshAnalytics } from './refresh-analytics';
export { deliverWebhooks } from './deliver-webhooks';
export { reconcilePosts } from './reconcile-posts';

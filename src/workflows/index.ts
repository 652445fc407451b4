// Every workflow the worker runs.
export { publishPost } from './publish-post';

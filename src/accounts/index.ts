// What other parts of pinflow use from accounts: lookups for the posts service, token access for activities.
export { findAccount, getBoardsOfAccount } from './service';
export { withAccessToken, type TokenDeps } from './tokens';
export { accountNotFound } from './errors';
export * from './schemas';

// The Pinterest v5 client, its error type and its payload schemas.
export * from './client';
export * from './errors';
export * from './schemas';

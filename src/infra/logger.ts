// The process logger (pino). Secrets are redacted by path as a second line of defence: code must not log
// them in the first place.
import pino, { type Logger } from 'pino';
import type { Config } from '../config';

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.authorization',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.apiKey',
  '*.secret',
  '*.password',
];

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: pino.DestinationStream): Logger {
  return pino({ level: config.LOG_LEVEL, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

export type { Logger };

// What the API's services and the worker's activities are built from: one instance per process.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from './config';
import type { Logger } from './infra/logger';
import type { Secrets } from './infra/secrets';
import { createMediaStore, type MediaStore } from './media/store';
import { createPinterestClient, type PinterestClient } from './pinterest';

export interface Deps {
  config: Config;
  db: Pool;
  temporal: Client;
  logger: Logger;
  secrets: Secrets;
  pinterest: PinterestClient;
  media: MediaStore;
}

export function buildDeps(base: Pick<Deps, 'config' | 'db' | 'temporal' | 'logger' | 'secrets'>): Deps {
  const { config, logger } = base;
  const pinterest = createPinterestClient({
    apiUrl: config.PINTEREST_API_URL,
    oauthUrl: config.PINTEREST_OAUTH_URL,
    clientId: config.PINTEREST_CLIENT_ID,
    clientSecret: config.PINTEREST_CLIENT_SECRET,
    timeoutMs: config.PINTEREST_TIMEOUT_MS,
    logger,
  });
  return { ...base, pinterest, media: createMediaStore(config) };
}

// What activities are built from: one instance per worker process.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../config';
import type { Logger } from '../infra/logger';
import type { Secrets } from '../infra/secrets';

export interface WorkerDeps {
  config: Config;
  db: Pool;
  temporal: Client;
  logger: Logger;
  secrets: Secrets;
}

// What the API's route plugins and services are given: built once per process by src/main.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../config';
import type { Logger } from '../infra/logger';
import type { Secrets } from '../infra/secrets';

export interface ApiDeps {
  config: Config;
  db: Pool;
  temporal: Client;
  logger: Logger;
  secrets: Secrets;
}

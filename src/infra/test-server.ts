// Where the Temporal SDK finds its servers: our provisioned executables when present (no internet needed),
// else the SDK's own download (a developer machine with internet and no Go/Java).
import fs from 'node:fs';
import type { Config } from '../config';

type Executable = { type: 'existing-path'; path: string } | undefined;

function existing(path: string): Executable {
  return fs.existsSync(path) ? { type: 'existing-path', path } : undefined;
}

export function timeSkippingServerExecutable(config: Pick<Config, 'TEMPORAL_TEST_SERVER_PATH'>): Executable {
  return existing(config.TEMPORAL_TEST_SERVER_PATH);
}

export function devServerExecutable(config: Pick<Config, 'TEMPORAL_CLI_PATH'>): Executable {
  return existing(config.TEMPORAL_CLI_PATH);
}

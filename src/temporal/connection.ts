// The Temporal client for the api, the worker and the tools.
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { dataConverterFor } from './codec';

export interface TemporalHandle {
  client: Client;
  close(): Promise<void>;
}

export async function connectTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'> & Partial<Pick<Config, 'ENCRYPTION_KEY'>>,
): Promise<TemporalHandle> {
  const address = config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(config.ENCRYPTION_KEY) });
  return { client, close: () => connection.close() };
}

// A Pinterest API v5 emulator on loopback: OAuth consent and tokens, boards, pins, analytics, rate
// limits and injected faults, for tests (`createEmulator()`) and the offline demo (`npm run emulator`).
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildEmulatorApp } from './app';
import { createEmulatorState, type EmulatorState, type StateOptions } from './state';

export interface EmulatorOptions extends StateOptions {
  /** 127.0.0.1 unless told otherwise: the admin API has no authentication. */
  host?: string;
  /** 0 (any free port) unless told otherwise. */
  port?: number;
  logger?: FastifyBaseLogger;
}

export interface Emulator {
  /** Origin to use as PINTEREST_API_URL; the consent page is `${url}/oauth/`. */
  url: string;
  app: FastifyInstance;
  state: EmulatorState;
  close(): Promise<void>;
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state = createEmulatorState(options);
  const closing = new AbortController();
  const app = buildEmulatorApp(state, { logger: options.logger, closing: closing.signal });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  state.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: state.baseUrl,
    app,
    state,
    async close() {
      closing.abort();
      await app.close();
    },
  };
}

export { demo, demoFixture, type Fixture } from './fixture';
export type { CreatedPin, EmulatorState, TrafficRecord } from './state';
export type { Faults, FaultsInput } from './faults';
export type { RateLimits } from './rate-limit';

// Everything the emulator knows and every knob a test turns, in one object: `createEmulator().state`.
// The admin API under /_admin exposes the same operations over HTTP.
import { randomBytes } from 'node:crypto';
import type { PinCreate, PinterestScope } from '../pinterest/schemas';
import { createFaultSwitch, type Faults, type FaultSwitch, type FaultsInput } from './faults';
import type { Fixture } from './fixture';
import { defaultImageRules, type ImageRules } from './images';
import { createRateLimiter, type RateLimiter, type RateLimits } from './rate-limit';
import { createStore, type Store } from './store';
import { createTokenBook, defaultTokenLifetimes, type IssuedTokens, type TokenBook, type TokenLifetimes } from './tokens';

/** A pin created through the emulator, as the admin list shows it. */
export interface CreatedPin {
  id: string;
  userId: string;
  boardId: string;
  sectionId: string | null;
  /** ISO 8601 with milliseconds (Pinterest's own created_at has whole seconds). */
  createdAt: string;
  deletedAt: string | null;
  requestId: string;
  requestBody: PinCreate;
}

/** One /v5 exchange, kept when `recordTraffic` is on (the contract test checks each against the spec). */
export interface TrafficRecord {
  method: string;
  /** Fastify's route pattern, e.g. `/v5/pins/:pin_id`; undefined when no route matched. */
  route?: string;
  url: string;
  status: number;
  requestContentType?: string;
  requestBody: unknown;
  responseBody: unknown;
}

/** `spec`: RFC 3339 with `Z`, as the spec's date-time says; `observed`: no offset, as Pinterest really answers. */
export type TimestampStyle = 'spec' | 'observed';

export interface StateOptions {
  fixture?: Fixture;
  rateLimits?: Partial<RateLimits>;
  tokenLifetimes?: Partial<TokenLifetimes>;
  imageRules?: Partial<ImageRules>;
  timestampStyle?: TimestampStyle;
  recordTraffic?: boolean;
  now?: () => number;
}

export interface EmulatorState {
  store: Store;
  tokens: TokenBook;
  faults: FaultSwitch;
  rateLimiter: RateLimiter;
  imageRules: ImageRules;
  timestampStyle: TimestampStyle;
  now(): number;
  /** The emulator's own URL, known once it listens (image renditions point at it). */
  baseUrl: string;
  nextRequestId(): string;
  record(exchange: TrafficRecord): void;
  /** Aborted by reset(): requests still held by injected latency are dropped, not let into the fresh world. */
  interruption(): AbortSignal;

  createdPins(): CreatedPin[];
  /**
   * Back to the seeded world (the fixture and every seed since): pins, tokens, faults, rate limits set
   * since start, rate windows and traffic are forgotten; pin ids keep growing.
   */
  reset(): void;
  /** Adds to the world (or replaces by id); a reset keeps it. */
  seed(fixture: Fixture): void;
  setFaults(faults: FaultsInput): Faults;
  clearFaults(): void;
  setRateLimits(limits: Partial<RateLimits>): void;
  /** Tokens without the consent page; the client defaults to the first registered app. */
  issueTokens(input: { userId: string; scopes: readonly PinterestScope[]; clientId?: string }): IssuedTokens;
  revokeToken(token: string): boolean;
  expireToken(token: string): boolean;
  traffic(): TrafficRecord[];
}

export function createEmulatorState(options: StateOptions = {}): EmulatorState {
  const now = options.now ?? Date.now;
  const store = createStore(now);
  const tokens = createTokenBook({ ...defaultTokenLifetimes, ...options.tokenLifetimes }, now);
  const faults = createFaultSwitch();
  const rateLimiter = createRateLimiter(options.rateLimits ?? {}, now);
  const traffic: TrafficRecord[] = [];
  const ridPrefix = randomBytes(4).toString('hex');
  let requests = 0;
  let interruption = new AbortController();
  const seeds: Fixture[] = options.fixture ? [options.fixture] : [];
  for (const fixture of seeds) store.seed(fixture);

  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

  return {
    store,
    tokens,
    faults,
    rateLimiter,
    imageRules: { ...defaultImageRules, ...options.imageRules },
    timestampStyle: options.timestampStyle ?? 'spec',
    now,
    baseUrl: '',
    nextRequestId: () => `${ridPrefix}${(++requests).toString(16).padStart(8, '0')}`,
    record(exchange) {
      if (options.recordTraffic) traffic.push(exchange);
    },
    interruption: () => interruption.signal,

    createdPins: () =>
      [...store.pins.values()].map((pin) => ({
        id: pin.id,
        userId: pin.ownerId,
        boardId: pin.boardId,
        sectionId: pin.sectionId,
        createdAt: new Date(pin.createdAtMs).toISOString(),
        deletedAt: iso(pin.deletedAtMs),
        requestId: pin.requestId,
        requestBody: pin.request,
      })),

    reset() {
      interruption.abort();
      interruption = new AbortController();
      store.clear();
      for (const fixture of seeds) store.seed(fixture);
      tokens.reset();
      faults.clear();
      rateLimiter.reset();
      traffic.length = 0;
    },
    seed(fixture) {
      store.seed(fixture);
      seeds.push(fixture);
    },
    setFaults: (changes) => faults.set(changes),
    clearFaults: () => faults.clear(),
    setRateLimits: (limits) => rateLimiter.setLimits(limits),

    issueTokens({ userId, scopes, clientId }) {
      const app = clientId ?? store.apps.keys().next().value;
      if (app === undefined || !store.apps.has(app)) throw new Error(`no registered app ${clientId ?? ''} to issue tokens for`);
      if (!store.users.has(userId)) throw new Error(`no user ${userId}`);
      return tokens.issue({ clientId: app, userId, scopes: new Set(scopes) });
    },
    revokeToken: (token) => tokens.revoke(token),
    expireToken: (token) => tokens.expire(token),
    traffic: () => [...traffic],
  };
}

// Faults a test or the demo injects: slowness, server errors, a pin stored but never answered, a spam
// block. All deterministic: a server-error share is a counter, not a dice roll.
import { z } from 'zod';

const faultFields = {
  /** Added before every matching /v5 request is handled. */
  latencyMs: z.number().int().min(0),
  /**
   * Share of matching /v5 requests answered with `serverErrorStatus`. Request k (counted from the
   * last change of faults) fails when ⌊k·rate⌋ > ⌊(k−1)·rate⌋: 1 fails all, 0.5 every second, 0.25 every fourth.
   */
  serverErrorRate: z.number().min(0).max(1),
  serverErrorStatus: z.number().int().min(500).max(599),
  /** Limits latency and server errors to these routes, e.g. `POST /v5/pins`, `GET /v5/boards/:board_id/pins`; null for all. */
  routes: z.array(z.string()).nullable(),
  /** Store the pin, then destroy the socket without answering: `true` for every creation, a number for the next n. */
  dropAfterCommit: z.union([z.boolean(), z.number().int().min(0)]),
  /** Pin creation answers 429 with Pinterest's spam-block message. */
  spamBlock: z.boolean(),
};

export const faultsSchema = z.object(faultFields).strict();
export type Faults = z.infer<typeof faultsSchema>;
/** A change of faults: what it does not name stays as it is. */
export const faultChangesSchema = z.object(faultFields).partial().strict();
export type FaultsInput = z.infer<typeof faultChangesSchema>;

const noFaults: Faults = {
  latencyMs: 0,
  serverErrorRate: 0,
  serverErrorStatus: 503,
  routes: null,
  dropAfterCommit: false,
  spamBlock: false,
};

export const SERVER_ERROR_MESSAGE = 'Something went wrong on our end. Sorry about that.';

export interface FaultSwitch {
  current(): Faults;
  /** Merges into the current faults (what is not named stays) and restarts the server-error counter. */
  set(changes: FaultsInput): Faults;
  clear(): void;
  /** Latency to add for this route (0 when none). */
  latencyFor(route: string): number;
  /** Whether this request is one of the failing share; answers the status to send. */
  serverErrorFor(route: string): number | undefined;
  /** Consumes one drop if armed. */
  takeDropAfterCommit(): boolean;
}

export function createFaultSwitch(): FaultSwitch {
  let faults = noFaults;
  let counted = 0;

  const matches = (route: string): boolean => faults.routes === null || faults.routes.includes(route);

  return {
    current: () => faults,
    set(changes) {
      const named = Object.fromEntries(Object.entries(faultChangesSchema.parse(changes)).filter(([, value]) => value !== undefined));
      faults = { ...faults, ...named };
      counted = 0;
      return faults;
    },
    clear() {
      faults = noFaults;
      counted = 0;
    },
    latencyFor: (route) => (matches(route) ? faults.latencyMs : 0),
    serverErrorFor(route) {
      if (faults.serverErrorRate <= 0 || !matches(route)) return undefined;
      counted += 1;
      const fails = Math.floor(counted * faults.serverErrorRate) > Math.floor((counted - 1) * faults.serverErrorRate);
      return fails ? faults.serverErrorStatus : undefined;
    },
    takeDropAfterCommit() {
      const armed = faults.dropAfterCommit;
      if (armed === true) return true;
      if (armed === false || armed <= 0) return false;
      faults = { ...faults, dropAfterCommit: armed - 1 };
      return true;
    },
  };
}

// Pinterest's per-category rate limits, as fixed windows per user and app. Counting is synchronous, so
// concurrent requests on the event loop can never both take the last unit.
import { z } from 'zod';

export const rateLimitCategorySchema = z.enum(['org_read', 'org_write', 'org_analytics']);
export type RateLimitCategory = z.infer<typeof rateLimitCategorySchema>;

export const rateLimitSchema = z.object({ limit: z.number().int().min(0), windowMs: z.number().int().min(1) });
export type RateLimit = z.infer<typeof rateLimitSchema>;
export const rateLimitsSchema = z.partialRecord(rateLimitCategorySchema, rateLimitSchema);
export type RateLimits = Record<RateLimitCategory, RateLimit>;

/**
 * Standard access, per minute per user per app. The org_* numbers are [UNCONFIRMED] third-party copies
 * of Pinterest's page (see api-notes §6).
 */
export const defaultRateLimits: RateLimits = {
  org_read: { limit: 1000, windowMs: 60_000 },
  org_write: { limit: 100, windowMs: 60_000 },
  org_analytics: { limit: 60, windowMs: 60_000 },
};

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (what X-RateLimit-Reset carries). */
  resetSeconds: number;
}

export interface RateLimiter {
  take(subject: string, category: RateLimitCategory): RateDecision;
  setLimits(limits: Partial<RateLimits>): void;
  limits(): RateLimits;
  reset(): void;
}

export function createRateLimiter(initial: Partial<RateLimits>, now: () => number): RateLimiter {
  let limits: RateLimits = { ...defaultRateLimits, ...initial };
  const windows = new Map<string, { startedAt: number; used: number }>();

  return {
    take(subject, category) {
      const { limit, windowMs } = limits[category];
      const key = `${category}:${subject}`;
      const at = now();
      let window = windows.get(key);
      if (!window || at >= window.startedAt + windowMs) {
        window = { startedAt: at, used: 0 };
        windows.set(key, window);
      }
      const resetSeconds = Math.max(1, Math.ceil((window.startedAt + windowMs - at) / 1000));
      if (window.used >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
      window.used += 1;
      return { allowed: true, limit, remaining: limit - window.used, resetSeconds };
    },
    setLimits(changes) {
      limits = { ...limits, ...changes };
      windows.clear();
    },
    limits: () => limits,
    reset() {
      limits = { ...defaultRateLimits, ...initial };
      windows.clear();
    },
  };
}

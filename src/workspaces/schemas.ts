// API keys as the HTTP API and the CLI show them: the prefix only, except the one answer that creates a key.
import { z } from 'zod';

export const apiKeySchema = z.object({
  id: z.string(),
  /** The first characters of the key, to tell keys apart; the key itself is never shown again. */
  prefix: z.string(),
  name: z.string().nullable(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });

export const createKeyRequestSchema = z.object({ name: z.string().min(1).max(100).optional() });

export const createdKeySchema = z.object({
  keyId: z.string(),
  /** Shown once: store it now. */
  apiKey: z.string(),
  prefix: z.string(),
});

export const keyParamsSchema = z.object({ id: z.string().max(100) });

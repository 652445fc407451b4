// The server secret (API-key HMAC, OAuth state) and the token-encryption keys. Production takes them from
// configuration; development and tests may let pinflow create them once under DATA_DIR.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config';

export interface Secrets {
  serverSecret: string;
  /** Key id → 32-byte AES key; `currentKeyId` encrypts, every key decrypts (rotation). */
  tokenKeys: Record<string, Buffer>;
  currentKeyId: string;
}

const fileSchema = z.object({ serverSecret: z.string().min(32), tokenKeys: z.record(z.string(), z.string()), currentKeyId: z.string() });

export function resolveSecrets(config: Pick<Config, 'PINFLOW_SECRET' | 'TOKEN_ENCRYPTION_KEYS' | 'NODE_ENV' | 'DATA_DIR'>): Secrets {
  if (config.PINFLOW_SECRET && config.TOKEN_ENCRYPTION_KEYS) {
    const ids = Object.keys(config.TOKEN_ENCRYPTION_KEYS);
    return { serverSecret: config.PINFLOW_SECRET, tokenKeys: config.TOKEN_ENCRYPTION_KEYS, currentKeyId: ids[0]! };
  }
  if (config.NODE_ENV === 'production') {
    throw new Error('PINFLOW_SECRET and TOKEN_ENCRYPTION_KEYS must be set in production');
  }
  return developmentSecrets(config.DATA_DIR);
}

/** Created on first use with mode 0600, then read back: a second `npm start` can decrypt the first one's tokens. */
function developmentSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const fresh = { serverSecret: randomBytes(32).toString('base64url'), tokenKeys: { k1: randomBytes(32).toString('base64') }, currentKeyId: 'k1' };
    fs.writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
  }
  const parsed = fileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const tokenKeys = Object.fromEntries(Object.entries(parsed.tokenKeys).map(([kid, b64]) => [kid, Buffer.from(b64, 'base64')]));
  return { serverSecret: parsed.serverSecret, tokenKeys, currentKeyId: parsed.currentKeyId };
}

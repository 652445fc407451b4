// Prefixed, URL-safe ids: the prefix says what the id names (a post, a target, a media…), so an operator
// can paste one from a support ticket into the Temporal Web UI.
import { randomBytes } from 'node:crypto';

export const idPrefixes = {
  post: 'post',
  target: 'tgt',
  media: 'med',
  account: 'soc',
  workspace: 'ws',
  apiKey: 'key',
  webhook: 'whk',
  delivery: 'dlv',
  event: 'evt',
  attempt: 'att',
  request: 'req',
} as const;

export type IdKind = keyof typeof idPrefixes;

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 20 random base-36 characters (~103 bits): unguessable and collision-free in practice. */
export function newId(kind: IdKind): string {
  const bytes = randomBytes(20);
  let body = '';
  for (const b of bytes) body += alphabet[b % 36];
  return `${idPrefixes[kind]}_${body}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${idPrefixes[kind]}_`);
}

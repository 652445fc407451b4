// What every media store does to bytes on the way in: check the key, cap the size while the bytes
// stream (never holding them all), and hash them.
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { PinflowError } from '../domain/errors';

export interface PutResult {
  bytes: number;
  sha256: string;
}

/** Keys are slash-separated segments of [A-Za-z0-9_.-] that start with a letter or digit: no `..`, no absolute path. */
const keyPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/;

export function assertMediaKey(key: string): void {
  if (key.length > 512 || !keyPattern.test(key)) throw new Error(`invalid media key: ${JSON.stringify(key)}`);
}

export function toReadable(source: Readable | Buffer): Readable {
  return Buffer.isBuffer(source) ? Readable.from([source]) : source;
}

/**
 * A pass-through that counts and hashes; it fails with PIN_MEDIA_TOO_LARGE on the chunk that
 * passes `maxBytes`, so a pipeline stops reading its source there.
 */
export function meter(maxBytes: number): { stream: Transform; result: () => PutResult } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(new PinflowError('PIN_MEDIA_TOO_LARGE', `The media is larger than ${maxBytes} bytes, the limit.`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest('hex') }) };
}

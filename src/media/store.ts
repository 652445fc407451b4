// Where media bytes live: the contract every store keeps, and the store the configuration asks for.
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../config';
import { createFsMediaStore } from './fs-store';
import { createS3MediaStore } from './s3-store';
import type { PutResult } from './store-input';

export type { PutResult } from './store-input';

export interface PutOptions {
  /** Refuse with PIN_MEDIA_TOO_LARGE at maxBytes + 1, while streaming. */
  maxBytes: number;
}

export interface MediaStore {
  /** Stores the bytes under `key`; a reader never sees a partial object, and a failed put leaves nothing. */
  put(key: string, source: Readable | Buffer, options: PutOptions): Promise<PutResult>;
  /** Streams the bytes; MEDIA_NOT_FOUND when there are none. */
  get(key: string): Promise<Readable>;
  /** All the bytes at once, for small objects (images under the 20 MB cap); MEDIA_NOT_FOUND when absent. */
  read(key: string): Promise<Buffer>;
  /** Removes the bytes; no error when they are already gone. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A local file path, when the store is a filesystem (sharp reads files without copying them). */
  localPath?(key: string): string;
}

export type MediaStoreConfig = Pick<Config, 'MEDIA_STORE' | 'MEDIA_DIR' | 'DATA_DIR' | 'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_REGION'>;

export function createMediaStore(config: MediaStoreConfig): MediaStore {
  if (config.MEDIA_STORE === 's3') {
    if (!config.S3_BUCKET) throw new Error('MEDIA_STORE=s3 needs S3_BUCKET');
    return createS3MediaStore({ bucket: config.S3_BUCKET, endpoint: config.S3_ENDPOINT, region: config.S3_REGION });
  }
  return createFsMediaStore(config.MEDIA_DIR ?? path.join(config.DATA_DIR, 'media'));
}

// The S3-compatible media store (AWS S3, MinIO, R2… via S3_ENDPOINT). Credentials come from the AWS
// SDK's own provider chain. Not exercised by the unit tests: they have no S3 server.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { PinflowError } from '../domain/errors';
import type { MediaStore, PutOptions } from './store';
import { assertMediaKey, meter, toReadable, type PutResult } from './store-input';

export interface S3StoreOptions {
  bucket: string;
  endpoint?: string;
  region: string;
  client?: S3Client;
}

type Sdk = typeof import('@aws-sdk/client-s3');

/** Loaded on first use: the SDK costs ~50 ms to load and warns on Node 20, which fs-store users need not see. */
let sdkLoading: Promise<Sdk> | undefined;
const sdk = (): Promise<Sdk> => (sdkLoading ??= import('@aws-sdk/client-s3'));

export function createS3MediaStore(options: S3StoreOptions): MediaStore {
  const Bucket = options.bucket;
  let clientMaking: Promise<S3Client> | undefined;
  const client = (): Promise<S3Client> =>
    (clientMaking ??= options.client
      ? Promise.resolve(options.client)
      : sdk().then((s3) => new s3.S3Client({ region: options.region, ...(options.endpoint ? compatible(options.endpoint) : {}) })));

  const getObject = async (key: string): Promise<Readable> => {
    assertMediaKey(key);
    const s3 = await sdk();
    const answer = await (await client()).send(new s3.GetObjectCommand({ Bucket, Key: key })).catch((err: unknown) => {
      throw notFoundOr(err, key);
    });
    if (!(answer.Body instanceof Readable)) throw new Error(`S3 answered GetObject ${key} without a stream body`);
    return answer.Body;
  };

  return {
    async put(key: string, source: Readable | Buffer, { maxBytes }: PutOptions): Promise<PutResult> {
      assertMediaKey(key);
      const s3 = await sdk();
      // Spool to a temporary file under the cap: PutObject needs the length up front, and memory stays flat.
      const folder = await mkdtemp(path.join(os.tmpdir(), 'pinflow-s3-'));
      const spooled = path.join(folder, 'body');
      try {
        const counted = meter(maxBytes);
        await pipeline(toReadable(source), counted.stream, createWriteStream(spooled));
        const result = counted.result();
        const put = new s3.PutObjectCommand({ Bucket, Key: key, Body: createReadStream(spooled), ContentLength: result.bytes });
        await (await client()).send(put);
        return result;
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },

    get: getObject,

    async read(key: string): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of await getObject(key)) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks);
    },

    async delete(key: string): Promise<void> {
      assertMediaKey(key);
      const s3 = await sdk();
      await (await client()).send(new s3.DeleteObjectCommand({ Bucket, Key: key }));
    },

    async exists(key: string): Promise<boolean> {
      assertMediaKey(key);
      const s3 = await sdk();
      return (await client()).send(new s3.HeadObjectCommand({ Bucket, Key: key })).then(
        () => true,
        (err: unknown) => {
          if (isNotFound(err)) return false;
          throw err;
        },
      );
    },
  };
}

/**
 * For S3-compatible servers: path-style addressing (MinIO and most self-hosted servers have no
 * per-bucket DNS names), and no unrequested CRC checksums, which since SDK 3.729 turn a streamed
 * PutObject into aws-chunked uploads that several of them refuse.
 */
function compatible(endpoint: string) {
  return {
    endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
}

/** Every S3 error carries $metadata; a 404 is NoSuchKey (GET) or NotFound (HEAD, which has no body to name it). */
function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('$metadata' in err)) return false;
  const metadata = err.$metadata;
  return typeof metadata === 'object' && metadata !== null && 'httpStatusCode' in metadata && metadata.httpStatusCode === 404;
}

function notFoundOr(err: unknown, key: string): unknown {
  return isNotFound(err) ? new PinflowError('MEDIA_NOT_FOUND', `No media stored under ${key}.`) : err;
}

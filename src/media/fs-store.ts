// The default media store: files under one folder, written to a temporary name and renamed into
// place so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PinflowError } from '../domain/errors';
import type { MediaStore, PutOptions } from './store';
import { assertMediaKey, meter, toReadable, type PutResult } from './store-input';

export function createFsMediaStore(root: string): MediaStore {
  const fileFor = (key: string): string => {
    assertMediaKey(key);
    return path.join(root, key);
  };

  return {
    async put(key: string, source: Readable | Buffer, { maxBytes }: PutOptions): Promise<PutResult> {
      const file = fileFor(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.partial`;
      const counted = meter(maxBytes);
      try {
        // flush: the bytes are on disk before the rename makes them visible.
        await pipeline(toReadable(source), counted.stream, createWriteStream(temporary, { flags: 'wx', flush: true }));
        await rename(temporary, file);
        return counted.result();
      } catch (err) {
        await rm(temporary, { force: true });
        throw err;
      }
    },

    async get(key: string): Promise<Readable> {
      const handle = await open(fileFor(key), 'r').catch((err: unknown) => {
        throw notFoundOr(err, key);
      });
      return handle.createReadStream();
    },

    async read(key: string): Promise<Buffer> {
      return readFile(fileFor(key)).catch((err: unknown) => {
        throw notFoundOr(err, key);
      });
    },

    async delete(key: string): Promise<void> {
      await rm(fileFor(key), { force: true });
    },

    async exists(key: string): Promise<boolean> {
      return stat(fileFor(key)).then(
        (s) => s.isFile(),
        () => false,
      );
    },

    localPath: fileFor,
  };
}

function notFoundOr(err: unknown, key: string): unknown {
  const missing = err instanceof Error && 'code' in err && err.code === 'ENOENT';
  return missing ? new PinflowError('MEDIA_NOT_FOUND', `No media stored under ${key}.`) : err;
}

// client.media: store an image (uploaded from a Buffer, a stream or a file, or fetched from a URL), read, list, delete.
import { openAsBlob } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Readable } from 'node:stream';
import { segment, type Transport } from '../http.js';
import { PageRequest } from '../pagination.js';
import type { Media, MediaList, MediaListQuery } from '../types.js';

/** The image: its bytes, a readable stream of them, a Blob, or the path of a file. */
export type UploadSource = string | Uint8Array | ArrayBuffer | Blob | Readable | AsyncIterable<Uint8Array>;

export interface UploadOptions {
  /** The file name sent in the multipart part (default: the file's name, or "image"). */
  filename?: string;
  /** Default: from the file name (image/jpeg, image/png), else application/octet-stream. pinflow reads the format from the bytes. */
  contentType?: string;
}

export interface MediaResource {
  /** Uploads an image (multipart). It is checked now: JPEG or PNG, at least 600 × 900, at most 20 MB. */
  upload(source: UploadSource, options?: UploadOptions): Promise<Media>;
  /** Has pinflow fetch the image at `url` now, check it and store it. */
  fromUrl(url: string): Promise<Media>;
  get(id: string): Promise<Media>;
  /** `await` it for one page (newest first), or `for await` over it for every media. */
  list(query?: MediaListQuery): PageRequest<Media>;
  /** Deletes a media and its bytes (MEDIA_IN_USE while a scheduled post uses it). */
  delete(id: string): Promise<void>;
}

export function mediaResource(request: Transport): MediaResource {
  return {
    upload: async (source, options = {}) => {
      const filename = options.filename ?? (typeof source === 'string' ? basename(source) : 'image');
      const type = options.contentType ?? contentTypeOf(filename);
      const form = new FormData();
      form.append('file', await blobOf(source, type), filename);
      // Not idempotent: a repeat after a lost answer could store the image twice. 429 and 5xx are still retried.
      return request<Media>({ method: 'POST', path: '/v1/media', body: form });
    },
    fromUrl: (url) => request<Media>({ method: 'POST', path: '/v1/media', body: { url } }),
    get: (id) => request<Media>({ method: 'GET', path: `/v1/media/${segment(id)}` }),
    list: (query = {}) => {
      const { cursor, ...rest } = query;
      return new PageRequest((next) => request<MediaList>({ method: 'GET', path: '/v1/media', query: { ...rest, cursor: next } }), cursor);
    },
    delete: async (id) => {
      await request<undefined>({ method: 'DELETE', path: `/v1/media/${segment(id)}` });
    },
  };
}

/**
 * A Blob the request can send (and send again on a retry). A file stays on disk until sent; a stream is read
 * into memory first, since its bytes can be read only once.
 */
async function blobOf(source: UploadSource, type: string): Promise<Blob> {
  if (typeof source === 'string') return openAsBlob(source, { type });
  if (source instanceof Blob) return source;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return new Blob([source], { type });
  const chunks: Uint8Array[] = [];
  for await (const chunk of source as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return new Blob(chunks, { type });
}

const contentTypes: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

function contentTypeOf(filename: string): string {
  return contentTypes[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

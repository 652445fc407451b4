// Taking in one image (an upload stream or a URL): store it under the cap, read what it really is,
// and keep it only if it meets the rules every pin image must meet.
import { Readable } from 'node:stream';
import { newId } from '../domain/ids';
import { PinflowError } from '../domain/errors';
import { checkImage, checkNotVideo, IMAGE_MAX_BYTES } from '../domain/pinterest-rules';
import { safeFetch, type FetchPolicy } from '../net/safe-fetch';
import { inspectImage } from './inspect';
import { mediaRecordSchema, type MediaRecord } from './record';
import type { MediaStore } from './store';

export type IngestSource = Readable | Buffer | { url: string };

export interface IngestInput {
  source: IngestSource;
  /** The uploader's declared type: only used to refuse a video early, never to decide the format. */
  contentType?: string;
  /** Stored under `${workspaceId}/${id}` when given, so one workspace's media can be listed or purged. */
  workspaceId?: string;
}

export interface IngestDeps {
  store: MediaStore;
  /** allowHosts and timeoutMs for URL sources (FETCH_ALLOW_HOSTS, FETCH_TIMEOUT_MS). */
  fetch?: FetchPolicy;
}

/**
 * Stores and checks one image and answers its record. A given stream is consumed or destroyed.
 * Throws PinflowError (PIN_VIDEO_NOT_SUPPORTED, PIN_MEDIA_FORMAT, PIN_MEDIA_TOO_LARGE,
 * PIN_IMAGE_TOO_SMALL, MEDIA_UNREADABLE, MEDIA_FETCH_FAILED); nothing stays stored after a failure.
 */
export async function ingestMedia(input: IngestInput, deps: IngestDeps): Promise<MediaRecord> {
  const opened = await open(input, deps);
  refuseVideo(opened.contentType, opened.body);

  const id = newId('media');
  const storageKey = input.workspaceId ? `${input.workspaceId}/${id}` : id;
  const stored = await deps.store.put(storageKey, opened.body, { maxBytes: IMAGE_MAX_BYTES });
  try {
    const image = await inspectImage(deps.store.localPath?.(storageKey) ?? (await deps.store.read(storageKey)));
    const problems = checkImage(image);
    if (problems.length > 0) throw PinflowError.of(problems);
    return mediaRecordSchema.parse({ ...image, id, type: 'IMAGE', sha256: stored.sha256, storageKey });
  } catch (err) {
    await deps.store.delete(storageKey).catch(() => undefined);
    throw err;
  }
}

async function open(input: IngestInput, deps: IngestDeps): Promise<{ body: Readable | Buffer; contentType?: string }> {
  const { source } = input;
  // instanceof, not `'url' in source`: an http.IncomingMessage is a stream that has a url too.
  if (Buffer.isBuffer(source) || source instanceof Readable) return { body: source, contentType: input.contentType };
  refuseVideo(input.contentType);
  const fetched = await safeFetch(source.url, {
    ...deps.fetch,
    maxBytes: IMAGE_MAX_BYTES,
    headers: { accept: 'image/jpeg, image/png, image/*;q=0.8' },
  });
  return { body: fetched.body, contentType: fetched.contentType };
}

function refuseVideo(contentType: string | undefined, body?: Readable | Buffer): void {
  const [video] = checkNotVideo({ contentType });
  if (!video) return;
  if (body && !Buffer.isBuffer(body)) body.destroy();
  throw new PinflowError(video.code, video.message);
}

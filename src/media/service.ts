// A workspace's media: taking images in (upload or URL), finding, listing and deleting them, and
// preparing the exact bytes a pin will send. Used by the media routes, the posts service and activities.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import * as q from '../db/media';
import { mediaInUse } from '../db/posts';
import { inTransaction } from '../db/pool';
import type { Deps } from '../deps';
import { PinflowError, problem } from '../domain/errors';
import { IMAGE_MAX_BYTES, slideAspectSchema, type SlideAspect } from '../domain/pinterest-rules';
import { ingestMedia, type IngestSource } from './ingest';
import { fitCarousel, optimizedCopy, type FitMode } from './optimize';
import type { MediaRecord } from './record';
import type { MediaListQuery, StoredMedia } from './schemas';

/** Stores an uploaded image (streamed, never held whole) once it passes the image rules. */
export async function uploadMedia(deps: Deps, workspaceId: string, stream: Readable, contentType?: string): Promise<StoredMedia> {
  return keep(deps, workspaceId, stream, { contentType });
}

/** Fetches an image SSRF-safely (FETCH_ALLOW_HOSTS, FETCH_TIMEOUT_MS) and stores it once it passes the image rules. */
export async function ingestMediaFromUrl(deps: Deps, workspaceId: string, url: string): Promise<StoredMedia> {
  return keep(deps, workspaceId, { url }, { sourceUrl: url });
}

/** Ingest, then the row; a failure at either step leaves neither row nor bytes behind. */
async function keep(
  deps: Deps,
  workspaceId: string,
  source: IngestSource,
  meta: { contentType?: string; sourceUrl?: string },
): Promise<StoredMedia> {
  const fetch = { allowHosts: deps.config.FETCH_ALLOW_HOSTS, timeoutMs: deps.config.FETCH_TIMEOUT_MS };
  const record = await ingestMedia({ source, contentType: meta.contentType, workspaceId }, { store: deps.media, fetch });
  try {
    return await q.insertMedia(deps.db, workspaceId, record, meta.sourceUrl);
  } catch (err) {
    await deps.media.delete(record.storageKey).catch(() => undefined);
    throw err;
  }
}

/** The workspace's media; MEDIA_NOT_FOUND for an unknown id or another workspace's. */
export async function getMedia(deps: Deps, workspaceId: string, id: string): Promise<StoredMedia> {
  const [media] = await q.findMedia(deps.db, workspaceId, [id]);
  if (!media) throw notFound(id);
  return media;
}

/** Every one of `ids` the workspace has, in one query; the caller reports the missing ones where they were asked for. */
export async function getMediaMany(deps: Deps, workspaceId: string, ids: readonly string[]): Promise<Map<string, StoredMedia>> {
  if (ids.length === 0) return new Map();
  const found = await q.findMedia(deps.db, workspaceId, [...new Set(ids)]);
  return new Map(found.map((m) => [m.id, m]));
}

export interface MediaPage {
  data: StoredMedia[];
  nextCursor: string | null;
}

/** Newest first. The cursor names the last media shown, so a page is stable however many are added meanwhile. */
export async function listMedia(deps: Deps, workspaceId: string, query: MediaListQuery): Promise<MediaPage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  // One more than asked tells whether another page follows without a count.
  const rows = await q.listMedia(deps.db, { workspaceId, after, limit: query.limit + 1 });
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

/**
 * Deletes the row, then the bytes and every copy made from them. MEDIA_IN_USE while a scheduled or
 * publishing post uses it (checked first, and held by the post_media foreign key against a post
 * scheduled meanwhile); finished posts let go of it in the same transaction.
 */
export async function deleteMedia(deps: Deps, workspaceId: string, id: string): Promise<void> {
  // Existence first: another workspace must learn nothing, not even that its id is in use.
  await getMedia(deps, workspaceId, id);
  if (await mediaInUse(deps.db, id))
    throw new PinflowError('MEDIA_IN_USE', `media ${id} is used by a scheduled post; cancel or edit the post first.`);
  const deleted = await inTransaction(deps.db, async (tx) => {
    await q.releaseFromFinishedPosts(tx, id);
    return q.deleteMediaRow(tx, workspaceId, id);
  }).catch((err: unknown) => {
    throw isForeignKeyViolation(err) ? new PinflowError('MEDIA_IN_USE', `media ${id} is still referred to by a post.`) : err;
  });
  if (!deleted) throw notFound(id);
  await removeBytes(deps, deleted);
}

/** The row is gone, so leftover bytes are only garbage: log them rather than fail a delete that happened. */
async function removeBytes(deps: Deps, media: StoredMedia): Promise<void> {
  const keys = new Set([media.storageKey, optimizedKey(media.storageKey), ...fittedKeys(media.storageKey)]);
  const results = await Promise.allSettled([...keys].map((key) => deps.media.delete(key)));
  for (const result of results) {
    if (result.status === 'rejected') deps.logger.warn({ err: result.reason, mediaId: media.id }, 'media bytes left behind after delete');
  }
}

export interface PublishCopyOptions {
  /** Downscale to what Pinterest displays (1200 × 1800 at most). */
  optimize: boolean;
  /** Make a carousel slide exactly `aspect`; only with `aspect` (a single pin is never fitted). */
  fit?: FitMode;
  aspect?: SlideAspect;
}

/** A media record, with the optimized copy's key when the caller read it from the table. */
export type PublishableMedia = MediaRecord & Partial<Pick<StoredMedia, 'optimizedKey'>>;

/**
 * The storage key of the bytes a pin sends: the carousel-fitted copy when fitting is asked and needed,
 * else the optimized copy when optimizing, else the original. Copies are made once, under keys derived
 * from the original's, so preparing them when a post is accepted makes this a lookup at the due time.
 */
export async function preparePublishCopy(deps: Deps, media: PublishableMedia, options: PublishCopyOptions): Promise<string> {
  // An image already of the slide aspect (within the rules' tolerance) is a valid slide as it is.
  if (options.fit && options.aspect && media.aspect !== options.aspect) return fittedCopy(deps, media, options.fit, options.aspect);
  if (options.optimize) return optimizedCopyOf(deps, media);
  return media.storageKey;
}

async function fittedCopy(deps: Deps, media: MediaRecord, mode: FitMode, aspect: SlideAspect): Promise<string> {
  const key = fittedKey(media.storageKey, mode, aspect);
  if (await deps.media.exists(key)) return key;
  const copy = await fitCarousel(await deps.media.read(media.storageKey), mode, aspect);
  await deps.media.put(key, copy.bytes, { maxBytes: IMAGE_MAX_BYTES });
  return key;
}

async function optimizedCopyOf(deps: Deps, media: PublishableMedia): Promise<string> {
  const known = media.optimizedKey ?? (await q.optimizedKeyOf(deps.db, media.id));
  if (known) return known;
  const original = await deps.media.read(media.storageKey);
  const copy = await optimizedCopy(original);
  // optimizedCopy answers the very buffer it was given when nothing needed changing: then the original is the copy.
  const key = copy.bytes === original ? media.storageKey : optimizedKey(media.storageKey);
  if (key !== media.storageKey) await deps.media.put(key, copy.bytes, { maxBytes: IMAGE_MAX_BYTES });
  if (!(await q.setOptimizedCopy(deps.db, media.id, { key, bytes: copy.bytes.length }))) {
    // Deleted meanwhile: the copy would outlive its media.
    if (key !== media.storageKey) await deps.media.delete(key).catch(() => undefined);
    throw notFound(media.id);
  }
  return key;
}

function optimizedKey(storageKey: string): string {
  return `${storageKey}.optimized`;
}

/** Store keys allow no colon: 2:3 is written 2x3. */
function fittedKey(storageKey: string, mode: FitMode, aspect: SlideAspect): string {
  return `${storageKey}.${mode}-${aspect.replace(':', 'x')}`;
}

function fittedKeys(storageKey: string): string[] {
  const modes: FitMode[] = ['pad', 'crop'];
  return modes.flatMap((mode) => slideAspectSchema.options.map((aspect) => fittedKey(storageKey, mode, aspect)));
}

function notFound(id: string): PinflowError {
  return new PinflowError('MEDIA_NOT_FOUND', `no media ${id} in this workspace`);
}

function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err.code === '23001' || err.code === '23503');
}

// ── The list cursor: the last media shown, opaque to callers ────────────────────────────────────

const cursorSchema = z.tuple([z.iso.datetime(), z.string().startsWith('med_')]);

function encodeCursor(media: StoredMedia): string {
  return Buffer.from(JSON.stringify([media.createdAt.toISOString(), media.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) {
    const message = 'cursor is not one this API answered';
    throw new PinflowError('VALIDATION_FAILED', message, [problem('VALIDATION_FAILED', message, { path: 'cursor' })]);
  }
  const [createdAt, id] = parsed.data;
  return { createdAt: new Date(createdAt), id };
}

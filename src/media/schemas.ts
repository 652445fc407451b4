// Media as pinflow keeps it (a record in the `media` table) and as the media API shows it: zod
// schemas shared by the service, the routes, the OpenAPI document and the SDK.
import { z } from 'zod';
import { mediaRecordSchema } from './record';

/** A stored media: the ingested record plus what the table adds. */
export const storedMediaSchema = mediaRecordSchema.extend({
  workspaceId: z.string(),
  /** The URL it was fetched from, when it was given by URL. */
  sourceUrl: z.string().nullable(),
  /** The copy sent to Pinterest when optimizing, once made (may be storageKey itself when nothing needed changing). */
  optimizedKey: z.string().nullable(),
  createdAt: z.date(),
});
export type StoredMedia = z.infer<typeof storedMediaSchema>;

export const mediaSchema = mediaRecordSchema
  .pick({ id: true, type: true, format: true, width: true, height: true, bytes: true, aspect: true })
  .extend({
    createdAt: z.iso.datetime({ offset: true }),
    sourceUrl: z.string().optional().describe('The URL the image was fetched from, when it was given by URL.'),
  })
  .describe('An image pinflow stored: its format, size and aspect as read from its bytes (EXIF orientation applied).');
export type MediaView = z.infer<typeof mediaSchema>;

export const mediaListSchema = z.object({
  data: z.array(mediaSchema).describe('Newest first.'),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type MediaList = z.infer<typeof mediaListSchema>;

export const mediaListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type MediaListQuery = z.infer<typeof mediaListQuerySchema>;

/** Whether the URL may be fetched (http(s), a public address) is the fetcher's call: it answers MEDIA_FETCH_FAILED. */
export const mediaUrlRequestSchema = z.strictObject({
  url: z.url().max(2048).describe('An http(s) URL of a JPEG or PNG image, at most 20 MB; fetched now.'),
});

export const mediaIdParamsSchema = z.object({ id: z.string().max(100) });

/** What the API shows of a stored media: never where its bytes are. */
export function toMediaView(media: StoredMedia): MediaView {
  return {
    id: media.id,
    type: media.type,
    format: media.format,
    width: media.width,
    height: media.height,
    bytes: media.bytes,
    aspect: media.aspect,
    createdAt: media.createdAt.toISOString(),
    ...(media.sourceUrl ? { sourceUrl: media.sourceUrl } : {}),
  };
}

// The media record: what pinflow knows about one stored image (its bytes live in the media store).
import { z } from 'zod';
import { pinImageFormatSchema } from '../domain/pinterest-rules';
import { inspectedImageSchema } from './inspect';

export const mediaRecordSchema = inspectedImageSchema.omit({ animated: true, ratio: true }).extend({
  id: z.string().startsWith('med_'),
  /** Only images are stored: videos are refused at ingest. */
  type: z.literal('IMAGE'),
  format: pinImageFormatSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the bytes are in the media store. */
  storageKey: z.string().min(1),
});
export type MediaRecord = z.infer<typeof mediaRecordSchema>;

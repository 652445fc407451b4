// What an image really is, read from its bytes with sharp's header reader (never a full decode).
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { z } from 'zod';
import { PinflowError } from '../domain/errors';
import { aspectRatio, aspectSchema, classifyAspect, pinMediaSchema } from '../domain/pinterest-rules';
import { isCompleteJpeg, isCompletePng, sniffVideo } from './sniff';

/**
 * Our own ceiling, not Pinterest's: 150 megapixels covers 108 MP phone and 100 MP medium-format
 * photos, while sharp's default (268 MP) would let a 225 MP bomb through to a decode of ~675 MB.
 */
export const MAX_IMAGE_PIXELS = 150_000_000;

export const inspectedImageSchema = pinMediaSchema.omit({ type: true }).extend({
  animated: z.boolean(),
  aspect: aspectSchema,
  /** height / width, as displayed. */
  ratio: z.number().positive(),
});
export type InspectedImage = z.infer<typeof inspectedImageSchema>;

/**
 * Reads format, displayed size (EXIF orientation 5–8 swaps width and height) and animation from
 * the header. Throws PinflowError: PIN_VIDEO_NOT_SUPPORTED for a video, PIN_MEDIA_FORMAT for bytes
 * of no image format, MEDIA_UNREADABLE for a truncated or corrupt image or one over MAX_IMAGE_PIXELS.
 */
export async function inspectImage(input: Buffer | string): Promise<InspectedImage> {
  const bytes = typeof input === 'string' ? await readFile(input) : input;

  const video = sniffVideo(bytes);
  if (video) throw new PinflowError('PIN_VIDEO_NOT_SUPPORTED', `This is a video (${video}); Pinterest video pins are not supported yet.`);

  const meta = await readHeader(bytes);
  if (!isComplete(meta.format, bytes)) {
    throw new PinflowError('MEDIA_UNREADABLE', `The ${meta.format.toUpperCase()} image is truncated: its bytes end before the image does.`);
  }

  const { width, height } = meta.autoOrient;
  return {
    format: meta.format,
    width,
    height,
    bytes: bytes.length,
    animated: (meta.pages ?? 1) > 1,
    aspect: classifyAspect(width, height),
    ratio: aspectRatio(width, height),
  };
}

async function readHeader(bytes: Buffer): Promise<sharp.Metadata> {
  try {
    // limitInputPixels is checked against the header before any pixel is decoded.
    return await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
  } catch (err) {
    throw headerError(err, bytes);
  }
}

function headerError(err: unknown, bytes: Buffer): PinflowError {
  const reason = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(reason)) {
    return new PinflowError(
      'MEDIA_UNREADABLE',
      `The image has more than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels; decoding it would take too much memory.`,
    );
  }
  if (/unsupported image format/i.test(reason) && !looksLikeJpegOrPng(bytes)) {
    return new PinflowError('PIN_MEDIA_FORMAT', 'These bytes are not an image format pinflow reads; Pinterest accepts JPEG or PNG.');
  }
  return new PinflowError('MEDIA_UNREADABLE', `The image cannot be read (${reason}).`);
}

function looksLikeJpegOrPng(bytes: Buffer): boolean {
  return isJpegSignature(bytes) || bytes.subarray(0, 8).equals(pngSignature);
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isJpegSignature(bytes: Buffer): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Only the formats we accept are checked: others are refused for their format anyway. */
function isComplete(format: string, bytes: Buffer): boolean {
  if (format === 'jpeg') return isCompleteJpeg(bytes);
  if (format === 'png') return isCompletePng(bytes);
  return true;
}

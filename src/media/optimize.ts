// The copies we send to Pinterest: downscaled to what it displays, upright, and (for carousels)
// made exactly 1:1 or 2:3 by padding or cropping. Sizes come from the domain rules.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { PinflowError } from '../domain/errors';
import {
  aspectRatio,
  checkImageFormat,
  classifyAspect,
  isPinImageFormat,
  optimizedSize,
  slideSize,
  type Size,
  type SlideAspect,
} from '../domain/pinterest-rules';
import { inspectImage, MAX_IMAGE_PIXELS, type InspectedImage } from './inspect';

export interface ImageCopy {
  bytes: Buffer;
  image: InspectedImage;
}

export type FitMode = 'pad' | 'crop';

const white = { r: 255, g: 255, b: 255, alpha: 1 };

/**
 * Fits the image inside 1200 × 1800 (never upscaling), upright, in its own format. An image that
 * is already upright and small enough comes back as its original bytes: re-encoding a JPEG only
 * loses quality.
 */
export async function optimizedCopy(input: Buffer | string): Promise<ImageCopy> {
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  const original = await acceptedImage(bytes);
  const size = optimizedSize(original.width, original.height);
  const sameSize = size.width === original.width && size.height === original.height;
  if (sameSize && (await isUpright(bytes))) return { bytes, image: original };
  return render(bytes, original.format, size, 'fill');
}

/** Makes a carousel slide exactly `aspect` by padding with white or cropping the centre, within 1200 × 1800. */
export async function fitCarousel(input: Buffer | string, mode: FitMode, aspect: SlideAspect): Promise<ImageCopy> {
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  const original = await acceptedImage(bytes);
  const size = slideSize(original.width, original.height, aspect, mode);
  return render(bytes, original.format, size, mode === 'pad' ? 'contain' : 'cover');
}

async function acceptedImage(bytes: Buffer): Promise<InspectedImage> {
  const image = await inspectImage(bytes);
  const [formatProblem] = checkImageFormat(image.format, {}, image.animated);
  if (formatProblem) throw new PinflowError(formatProblem.code, formatProblem.message);
  return image;
}

async function isUpright(bytes: Buffer): Promise<boolean> {
  const { orientation } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
  return orientation === undefined || orientation === 1;
}

async function render(bytes: Buffer, format: string, size: Size, fit: 'fill' | 'contain' | 'cover'): Promise<ImageCopy> {
  if (!isPinImageFormat(format)) throw new PinflowError('PIN_MEDIA_FORMAT', `Cannot make a Pinterest copy of a ${format} image.`);
  const pipeline = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .autoOrient()
    .resize(size.width, size.height, { fit, position: 'centre', background: white });
  const encoded = format === 'jpeg' ? pipeline.jpeg({ quality: 90 }) : pipeline.png();
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return {
      bytes: data,
      image: {
        format,
        width: info.width,
        height: info.height,
        bytes: data.length,
        animated: false,
        aspect: classifyAspect(info.width, info.height),
        ratio: aspectRatio(info.width, info.height),
      },
    };
  } catch (err) {
    throw new PinflowError('MEDIA_UNREADABLE', `The image cannot be decoded (${err instanceof Error ? err.message : String(err)}).`);
  }
}

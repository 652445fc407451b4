// The Pinterest product guide's limits and one check per rule. Pure: no I/O. No other file knows a
// Pinterest limit; every check returns Problem[] (empty when fine) so callers report all at once.
import { z } from 'zod';
import { problem, type Problem } from './errors';

// ── Limits ──────────────────────────────────────────────────────────────────────────────────────

/** Lengths are counted in Unicode code points, so an emoji counts as one character, not two. */
export const TITLE_MAX_CHARS = 100;
export const DESCRIPTION_MAX_CHARS = 500;
export const ALT_TEXT_MAX_CHARS = 500;

/** "20 MB" read as 20 MiB: 20 × 1024 × 1024 = 20,971,520 bytes is the largest accepted image. */
export const IMAGE_MAX_BYTES = 20 * 1024 * 1024;
/** "Min resolution 600 × 900": at least 600 pixels wide and 900 high, as displayed (EXIF applied). */
export const IMAGE_MIN_WIDTH = 600;
export const IMAGE_MIN_HEIGHT = 900;

export const CAROUSEL_MIN_SLIDES = 2;
export const CAROUSEL_MAX_SLIDES = 5;

/** A single pin may be as tall as 1:2.1 (the "long pin" cutoff), i.e. height / width ≤ 2.1 … */
export const LONG_PIN_MAX_RATIO = 2.1;
/**
 * … plus 0.5 % so an image resized to a cutoff-sized box is not refused for its rounding
 * (a 1000 × 2100 image resized to 857 wide gets 1800 high: 2.1003). 1000 × 2110 passes, 1000 × 2111 fails.
 */
export const LONG_PIN_RATIO_TOLERANCE = 0.005;

/**
 * ±2 % in height / width: 1000 × 1500 and 1001 × 1500 are both 2:3 (a pixel of rounding from an
 * editor's export must not make a carousel "mixed"), while 4:5 (1.25) is clearly not 1:1 or 2:3.
 */
export const ASPECT_TOLERANCE = 0.02;

export const PIN_IMAGE_FORMATS = ['jpeg', 'png'] as const;

/** Pinterest down-scales anything above this box; a larger copy gains nothing on display. */
export const OPTIMIZED_MAX_WIDTH = 1200;
export const OPTIMIZED_MAX_HEIGHT = 1800;

// ── Shapes the rules look at ────────────────────────────────────────────────────────────────────

export const aspectSchema = z.enum(['1:1', '2:3', 'other']);
export type Aspect = z.infer<typeof aspectSchema>;

/** The aspects a carousel slide may have (and that pad/crop can produce). */
export const slideAspectSchema = aspectSchema.exclude(['other']);
export type SlideAspect = z.infer<typeof slideAspectSchema>;

export const mediaTypeSchema = z.enum(['IMAGE', 'VIDEO']);
export const pinImageFormatSchema = z.enum(PIN_IMAGE_FORMATS);

/** What the guide's media rules need to know about one media; dimensions are as displayed. */
export const pinMediaSchema = z.object({
  type: mediaTypeSchema,
  /** Read from the bytes (sharp's name: 'jpeg', 'png', 'gif', 'webp', …), never from a name or header. */
  format: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  animated: z.boolean().optional(),
});
export type PinMedia = z.infer<typeof pinMediaSchema>;

/** Where a problem is: `path` names the request field (e.g. `mediaIds`), `target` the target index. */
export interface Where {
  path?: string;
  target?: number;
}

// ── Text ────────────────────────────────────────────────────────────────────────────────────────

function charCount(text: string): number {
  return [...text].length;
}

export function checkTitle(title: string | undefined, where: Where = { path: 'title' }): Problem[] {
  if (title === undefined || charCount(title) <= TITLE_MAX_CHARS) return [];
  return [problem('PIN_TITLE_TOO_LONG', `The title has ${charCount(title)} characters; Pinterest allows ${TITLE_MAX_CHARS}.`, where)];
}

export function checkDescription(text: string | undefined, where: Where = { path: 'content' }): Problem[] {
  if (text === undefined || charCount(text) <= DESCRIPTION_MAX_CHARS) return [];
  return [
    problem(
      'PIN_DESCRIPTION_TOO_LONG',
      `The description has ${charCount(text)} characters; Pinterest allows ${DESCRIPTION_MAX_CHARS}.`,
      where,
    ),
  ];
}

export function checkAltText(text: string | undefined, where: Where = { path: 'altText' }): Problem[] {
  if (text === undefined || charCount(text) <= ALT_TEXT_MAX_CHARS) return [];
  return [problem('PIN_ALT_TEXT_TOO_LONG', `altText has ${charCount(text)} characters; Pinterest allows ${ALT_TEXT_MAX_CHARS}.`, where)];
}

// ── One image ───────────────────────────────────────────────────────────────────────────────────

export function isPinImageFormat(format: string): format is z.infer<typeof pinImageFormatSchema> {
  return pinImageFormatSchema.safeParse(format).success;
}

export function checkImageFormat(format: string, where: Where = {}, animated = false): Problem[] {
  if (isPinImageFormat(format) && !animated) return [];
  const what = animated ? `an animated ${format.toUpperCase()}` : `a ${format.toUpperCase()} image`;
  return [problem('PIN_MEDIA_FORMAT', `This is ${what}; Pinterest accepts still JPEG or PNG images only.`, where)];
}

export function checkImageBytes(bytes: number, where: Where = {}): Problem[] {
  if (bytes <= IMAGE_MAX_BYTES) return [];
  return [problem('PIN_MEDIA_TOO_LARGE', `The image is ${bytes} bytes; the limit is ${IMAGE_MAX_BYTES} bytes (20 MB).`, where)];
}

export function checkImageSize(width: number, height: number, where: Where = {}): Problem[] {
  if (width >= IMAGE_MIN_WIDTH && height >= IMAGE_MIN_HEIGHT) return [];
  return [
    problem(
      'PIN_IMAGE_TOO_SMALL',
      `The image is ${width} × ${height} pixels; Pinterest needs at least ${IMAGE_MIN_WIDTH} × ${IMAGE_MIN_HEIGHT}.`,
      where,
    ),
  ];
}

/** The rules every image must meet whatever pin it goes into (not the single-pin or carousel ones). */
export function checkImage(image: Omit<PinMedia, 'type'>, where: Where = {}): Problem[] {
  return [
    ...checkImageFormat(image.format, where, image.animated ?? false),
    ...checkImageBytes(image.bytes, where),
    ...checkImageSize(image.width, image.height, where),
  ];
}

export function checkNotVideo(media: { type?: string; contentType?: string }, where: Where = {}): Problem[] {
  const isVideo = media.type === 'VIDEO' || /^video\//i.test(media.contentType ?? '');
  if (!isVideo) return [];
  return [problem('PIN_VIDEO_NOT_SUPPORTED', 'This is a video; Pinterest video pins are not supported yet: use an image.', where)];
}

// ── Aspect ──────────────────────────────────────────────────────────────────────────────────────

/** Slide aspects as height / width, and as the smallest whole-pixel unit (width, height). */
const slideAspects = {
  '1:1': { ratio: 1, unit: { width: 1, height: 1 } },
  '2:3': { ratio: 1.5, unit: { width: 2, height: 3 } },
} as const satisfies Record<SlideAspect, { ratio: number; unit: { width: number; height: number } }>;

/** Keeps the stated edges inclusive: 1470 / 1000 / 1.5 − 1 is −0.020000000000000018 in floating point. */
const floatSlack = 1e-9;

export function aspectRatio(width: number, height: number): number {
  return height / width;
}

export function classifyAspect(width: number, height: number): Aspect {
  const ratio = aspectRatio(width, height);
  for (const aspect of slideAspectSchema.options) {
    if (Math.abs(ratio / slideAspects[aspect].ratio - 1) <= ASPECT_TOLERANCE + floatSlack) return aspect;
  }
  return 'other';
}

export function checkSingleAspect(width: number, height: number, where: Where = {}): Problem[] {
  const ratio = aspectRatio(width, height);
  if (ratio <= LONG_PIN_MAX_RATIO * (1 + LONG_PIN_RATIO_TOLERANCE) + floatSlack) return [];
  return [
    problem(
      'PIN_ASPECT_RATIO',
      `The image is ${width} × ${height} (1:${ratio.toFixed(2)}); a pin may be at most 1:${LONG_PIN_MAX_RATIO} tall.`,
      where,
    ),
  ];
}

// ── Carousel ────────────────────────────────────────────────────────────────────────────────────

export function checkCarouselSize(count: number, where: Where = { path: 'mediaIds' }): Problem[] {
  if (count >= CAROUSEL_MIN_SLIDES && count <= CAROUSEL_MAX_SLIDES) return [];
  return [
    problem('PIN_CAROUSEL_SIZE', `A carousel has ${CAROUSEL_MIN_SLIDES} to ${CAROUSEL_MAX_SLIDES} images; this one has ${count}.`, where),
  ];
}

/** Each slide must be 1:1 or 2:3, and all slides the same one of the two. */
export function checkCarouselAspects(slides: readonly { width: number; height: number }[], where: Where = { path: 'mediaIds' }): Problem[] {
  const aspects = slides.map((s) => classifyAspect(s.width, s.height));
  const problems: Problem[] = [];
  aspects.forEach((aspect, i) => {
    if (aspect !== 'other') return;
    const { width, height } = slides[i]!;
    problems.push(
      problem('PIN_ASPECT_RATIO', `Slide ${i + 1} is ${width} × ${height}; carousel slides must be 1:1 or 2:3.`, {
        ...where,
        path: itemPath(where.path, i),
      }),
    );
  });
  const distinct = new Set(aspects.filter((a) => a !== 'other'));
  if (distinct.size > 1) {
    const list = aspects.map((a, i) => `${i + 1}: ${a}`).join(', ');
    problems.push(problem('PIN_MIXED_ASPECT', `Carousel slides mix aspects (${list}); use all 1:1 or all 2:3.`, where));
  }
  return problems;
}

// ── A pin's media ───────────────────────────────────────────────────────────────────────────────

function itemPath(path: string | undefined, index: number): string {
  return `${path ?? 'mediaIds'}[${index}]`;
}

/**
 * All media rules for one pin: one image is a single pin, 2–5 a carousel. A carousel `fitted` with
 * "pad" or "crop" is exempt from the same-aspect rule: fitting gives every slide the same aspect.
 */
export function checkMediaForPin(media: readonly PinMedia[], where: Where = { path: 'mediaIds' }, opts: { fitted?: boolean } = {}): Problem[] {
  if (media.length === 0) return [problem('PIN_MEDIA_REQUIRED', 'A pin needs at least one image.', where)];

  const perItem = media.flatMap((item, i) => {
    const at = { ...where, path: itemPath(where.path, i) };
    const video = checkNotVideo(item, at);
    return video.length > 0 ? video : checkImage(item, at);
  });

  if (media.length === 1) {
    const only = media[0]!;
    if (only.type === 'VIDEO') return perItem;
    return [...perItem, ...checkSingleAspect(only.width, only.height, { ...where, path: itemPath(where.path, 0) })];
  }

  // A video is already refused above; comparing its aspect with the slides' would only add noise.
  const allImages = media.every((m) => m.type === 'IMAGE');
  const aspects = allImages && !opts.fitted ? checkCarouselAspects(media, where) : [];
  return [...perItem, ...checkCarouselSize(media.length, where), ...aspects];
}

// ── Sizes for the copies we make ────────────────────────────────────────────────────────────────

export interface Size {
  width: number;
  height: number;
}

/**
 * The size of the copy we send: fit inside 1200 × 1800, never upscale, and never below 600 × 900
 * when the original was at least that (a wide image fitted into 1200 wide would drop under 900
 * high and break the minimum, so the minimum wins over the box, which only saves bytes).
 */
export function optimizedSize(width: number, height: number): Size {
  const fit = Math.min(OPTIMIZED_MAX_WIDTH / width, OPTIMIZED_MAX_HEIGHT / height);
  const keepMinimum = Math.max(IMAGE_MIN_WIDTH / width, IMAGE_MIN_HEIGHT / height);
  const scale = Math.min(1, Math.max(fit, keepMinimum));
  if (scale === 1) return { width, height };
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The exact slide size for making an image `aspect` by padding (grow the canvas) or cropping
 * (cut the centre): a whole multiple of the aspect's unit (2 × 3 for 2:3), so the result is exactly
 * 2:3 or 1:1, capped to the optimized box.
 */
export function slideSize(width: number, height: number, aspect: SlideAspect, mode: 'pad' | 'crop'): Size {
  const { unit } = slideAspects[aspect];
  const multiples =
    mode === 'pad'
      ? Math.max(Math.ceil(width / unit.width), Math.ceil(height / unit.height))
      : Math.min(Math.floor(width / unit.width), Math.floor(height / unit.height));
  const cap = Math.floor(Math.min(OPTIMIZED_MAX_WIDTH / unit.width, OPTIMIZED_MAX_HEIGHT / unit.height));
  const k = Math.max(1, Math.min(multiples, cap));
  return { width: k * unit.width, height: k * unit.height };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkAltText,
  checkCarouselAspects,
  checkCarouselSize,
  checkDescription,
  checkImageBytes,
  checkImageFormat,
  checkImageSize,
  checkMediaForPin,
  checkNotVideo,
  checkSingleAspect,
  checkTitle,
  classifyAspect,
  IMAGE_MAX_BYTES,
  optimizedSize,
  slideSize,
  type PinMedia,
} from '../../src/domain/pinterest-rules';

const codes = (problems: { code: string }[]): string[] => problems.map((p) => p.code);

function image(width: number, height: number, extra: Partial<PinMedia> = {}): PinMedia {
  return { type: 'IMAGE', format: 'jpeg', width, height, bytes: 1_000_000, ...extra };
}

describe('text limits', () => {
  it('accepts a 100-character title and refuses 101 with PIN_TITLE_TOO_LONG', () => {
    assert.deepEqual(checkTitle('a'.repeat(100)), []);
    assert.deepEqual(codes(checkTitle('a'.repeat(101))), ['PIN_TITLE_TOO_LONG']);
  });

  it('counts an emoji as one character, not two UTF-16 units', () => {
    assert.deepEqual(checkTitle('🌿'.repeat(100)), []);
  });

  it('accepts a 500-character description and refuses 501 with PIN_DESCRIPTION_TOO_LONG', () => {
    assert.deepEqual(checkDescription('d'.repeat(500)), []);
    assert.deepEqual(codes(checkDescription('d'.repeat(501))), ['PIN_DESCRIPTION_TOO_LONG']);
  });

  it('accepts 500 characters of alt text and refuses 501 with PIN_ALT_TEXT_TOO_LONG', () => {
    assert.deepEqual(checkAltText('x'.repeat(500)), []);
    const [p] = checkAltText('x'.repeat(501), { path: 'targets[1].platformOptions.altText', target: 1 });
    assert.equal(p?.code, 'PIN_ALT_TEXT_TOO_LONG');
    assert.equal(p?.path, 'targets[1].platformOptions.altText');
    assert.equal(p?.target, 1);
  });

  it('has nothing to say about an absent title, description or alt text', () => {
    assert.deepEqual([...checkTitle(undefined), ...checkDescription(undefined), ...checkAltText(undefined)], []);
  });
});

describe('one image', () => {
  it('accepts 600 × 900 and refuses 599 × 900 or 600 × 899 with PIN_IMAGE_TOO_SMALL', () => {
    assert.deepEqual(checkImageSize(600, 900), []);
    assert.deepEqual(codes(checkImageSize(599, 900)), ['PIN_IMAGE_TOO_SMALL']);
    assert.deepEqual(codes(checkImageSize(600, 899)), ['PIN_IMAGE_TOO_SMALL']);
  });

  it('accepts exactly 20 MB (20 × 1024 × 1024 bytes) and refuses one byte more with PIN_MEDIA_TOO_LARGE', () => {
    assert.equal(IMAGE_MAX_BYTES, 20_971_520);
    assert.deepEqual(checkImageBytes(IMAGE_MAX_BYTES), []);
    assert.deepEqual(codes(checkImageBytes(IMAGE_MAX_BYTES + 1)), ['PIN_MEDIA_TOO_LARGE']);
  });

  it('accepts JPEG and PNG and refuses GIF, WebP and an animated image with PIN_MEDIA_FORMAT', () => {
    assert.deepEqual([...checkImageFormat('jpeg'), ...checkImageFormat('png')], []);
    assert.deepEqual(codes(checkImageFormat('gif')), ['PIN_MEDIA_FORMAT']);
    assert.deepEqual(codes(checkImageFormat('webp')), ['PIN_MEDIA_FORMAT']);
    assert.deepEqual(codes(checkImageFormat('png', {}, true)), ['PIN_MEDIA_FORMAT']);
  });

  it('refuses a video by type or by content type with PIN_VIDEO_NOT_SUPPORTED', () => {
    assert.deepEqual(codes(checkNotVideo({ type: 'VIDEO' })), ['PIN_VIDEO_NOT_SUPPORTED']);
    assert.deepEqual(codes(checkNotVideo({ contentType: 'video/mp4' })), ['PIN_VIDEO_NOT_SUPPORTED']);
    assert.deepEqual(checkNotVideo({ type: 'IMAGE', contentType: 'image/jpeg' }), []);
  });

  it('accepts a long pin up to 1:2.1 (+0.5 %) and refuses a taller one with PIN_ASPECT_RATIO', () => {
    assert.deepEqual(checkSingleAspect(1000, 2100), []);
    assert.deepEqual(checkSingleAspect(1000, 2110), []);
    assert.deepEqual(codes(checkSingleAspect(1000, 2111)), ['PIN_ASPECT_RATIO']);
    assert.deepEqual(checkSingleAspect(1800, 1000), [], 'a landscape image is not too tall');
  });
});

describe('aspect classes', () => {
  it('calls 1000 × 1500 and 1001 × 1500 both 2:3', () => {
    assert.equal(classifyAspect(1000, 1500), '2:3');
    assert.equal(classifyAspect(1001, 1500), '2:3');
  });

  it('allows ±2 % in height / width: 1.47 and 1.53 are 2:3, 1.46 and 1.54 are not', () => {
    assert.equal(classifyAspect(1000, 1470), '2:3');
    assert.equal(classifyAspect(1000, 1530), '2:3');
    assert.equal(classifyAspect(1000, 1460), 'other');
    assert.equal(classifyAspect(1000, 1540), 'other');
  });

  it('calls 1000 × 1000 and 1000 × 1019 1:1, and 4:5 neither', () => {
    assert.equal(classifyAspect(1000, 1000), '1:1');
    assert.equal(classifyAspect(1000, 1019), '1:1');
    assert.equal(classifyAspect(1000, 1250), 'other');
  });
});

describe('carousel', () => {
  it('accepts 2 to 5 slides and refuses 1 or 6 with PIN_CAROUSEL_SIZE', () => {
    for (const n of [2, 5]) assert.deepEqual(checkCarouselSize(n), []);
    for (const n of [1, 6]) assert.deepEqual(codes(checkCarouselSize(n)), ['PIN_CAROUSEL_SIZE']);
  });

  it('rejects a carousel that mixes 1:1 and 2:3 with PIN_MIXED_ASPECT', () => {
    const problems = checkCarouselAspects([image(1000, 1000), image(1000, 1500)]);
    assert.deepEqual(codes(problems), ['PIN_MIXED_ASPECT']);
    assert.equal(problems[0]?.path, 'mediaIds');
  });

  it('accepts slides that are all 2:3 even when one is a pixel off', () => {
    assert.deepEqual(checkCarouselAspects([image(1000, 1500), image(1001, 1500), image(1200, 1800)]), []);
  });

  it('points at the slide that is neither 1:1 nor 2:3', () => {
    const problems = checkCarouselAspects([image(1000, 1500), image(1000, 1500), image(1000, 1250)]);
    assert.deepEqual(codes(problems), ['PIN_ASPECT_RATIO']);
    assert.equal(problems[0]?.path, 'mediaIds[2]');
  });
});

describe('checkMediaForPin', () => {
  it('accepts one valid image as a single pin', () => {
    assert.deepEqual(checkMediaForPin([image(1000, 1500)]), []);
  });

  it('refuses a pin without media with PIN_MEDIA_REQUIRED', () => {
    assert.deepEqual(codes(checkMediaForPin([])), ['PIN_MEDIA_REQUIRED']);
  });

  it('refuses a carousel of 6 and of a lone too-tall image', () => {
    assert.deepEqual(codes(checkMediaForPin(Array.from({ length: 6 }, () => image(1000, 1500)))), ['PIN_CAROUSEL_SIZE']);
    assert.deepEqual(codes(checkMediaForPin([image(1000, 2500)])), ['PIN_ASPECT_RATIO']);
  });

  it('reports every problem at once, each at its place, under the path the request used', () => {
    const problems = checkMediaForPin(
      [image(1000, 1000), image(500, 750), image(1000, 1500, { format: 'gif' }), image(1000, 1500, { type: 'VIDEO' })],
      { path: 'mediaItems', target: 0 },
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.path, p.target]),
      [
        ['PIN_IMAGE_TOO_SMALL', 'mediaItems[1]', 0],
        ['PIN_MEDIA_FORMAT', 'mediaItems[2]', 0],
        ['PIN_VIDEO_NOT_SUPPORTED', 'mediaItems[3]', 0],
      ],
    );
  });

  it('reports a mixed carousel and a too-large slide together', () => {
    const problems = checkMediaForPin([image(1000, 1000), image(1000, 1500, { bytes: IMAGE_MAX_BYTES + 1 })]);
    assert.deepEqual(codes(problems), ['PIN_MEDIA_TOO_LARGE', 'PIN_MIXED_ASPECT']);
    assert.equal(problems[0]?.path, 'mediaIds[1]');
  });
});

describe('sizes of the copies we make', () => {
  it('fits 3000 × 4500 into 1200 × 1800 and never upscales', () => {
    assert.deepEqual(optimizedSize(3000, 4500), { width: 1200, height: 1800 });
    assert.deepEqual(optimizedSize(800, 1000), { width: 800, height: 1000 });
  });

  it('keeps a wide image at least 900 high rather than fitting it under the minimum', () => {
    assert.deepEqual(optimizedSize(4000, 2000), { width: 1800, height: 900 });
  });

  it('makes pad and crop slide sizes exactly 2:3 or 1:1, within 1200 × 1800', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 8000 }),
        fc.integer({ min: 10, max: 8000 }),
        fc.constantFrom('1:1' as const, '2:3' as const),
        fc.constantFrom('pad' as const, 'crop' as const),
        (w, h, aspect, mode) => {
          const s = slideSize(w, h, aspect, mode);
          const [uw, uh] = aspect === '2:3' ? [2, 3] : [1, 1];
          assert.equal(s.width * uh, s.height * uw, `${w}×${h} ${mode} ${aspect} → ${s.width}×${s.height}`);
          assert.ok(s.width <= 1200 && s.height <= 1800);
          if (mode === 'crop') assert.ok(s.width <= w && s.height <= h, 'a crop never grows');
        },
      ),
    );
  });
});

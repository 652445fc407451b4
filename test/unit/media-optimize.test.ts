import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { PinflowError } from '../../src/domain/errors';
import { fitCarousel, optimizedCopy } from '../../src/media/optimize';

const orange = { r: 230, g: 110, b: 30 };

function canvas(width: number, height: number): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: orange } });
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

function near(actual: number[], expected: number[]): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= 6);
}

describe('optimizedCopy', () => {
  it('downscales a 3000 × 4500 JPEG to 1200 × 1800 and keeps it a JPEG', async () => {
    const copy = await optimizedCopy(await canvas(3000, 4500).jpeg().toBuffer());
    assert.deepEqual([copy.image.format, copy.image.width, copy.image.height, copy.image.aspect], ['jpeg', 1200, 1800, '2:3']);
    const meta = await sharp(copy.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 1200, 1800]);
    assert.equal(copy.image.bytes, copy.bytes.length);
  });

  it('keeps a PNG a PNG', async () => {
    const copy = await optimizedCopy(await canvas(2400, 3600).png().toBuffer());
    assert.deepEqual([copy.image.format, copy.image.width, copy.image.height], ['png', 1200, 1800]);
    assert.equal((await sharp(copy.bytes).metadata()).format, 'png');
  });

  it('never upscales: an upright 800 × 1000 image comes back as its own bytes', async () => {
    const original = await canvas(800, 1000).jpeg().toBuffer();
    const copy = await optimizedCopy(original);
    assert.ok(copy.bytes.equals(original));
    assert.deepEqual([copy.image.width, copy.image.height], [800, 1000]);
  });

  it('turns an EXIF-rotated image upright, so the copy needs no orientation tag', async () => {
    const rotated = await canvas(900, 1350).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const copy = await optimizedCopy(rotated);
    const meta = await sharp(copy.bytes).metadata();
    assert.deepEqual([meta.width, meta.height, meta.orientation], [1350, 900, undefined]);
  });

  it('keeps a wide image at least 900 pixels high', async () => {
    const copy = await optimizedCopy(await canvas(4000, 2000).jpeg().toBuffer());
    assert.deepEqual([copy.image.width, copy.image.height], [1800, 900]);
  });

  it('refuses to copy a GIF with PIN_MEDIA_FORMAT', async () => {
    await assert.rejects(
      optimizedCopy(await canvas(600, 900).gif().toBuffer()),
      (err) => err instanceof PinflowError && err.code === 'PIN_MEDIA_FORMAT',
    );
  });
});

describe('fitCarousel', () => {
  it('pads a square image with white to exactly 2:3, the image centred', async () => {
    const slide = await fitCarousel(await canvas(1000, 1000).png().toBuffer(), 'pad', '2:3');
    assert.deepEqual([slide.image.width, slide.image.height, slide.image.aspect], [1000, 1500, '2:3']);
    assert.ok(near(await pixel(slide.bytes, 500, 10), [255, 255, 255]), 'the top band is white');
    assert.ok(near(await pixel(slide.bytes, 500, 750), [orange.r, orange.g, orange.b]), 'the middle is the image');
  });

  it('crops a 1000 × 1200 image to exactly 2:3 from its centre', async () => {
    const slide = await fitCarousel(await canvas(1000, 1200).jpeg().toBuffer(), 'crop', '2:3');
    assert.deepEqual([slide.image.width, slide.image.height], [800, 1200]);
    assert.equal(slide.image.width * 3, slide.image.height * 2);
    assert.ok(near(await pixel(slide.bytes, 0, 0), [orange.r, orange.g, orange.b]), 'a crop adds no padding');
  });

  it('makes an odd-sized 1001 × 1500 slide exactly 2:3 (1002 × 1503), not just close', async () => {
    const slide = await fitCarousel(await canvas(1001, 1500).jpeg().toBuffer(), 'pad', '2:3');
    assert.deepEqual([slide.image.width, slide.image.height], [1002, 1503]);
  });

  it('crops a large 2:3 image to a 1:1 slide capped at 1200 × 1200', async () => {
    const slide = await fitCarousel(await canvas(3000, 4500).jpeg().toBuffer(), 'crop', '1:1');
    assert.deepEqual([slide.image.width, slide.image.height, slide.image.aspect], [1200, 1200, '1:1']);
  });
});

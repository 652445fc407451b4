import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { PinflowError } from '../../src/domain/errors';
import { inspectImage, MAX_IMAGE_PIXELS } from '../../src/media/inspect';

function canvas(width: number, height: number): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } });
}

/** Noise, so the entropy-coded data is long and full of 0xFF bytes, as in a real photo. */
function noise(width: number, height: number): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } });
}

async function refusal(promise: Promise<unknown>): Promise<PinflowError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PinflowError, `expected a PinflowError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}

describe('inspectImage', () => {
  let folder = '';
  before(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'pinflow-inspect-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads a 1000 × 1500 JPEG as jpeg, 2:3, ratio 1.5, with its byte count', async () => {
    const bytes = await canvas(1000, 1500).jpeg().toBuffer();
    const image = await inspectImage(bytes);
    assert.deepEqual(image, { format: 'jpeg', width: 1000, height: 1500, bytes: bytes.length, animated: false, aspect: '2:3', ratio: 1.5 });
  });

  it('reads the format from the bytes: a PNG named photo.jpg is a png', async () => {
    const file = path.join(folder, 'photo.jpg');
    await writeFile(file, await canvas(600, 900).png().toBuffer());
    const image = await inspectImage(file);
    assert.equal(image.format, 'png');
  });

  it('honours EXIF orientation 6: a 600 × 900 stored image is displayed 900 × 600', async () => {
    const bytes = await canvas(600, 900).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await inspectImage(bytes);
    assert.deepEqual([image.width, image.height], [900, 600]);
  });

  it('refuses a truncated JPEG with MEDIA_UNREADABLE although its header reads fine', async () => {
    const bytes = await noise(800, 1200).jpeg({ quality: 90 }).toBuffer();
    assert.equal((await sharp(bytes.subarray(0, bytes.length * 0.6)).metadata()).width, 800, 'sharp alone does not notice');
    const err = await refusal(inspectImage(bytes.subarray(0, Math.floor(bytes.length * 0.6))));
    assert.equal(err.code, 'MEDIA_UNREADABLE');
    assert.match(err.message, /truncated/);
  });

  it('refuses a JPEG cut just before its end marker, and a truncated PNG', async () => {
    const jpeg = await noise(600, 900).jpeg().toBuffer();
    assert.equal((await refusal(inspectImage(jpeg.subarray(0, jpeg.length - 2)))).code, 'MEDIA_UNREADABLE');
    const png = await noise(600, 900).png().toBuffer();
    assert.equal((await refusal(inspectImage(png.subarray(0, png.length - 100)))).code, 'MEDIA_UNREADABLE');
  });

  it('accepts a complete progressive JPEG and one followed by trailer bytes (as phones append)', async () => {
    const progressive = await noise(600, 900).jpeg({ progressive: true }).toBuffer();
    assert.equal((await inspectImage(progressive)).format, 'jpeg');
    const withTrailer = Buffer.concat([progressive, Buffer.from('....ftypmp42 motion photo trailer')]);
    assert.equal((await inspectImage(withTrailer)).format, 'jpeg');
  });

  it('refuses a pixel bomb (a 15000 × 15000 PNG of under 1 MB) with MEDIA_UNREADABLE, without decoding it', async () => {
    // 225 megapixels: under sharp's own default limit (268 MP), so only our limit stops it.
    const bomb = await canvas(15000, 15000).png({ compressionLevel: 9 }).toBuffer();
    assert.ok(15000 * 15000 > MAX_IMAGE_PIXELS && bomb.length < 1_000_000);
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const rssBefore = process.memoryUsage().rss;

    const err = await refusal(inspectImage(bomb));

    assert.equal(err.code, 'MEDIA_UNREADABLE');
    assert.match(err.message, /megapixels/);
    // A decode would need 15000 × 15000 × 3 bytes ≈ 675 MB; the header read needs next to nothing.
    const peakGrowth = process.resourceUsage().maxRSS * 1024 - peakBefore;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    assert.ok(peakGrowth < 64 * 2 ** 20, `peak RSS grew by ${peakGrowth} bytes`);
    assert.ok(rssGrowth < 64 * 2 ** 20, `RSS grew by ${rssGrowth} bytes`);
  });

  it('reports an animated GIF as a gif with animated: true', async () => {
    const frames = await Promise.all(
      ['#f00', '#00f'].map((c) =>
        sharp({ create: { width: 600, height: 900, channels: 3, background: c } })
          .png()
          .toBuffer(),
      ),
    );
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    const image = await inspectImage(gif);
    assert.deepEqual([image.format, image.animated, image.width, image.height], ['gif', true, 600, 900]);
  });

  it('refuses an MP4-looking body with PIN_VIDEO_NOT_SUPPORTED', async () => {
    const mp4 = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from('ftypmp42'),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from('mp42isom'),
      Buffer.alloc(64),
    ]);
    assert.equal((await refusal(inspectImage(mp4))).code, 'PIN_VIDEO_NOT_SUPPORTED');
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(64)]);
    assert.equal((await refusal(inspectImage(webm))).code, 'PIN_VIDEO_NOT_SUPPORTED');
  });

  it('does not mistake an AVIF still image (also an ftyp box) for a video', async () => {
    const avif = await canvas(64, 96).avif().toBuffer();
    assert.equal((await inspectImage(avif)).format, 'heif');
  });

  it('refuses bytes of no image format with PIN_MEDIA_FORMAT', async () => {
    const err = await refusal(inspectImage(Buffer.from('<html><body>not an image</body></html>')));
    assert.equal(err.code, 'PIN_MEDIA_FORMAT');
  });
});
